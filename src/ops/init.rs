//! `cargo dockerize init`: summarize, ask, render, and write (or list) the container files.

use std::io::IsTerminal;
use std::time::Instant;

use crate::cli::InitArgs;
use crate::config::{self, Answers};
use crate::detect;
use crate::error::{Error, Result};
use crate::existing::Choice;
use crate::families::{self, Wants};
use crate::lock::{self, Lock};
use crate::ops::existing::{self, Settled};
use crate::ops::next::{self, Delivered};
use crate::ops::output::{self, Delivery, Plan, Target};
use crate::ops::resolve::{self, Resolved};
use crate::ops::{digests, flags};
use crate::prompt::{self, Detected};
use crate::render::{self, File, Files};
use crate::ui::{self, Report, Tone, Ui};

/// Runs `init`; returns what to print.
pub fn run(args: &InitArgs, ui: &Ui) -> Result<Report> {
    let given = flags::layer(&args.answers, &args.existing)?;
    let opts = &args.output;
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !args.yes && !terminal {
        return Err(Error::NoTerminal);
    }
    // Features given as flags change the graph (and the services) like stored ones.
    let default = crate::preset::default_source();
    let mut resolved = resolve::load_with(opts.manifest_path.as_deref(), given, default, ui)?;
    // Every answer given so far must fit the workspace; a value refused names its flag or key.
    resolved.config(&resolved.layers.answered())?;
    // A feature choice the build needs (a database backend, ...): asked first, since the
    // services follow it; refused with `--yes`, naming the choices.
    let chosen = resolved.layers.answered();
    let unmet = feature_choices_unmet(&resolved, &chosen);
    if !unmet.is_empty() {
        if args.yes {
            return Err(Error::FeatureChoice(unmet));
        }
        let mut features = chosen.features.clone().unwrap_or_default();
        for choice in &unmet {
            let picked = prompt::feature(choice)?;
            features.push(format!("{}/{picked}", choice.package));
        }
        let mut given = resolved.layers.flags().clone();
        given.features = Some(features);
        resolved = resolve::load_given(opts.manifest_path.as_deref(), flags::layer_of(given), ui)?;
    }
    let target = Target::open(&resolved.ws.root, opts.no_git, opts.dry_run)?;
    target.check_branch(opts.branch())?;
    for key in resolved.layers.flags().existing_files.keys() {
        if !existing::exists(&target, key)? {
            return Err(Error::Usage(format!(
                "--existing {key}: there is no {key} in {}",
                target.describe()
            )));
        }
    }
    let previous = target.lock()?;
    let mut summary = ui::summary(&resolved.facts, resolved.ws.has_lockfile);
    summary.append(preset_summary(&resolved));
    let mut out = Report::default();

    let current = resolved.layers.answered();
    let mut answers = if args.yes {
        out.append(summary);
        current
    } else {
        // Questions go to stderr; so does what they are based on.
        ui.eprint(&summary);
        let shown = resolved.layers.preset().overlay(current.clone());
        let asked = prompt::ask(&resolved.facts, &shown, &detected(&resolved)?)?;
        keep_preset(&resolved, &current, asked)?
    };
    let settled = settle_existing(&target, previous.as_ref(), &mut answers, args)?;
    let started = Instant::now();
    let mut config = resolved.config_keeping_rust(&answers, previous.as_ref())?;
    digests::pin(&mut config, digests::Source::Registries)?;
    settled.check_shadowing(&config)?;
    let overlay = resolved.preset.as_ref().map(|p| p.overlay());
    let files = render::render_with(&config, overlay.as_ref())?;
    ui.verbose(
        "Rendered",
        &format!(
            "{} files in {:.1} ms",
            files.len(),
            started.elapsed().as_secs_f64() * 1000.0
        ),
    );
    let lock = Lock::new(&config, &files).with_preset(resolved.preset.as_ref());

    let mut outputs: Vec<File> = files.values().cloned().collect();
    outputs.push(File::plain(lock::PATH, lock.to_text()));
    let (companions, warnings) = target.companions(&resolved.manifest, &answers)?;
    outputs.extend(companions);
    let (backups, removed) = settled.carry_out(&target, &outputs)?;
    outputs.extend(backups);

    let mut plan = Plan::new(&target, outputs)?;
    for path in &removed {
        plan.remove(path);
    }
    for path in no_longer_generated(&target, previous.as_ref(), &files)? {
        plan.remove(&path);
    }
    if !args.force {
        let owned: Vec<String> = files.keys().cloned().collect();
        plan.check_conflicts(&target, previous.as_ref(), &owned, &settled.replaced())?;
    }
    out.append(settled.report(&config, &files, matches!(target, Target::Git(_))));
    for warning in warnings {
        out.status("Warning", Tone::Warn, warning);
    }
    for note in &config.notes {
        out.status("Note", Tone::Note, note.clone());
    }
    out.append(ui::swarm_secrets(&config));
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

/// The preset, where it was named, and each value it gives (unless a higher layer gives it).
fn preset_summary(resolved: &Resolved) -> Report {
    let mut out = Report::default();
    let Some(preset) = &resolved.preset else {
        return out;
    };
    let named = match &resolved.preset_default {
        Some(by) => format!(" (the default preset named by {by})"),
        None => String::new(),
    };
    out.status(
        "Preset",
        Tone::Note,
        format!("{} from {}{named}", preset.label(), preset.source),
    );
    let empty = config::Layer::empty();
    for (key, value, source) in resolved.layers.values_over(&empty) {
        if matches!(source, config::Source::Preset(_)) {
            let enforced = preset.toml.enforce.keys.contains(&key);
            let how = if enforced { ", enforced" } else { "" };
            out.status(
                "Preset",
                Tone::Note,
                format!("{key} = {value}   ({source}{how})"),
            );
        }
    }
    out
}

/// The answers asked for, without the preset's values nobody changed (they stay the
/// preset's, and follow it); an enforced key changed on the terminal is refused.
fn keep_preset(resolved: &Resolved, current: &Answers, asked: Answers) -> Result<Answers> {
    let Some(preset) = &resolved.preset else {
        return Ok(asked);
    };
    let doc = |a: &Answers| toml_edit::ser::to_document(a).expect("answers always serialize");
    let (mut asked_doc, given, theirs) = (doc(&asked), doc(current), doc(preset.answers()));
    for key in &preset.toml.enforce.keys {
        let (mine, wanted) = (asked_doc.get(key), theirs.get(key));
        if mine.map(|i| i.to_string()) != wanted.map(|i| i.to_string()) && mine.is_some() {
            return Err(Error::Usage(format!(
                "{key}: enforced by preset {}; it stays {}",
                preset.label(),
                wanted.map(|i| i.to_string()).unwrap_or_default().trim()
            )));
        }
    }
    let keys: Vec<String> = asked_doc.iter().map(|(k, _)| k.to_string()).collect();
    for key in keys {
        let same = |a: Option<&toml_edit::Item>, b: Option<&toml_edit::Item>| {
            a.map(|i| i.to_string().trim().to_string())
                == b.map(|i| i.to_string().trim().to_string())
        };
        if !given.contains_key(&key) && same(asked_doc.get(&key), theirs.get(&key)) {
            asked_doc.remove(&key);
        }
    }
    toml_edit::de::from_document(asked_doc)
        .map_err(|e| Error::Usage(format!("the answers given: {}", e.message())))
}

/// Finds the team's files where the output goes, and settles an answer for each: given
/// (flag or Cargo.toml), the default that loses nothing, or asked; stored with the answers.
/// Without a terminal, a file with no answer and no safe default is an error naming it.
fn settle_existing(
    target: &Target,
    previous: Option<&Lock>,
    answers: &mut Answers,
    args: &InitArgs,
) -> Result<Settled> {
    let wants = Wants::answered(answers);
    let found = existing::scan(target, previous, |path| families::wanted(path, &wants))?;
    let git = matches!(target, Target::Git(_));
    let given: Vec<Option<Choice>> = found
        .iter()
        .map(|f| {
            answers.existing_files.get(&f.key).copied().or_else(|| {
                existing::default_choice(
                    f,
                    &found,
                    &answers.existing_files,
                    args.force,
                    previous.is_none(),
                )
            })
        })
        .collect();
    let chosen: Vec<Choice> = if args.yes {
        let undecided: Vec<String> = found
            .iter()
            .zip(&given)
            .filter(|(_, c)| c.is_none())
            .map(|(f, _)| f.key.clone())
            .collect();
        if !undecided.is_empty() {
            return Err(Error::WouldOverwrite(undecided));
        }
        given.into_iter().flatten().collect()
    } else {
        let questions: Vec<_> = found
            .iter()
            .zip(&given)
            .map(|(f, c)| existing::question(f, c.unwrap_or(existing::offered_default(f)), git))
            .collect();
        prompt::existing(&questions)?
    };
    for (found, choice) in found.iter().zip(&chosen) {
        answers.existing_files.insert(found.key.clone(), *choice);
    }
    Ok(Settled {
        found: found.into_iter().zip(chosen).collect(),
    })
}

/// Files the previous render generated that this one does not (an answer changed), still
/// as generated: they are removed, as `update` does. Edited ones stay.
fn no_longer_generated(
    target: &Target,
    previous: Option<&Lock>,
    files: &Files,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (path, hash) in previous.map(|l| &l.files).into_iter().flatten() {
        if files.contains_key(path) {
            continue;
        }
        if target
            .read(path)?
            .is_some_and(|text| lock::hash(&text) == *hash)
        {
            out.push(path.clone());
        }
    }
    Ok(out)
}

/// What detection alone chooses for the questions asked: their defaults, and what is not stored.
fn detected(resolved: &Resolved) -> Result<Detected> {
    let config = resolved.config(&Answers::default())?;
    Ok(Detected {
        bins: (resolved.facts.default_bins().iter())
            .map(|b| b.name.clone())
            .collect(),
        roles: resolved
            .facts
            .runs
            .iter()
            .map(|r| (r.bin.clone(), r.role))
            .collect(),
        ports: resolved
            .facts
            .runs
            .iter()
            .filter_map(|r| Some((r.bin.clone(), r.port.as_ref()?.port)))
            .collect(),
        runtime: config::detected_runtime(&resolved.facts),
        services: resolved
            .facts
            .services
            .iter()
            .map(|s| s.kind.name().to_string())
            .collect(),
        registry: config.registry,
        runtime_files: resolved.facts.runtime_files.dirs.clone(),
    })
}

/// The feature choices (a backend to build for) that the answers leave unmade.
fn feature_choices_unmet(resolved: &Resolved, answers: &Answers) -> Vec<detect::FeatureChoice> {
    let features = answers.features.clone().unwrap_or_default();
    let no_default = answers.no_default_features();
    detect::unmet(&resolved.facts.feature_choices, &features, no_default)
        .into_iter()
        .cloned()
        .collect()
}
