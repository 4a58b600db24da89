//! `cargo dockerize update`: re-render, 3-way merge with the team's files, deliver like `init`.

use std::collections::BTreeMap;

use crate::cli::UpdateArgs;
use crate::error::Result;
use crate::lock::{self, Lock};
use crate::merge::{self, Resolution};
use crate::ops::output::{self, Delivery, Plan, Style, Target};
use crate::ops::resolve;
use crate::render::{self, Files};

/// What `update` did; conflicts make the command exit 1 after printing the report.
pub struct Updated {
    pub text: String,
    /// Files left with conflict markers.
    pub conflicts: Vec<String>,
}

/// Runs `update`, DESIGN.md's five steps: base from the lock, theirs from the current
/// templates and detection, ours from HEAD (or the disk), a 3-way merge per file, one commit.
pub fn run(args: &UpdateArgs) -> Result<Updated> {
    let opts = &args.output;
    let resolved = resolve::load(opts.manifest_path.as_deref())?;
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

    let mut out = String::new();
    let drift = previous.drift(&config);
    for reason in &drift {
        out.push_str(&format!("{:>12} {reason}\n", "Updating"));
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
    let mut notes = String::new();
    for (path, resolution) in &merged {
        match resolution {
            Resolution::Keep => {}
            Resolution::Write(text) => outputs.push((path.clone(), text.clone(), executable(path))),
            Resolution::Conflict(text) => {
                outputs.push((path.clone(), text.clone(), executable(path)));
                conflicts.push(path.clone());
            }
            Resolution::Remove => removed.push(path.clone()),
            Resolution::KeptDeleted => notes.push_str(&format!(
                "{:>12} {path}: you deleted it and its template changed; it stays deleted\n",
                "Note"
            )),
            Resolution::KeptEdited => notes.push_str(&format!(
                "{:>12} {path}: the templates no longer produce it, but you edited it; it was kept\n",
                "Note"
            )),
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
        out.push_str(&warning);
    }
    out.push_str(&notes);

    // 5. deliver: one commit on the branch (or the workspace); no change, no commit.
    if plan.is_noop() {
        out.push_str(&format!(
            "No change: the generated files are current (template set {}); nothing was {}.\n",
            render::TEMPLATE_VERSION,
            if matches!(target, Target::Git(_)) {
                "committed"
            } else {
                "written"
            }
        ));
        return Ok(Updated {
            text: out,
            conflicts: Vec::new(),
        });
    }
    if opts.dry_run {
        out.push_str(&plan.report(Style::DryRun));
        out.push_str(&format!(
            "\nDry run: compared with {}; nothing was written.\n",
            target.describe()
        ));
        return Ok(Updated {
            text: out,
            conflicts,
        });
    }
    let merge_now = opts.merge && conflicts.is_empty();
    let delivery = Delivery {
        branch: opts.branch(),
        merge: merge_now,
        message: "Update container files (cargo dockerize update)",
    };
    out.push_str(&output::deliver(&target, &plan, &delivery)?);
    if opts.merge && !merge_now {
        out.push_str(&format!(
            "{:>12} not merged: resolve the conflicts on `{}` first\n",
            "Note",
            opts.branch()
        ));
    }
    Ok(Updated {
        text: out,
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
