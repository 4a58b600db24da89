//! `cargo dockerize init`: ask, render, and write (or list) the container files.

use std::io::IsTerminal;

use crate::cli::{InitArgs, RuntimeArg};
use crate::config::{Answers, Runtime};
use crate::error::{Error, Result};
use crate::lock::{self, Lock};
use crate::ops::output::{self, Delivery, Plan, Style, Target};
use crate::ops::resolve::{self, Resolved};
use crate::{prompt, render};

/// Runs `init`; returns what to print.
pub fn run(args: &InitArgs) -> Result<String> {
    let given = answers_from_flags(args)?;
    let opts = &args.output;
    let resolved = resolve::load(opts.manifest_path.as_deref())?;
    let target = Target::open(&resolved.ws.root, opts.no_git, opts.dry_run)?;
    target.check_branch(opts.branch())?;
    let mut out = summary(&resolved);

    let mut explicit = given.clone();
    if !args.yes {
        if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            return Err(Error::NoTerminal);
        }
        eprint!("{out}");
        out.clear();
        let current = resolved.stored.clone().overlay(given);
        explicit = explicit.overlay(prompt::ask(&resolved.facts, &current)?);
    }
    let answers = resolved.stored.clone().overlay(explicit);
    let config = resolved.config(&answers)?;
    let files = render::render(&config)?;
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
        out.push_str(&warning);
    }
    if opts.dry_run {
        out.push_str(&plan.report(Style::DryRun));
        out.push_str(&format!(
            "\nDry run: compared with {}; nothing was written.\n",
            target.describe()
        ));
        return Ok(out);
    }
    let delivery = Delivery {
        branch: opts.branch(),
        merge: opts.merge,
        message: "Add container files (cargo dockerize init)",
    };
    out.push_str(&output::deliver(&target, &plan, &delivery)?);
    if matches!(target, Target::Disk(_)) || opts.merge {
        out.push_str(&next_steps(&config));
    }
    Ok(out)
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
    if args.no_default_features {
        answers.no_default_features = Some(true);
    }
    if args.no_dockerfile_syntax {
        answers.dockerfile_syntax = Some(false);
    }
    Ok(answers)
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// What detection found, in a few lines.
fn summary(resolved: &Resolved) -> String {
    let facts = &resolved.facts;
    let mut out = String::new();
    let bins: Vec<&str> = facts.bins.iter().map(|b| b.name.as_str()).collect();
    out.push_str(&format!(
        "{:>12} binaries: {}\n",
        "Detected",
        bins.join(", ")
    ));
    for service in &facts.services {
        out.push_str(&format!(
            "{:>12} {} (from {})\n",
            "Detected",
            service.kind.name(),
            service.crates.join(", ")
        ));
    }
    if !facts.system_packages.crates.is_empty() {
        out.push_str(&format!(
            "{:>12} system packages for {}: {}\n",
            "Detected",
            facts.system_packages.crates.join(", "),
            facts
                .system_packages
                .build
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    let why = match &facts.port.framework {
        Some(f) => format!("{f}'s default"),
        None => "no web framework found".into(),
    };
    out.push_str(&format!(
        "{:>12} port {} ({why})\n",
        "Detected", facts.port.port
    ));
    out.push_str(&format!(
        "{:>12} Rust {} (from {})\n",
        "Detected", facts.rust.version, facts.rust.source
    ));
    if !resolved.ws.has_lockfile {
        out.push_str(&format!(
            "{:>12} no Cargo.lock: builds are not reproducible until you commit one (`cargo generate-lockfile`)\n",
            "Warning"
        ));
    }
    out
}

fn next_steps(config: &crate::config::Config) -> String {
    format!(
        "\nNext steps:\n  docker compose up            development stack with hot reload on http://localhost:{}\n  make prod-local              the production image against the development services\n  see README.Docker.md for the rest\n",
        config.bins[0].port
    )
}
