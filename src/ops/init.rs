//! `cargo dockerize init`: summarize, ask, render, and write (or list) the container files.

use std::io::IsTerminal;
use std::time::Instant;

use crate::catalog::S3Server;
use crate::cli::{InitArgs, ProdServicesArg, RuntimeArg, S3ServerArg};
use crate::config::{self, Answers, ProdServices, Runtime};
use crate::error::{Error, Result};
use crate::lock::{self, Lock};
use crate::ops::next::{self, Delivered};
use crate::ops::output::{self, Delivery, Plan, Target};
use crate::ops::resolve::{self, Resolved};
use crate::prompt::{self, Detected};
use crate::render;
use crate::ui::{self, Report, Tone, Ui};

/// Runs `init`; returns what to print.
pub fn run(args: &InitArgs, ui: &Ui) -> Result<Report> {
    let given = answers_from_flags(args)?;
    let opts = &args.output;
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !args.yes && !terminal {
        return Err(Error::NoTerminal);
    }
    let resolved = resolve::load(opts.manifest_path.as_deref(), ui)?;
    let target = Target::open(&resolved.ws.root, opts.no_git, opts.dry_run)?;
    target.check_branch(opts.branch())?;
    let summary = ui::summary(&resolved.facts, resolved.ws.has_lockfile);
    let mut out = Report::default();

    let current = resolved.stored.clone().overlay(given);
    let answers = if args.yes {
        out.append(summary);
        current
    } else {
        // Questions go to stderr; so does what they are based on.
        ui.eprint(&summary);
        prompt::ask(&resolved.facts, &current, &detected(&resolved)?)?
    };
    let started = Instant::now();
    let config = resolved.config(&answers)?;
    let files = render::render(&config)?;
    ui.verbose(
        "Rendered",
        &format!(
            "{} files in {:.1} ms",
            files.len(),
            started.elapsed().as_secs_f64() * 1000.0
        ),
    );
    let lock = Lock::new(&config, &files);

    let mut outputs: Vec<output::Output> = files
        .iter()
        .map(|(path, file)| (path.clone(), file.contents.clone(), file.executable))
        .collect();
    outputs.push((lock::PATH.to_string(), lock.to_text(), false));
    let (companions, warnings) = target.companions(&resolved.manifest, &answers)?;
    outputs.extend(companions);

    let plan = Plan::new(&target, outputs)?;
    if !args.force {
        let previous = target.lock()?;
        let owned: Vec<String> = files.keys().cloned().collect();
        plan.check_conflicts(&target, previous.as_ref(), &owned)?;
    }
    for warning in warnings {
        out.status("Warning", Tone::Warn, warning);
    }
    if opts.dry_run {
        out.append(next::dry_run_report(
            &plan,
            &target,
            opts.branch(),
            "init",
            &config,
        ));
        return Ok(out);
    }
    let delivery = Delivery {
        branch: opts.branch(),
        merge: opts.merge,
        message: "Add container files (cargo dockerize init)",
        diffs: false,
    };
    out.append(output::deliver(&target, &plan, &delivery)?);
    let delivered = match target {
        Target::Git(_) if !opts.merge => Delivered::Branch(opts.branch()),
        _ => Delivered::Workspace,
    };
    out.append(next::next_steps(delivered, "init", &config));
    Ok(out)
}

/// What detection alone chooses for the questions asked: their defaults, and what is not stored.
fn detected(resolved: &Resolved) -> Result<Detected> {
    let config = resolved.config(&Answers::default())?;
    Ok(Detected {
        bins: resolved.facts.bins.iter().map(|b| b.name.clone()).collect(),
        port: resolved.facts.port.port,
        runtime: config::detected_runtime(&resolved.facts),
        services: resolved
            .facts
            .services
            .iter()
            .map(|s| s.kind.name().to_string())
            .collect(),
        registry: config.registry,
    })
}

/// The answers given as flags.
fn answers_from_flags(args: &InitArgs) -> Result<Answers> {
    let mut answers = Answers::default();
    if !args.bins.is_empty() {
        answers.bins = Some(args.bins.clone());
    }
    for spec in &args.ports {
        let (bin, port) = match spec.split_once('=') {
            Some((bin, port)) => (Some(bin.trim()), port),
            None => (None, spec.as_str()),
        };
        let port: u16 = port.trim().parse().ok().filter(|p| *p > 0).ok_or_else(|| {
            Error::Usage(format!(
                "--port {spec}: expected N or BIN=N with N from 1 to 65535"
            ))
        })?;
        match bin {
            Some(bin) => answers.bin.entry(bin.to_string()).or_default().port = Some(port),
            None => answers.port = Some(port),
        }
    }
    answers.runtime = args.runtime.map(|r| match r {
        RuntimeArg::Distroless => Runtime::Distroless,
        RuntimeArg::Static => Runtime::Static,
        RuntimeArg::Debian => Runtime::Debian,
    });
    answers.registry = args.registry.clone();
    answers.services = args.services.as_deref().map(|s| {
        if s.trim() == "none" {
            Vec::new()
        } else {
            split_list(s)
        }
    });
    answers.features = args.features.as_deref().map(split_list);
    answers.runtime_files = args.runtime_files.as_deref().map(|s| {
        if s.trim() == "none" {
            Vec::new()
        } else {
            split_list(s)
        }
    });
    let no = |flag: bool| flag.then_some(false);
    if args.no_default_features {
        answers.no_default_features = Some(true);
    }
    answers.dockerfile_syntax = no(args.no_dockerfile_syntax);
    answers.ci = no(args.no_ci);
    answers.makefile = no(args.no_makefile);
    answers.prod_services = args.prod_services.map(|p| match p {
        ProdServicesArg::External => ProdServices::External,
        ProdServicesArg::Bundled => ProdServices::Bundled,
    });
    answers.s3_server = args.s3_server.map(|s| match s {
        S3ServerArg::Seaweedfs => S3Server::Seaweedfs,
        S3ServerArg::Rustfs => S3Server::Rustfs,
    });
    Ok(answers)
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
