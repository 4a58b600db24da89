//! `cargo dockerize update`: re-render, 3-way merge with the team's files, deliver like `init`.

use std::collections::BTreeMap;

use crate::cli::UpdateArgs;
use crate::error::Result;
use crate::lock::{self, Lock};
use crate::merge::{self, Resolution};
use crate::ops::next::{self, Delivered};
use crate::ops::output::{self, Delivery, Plan, Target};
use crate::ops::resolve;
use crate::render::{self, Files};
use crate::ui::{Report, Tone, Ui};

/// What `update` did; conflicts make the command exit 1 after printing the report.
pub struct Updated {
    pub report: Report,
    /// Files left with conflict markers.
    pub conflicts: Vec<String>,
}

/// Runs `update`, DESIGN.md's five steps: base from the lock, theirs from the current
/// templates and detection, ours from HEAD (or the disk), a 3-way merge per file, one commit.
pub fn run(args: &UpdateArgs, ui: &Ui) -> Result<Updated> {
    let opts = &args.output;
    let resolved = resolve::load(opts.manifest_path.as_deref(), ui)?;
    let target = Target::open(&resolved.ws.root, opts.no_git, opts.dry_run)?;
    target.check_branch(opts.branch())?;
    let previous = target.lock()?.ok_or_else(|| target.missing_lock())?;

    // 1. base: what the last render produced, re-rendered (no git history needed).
    let base = render::render_version(&previous.template_version, &previous.config)?;
    // 2. theirs: the current templates, the stored answers and fresh detection.
    let config = resolved.config(&resolved.stored)?;
    let theirs = render::render(&config)?;
    // 3. ours: the team's files as they are now.
    let mut ours = BTreeMap::new();
    for path in base.keys().chain(theirs.keys()) {
        if let Some(text) = target.read(path)? {
            ours.insert(path.clone(), text);
        }
    }
    // 4. a 3-way merge per file.
    let merged = merge::merge_sets(&texts(&base), &ours, &texts(&theirs))?;

    let mut out = Report::default();
    let drift = previous.drift(&config);
    for reason in &drift {
        out.status("Updating", Tone::Note, reason.clone());
    }
    let executable = |path: &str| {
        theirs
            .get(path)
            .or_else(|| base.get(path))
            .is_some_and(|f| f.executable)
    };
    let mut outputs: Vec<output::Output> = Vec::new();
    let mut conflicts = Vec::new();
    let mut removed = Vec::new();
    let mut notes = Report::default();
    for (path, resolution) in &merged {
        match resolution {
            Resolution::Keep => {}
            Resolution::Write(text) => outputs.push((path.clone(), text.clone(), executable(path))),
            Resolution::Conflict(text) => {
                outputs.push((path.clone(), text.clone(), executable(path)));
                conflicts.push(path.clone());
            }
            Resolution::Remove => removed.push(path.clone()),
            Resolution::KeptDeleted => notes.status(
                "Note",
                Tone::Note,
                format!("{path}: you deleted it and its template changed; it stays deleted"),
            ),
            Resolution::KeptEdited => notes.status(
                "Note",
                Tone::Note,
                format!(
                    "{path}: the templates no longer produce it, but you edited it; it was kept"
                ),
            ),
        }
    }
    let new_lock = Lock::new(&config, &theirs);
    outputs.push((lock::PATH.to_string(), new_lock.to_text(), false));
    let (companions, warnings) = target.companions(&resolved.manifest, &resolved.stored)?;
    outputs.extend(companions);

    let mut plan = Plan::new(&target, outputs)?;
    for file in &mut plan.files {
        file.conflict = conflicts.contains(&file.path);
    }
    for path in &removed {
        plan.remove(path);
    }
    for warning in warnings {
        out.status("Warning", Tone::Warn, warning);
    }
    out.append(notes);

    // 5. deliver: one commit on the branch (or the workspace); no change, no commit.
    if plan.is_noop() {
        out.status(
            "Unchanged",
            Tone::Quiet,
            format!(
                "No change: the generated files are current (template set {}); nothing was {}",
                render::TEMPLATE_VERSION,
                if matches!(target, Target::Git(_)) {
                    "committed"
                } else {
                    "written"
                }
            ),
        );
        return Ok(Updated {
            report: out,
            conflicts: Vec::new(),
        });
    }
    if opts.dry_run {
        out.append(next::dry_run_report(
            &plan,
            &target,
            opts.branch(),
            "update",
            &config,
        ));
        return Ok(Updated {
            report: out,
            conflicts,
        });
    }
    let merge_now = opts.merge && conflicts.is_empty();
    let delivery = Delivery {
        branch: opts.branch(),
        merge: merge_now,
        message: "Update container files (cargo dockerize update)",
        diffs: true,
    };
    out.append(output::deliver(&target, &plan, &delivery)?);
    if opts.merge && !merge_now {
        out.status(
            "Note",
            Tone::Note,
            format!(
                "not merged: resolve the conflicts on `{}` first",
                opts.branch()
            ),
        );
    }
    if conflicts.is_empty() {
        let delivered = match target {
            Target::Git(_) if !merge_now => Delivered::Branch(opts.branch()),
            _ => Delivered::Workspace,
        };
        out.append(next::next_steps(delivered, "update", &config));
    }
    Ok(Updated {
        report: out,
        conflicts,
    })
}

/// Path -> contents of a rendered file set.
fn texts(files: &Files) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(path, file)| (path.clone(), file.contents.clone()))
        .collect()
}
