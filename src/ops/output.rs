//! Where the files go (a commit on the tool's branch, or the workspace with `--no-git`): compare, report, deliver.

use std::path::{Path, PathBuf};

use crate::config::Answers;
use crate::error::{Error, Result};
use crate::families::gitattributes;
use crate::git::{self, Change, Repo};
use crate::lock::{self, Lock};
use crate::manifest::Manifest;
use crate::render::File;
use crate::ui::{Report, Tone};

/// The root manifest, relative to the workspace root.
const MANIFEST: &str = "Cargo.toml";

/// Where the current files are read from and the new ones go.
pub enum Target {
    /// The workspace on disk (`--no-git`, or a dry run outside a repository).
    Disk(PathBuf),
    /// A commit on the tool's branch, on top of HEAD; current files are HEAD's.
    Git(Repo),
}

impl Target {
    /// The repository holding `root`, or the disk with `--no-git`; a dry run outside a
    /// repository compares with the disk.
    pub fn open(root: &Path, no_git: bool, dry_run: bool) -> Result<Self> {
        if no_git {
            return Ok(Target::Disk(root.to_path_buf()));
        }
        match Repo::open(root) {
            Ok(repo) => Ok(Target::Git(repo)),
            Err(Error::NotARepository(_)) if dry_run => Ok(Target::Disk(root.to_path_buf())),
            Err(e) => Err(e),
        }
    }

    /// A workspace-relative file as it is now: at HEAD, or on disk.
    pub fn read(&self, rel: &str) -> Result<Option<String>> {
        match self {
            Target::Disk(root) => read_existing(&root.join(rel)),
            Target::Git(repo) => repo.read_head(rel),
        }
    }

    /// The lock as it is now (at HEAD, or on disk).
    pub fn lock(&self) -> Result<Option<Lock>> {
        let Some(text) = self.read(lock::PATH)? else {
            return Ok(None);
        };
        Lock::parse(Path::new(lock::PATH), &text).map(Some)
    }

    /// The manifest and `.gitattributes` to write with the generated files: the answers
    /// stored in the current Cargo.toml (HEAD's, in git mode: never uncommitted edits), and
    /// the line that keeps shell scripts LF. Also returns warnings for the report.
    pub fn companions(
        &self,
        manifest: &Manifest,
        answers: &Answers,
    ) -> Result<(Vec<File>, Vec<String>)> {
        let mut outputs = Vec::new();
        let mut warnings = Vec::new();
        let stored = match self {
            Target::Disk(_) => manifest.with_answers(answers),
            Target::Git(_) => match self.read(MANIFEST)? {
                Some(text) => Manifest::parse(Path::new(MANIFEST), &text)?.with_answers(answers),
                None => {
                    if manifest.with_answers(answers).is_some() {
                        warnings.push(
                            "Cargo.toml is not committed at HEAD, so the answers were not stored in it: commit it and run this again".to_string(),
                        );
                    }
                    None
                }
            },
        };
        if let Some(text) = stored {
            outputs.push(File::plain(MANIFEST, text));
        }
        let attributes = self.read(gitattributes::PATH)?;
        if let Some(text) = gitattributes::text(attributes.as_deref()) {
            outputs.push(File::plain(gitattributes::PATH, text));
        }
        Ok((outputs, warnings))
    }

    /// Where the lock is missing from, for [`Error::NotInitialized`].
    pub fn missing_lock(&self) -> Error {
        Error::NotInitialized(match self {
            Target::Disk(root) => format!("in {}", root.display()),
            Target::Git(_) => format!("at {}", self.describe()),
        })
    }

    /// Fails early on a branch that cannot be used (no-op on disk).
    pub fn check_branch(&self, branch: &str) -> Result<()> {
        match self {
            Target::Disk(_) => Ok(()),
            Target::Git(repo) => repo.check_branch(branch),
        }
    }

    /// Where the current files were read from, for reports.
    pub fn describe(&self) -> String {
        match self {
            Target::Disk(_) => "the workspace".into(),
            Target::Git(repo) => match repo.head() {
                Ok(head) => format!("HEAD ({})", head.describe()),
                Err(_) => "HEAD".into(),
            },
        }
    }
}

/// What happens to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Remove,
}

/// One file of the output.
#[derive(Debug, Clone)]
pub struct Planned {
    pub path: String,
    pub contents: String,
    pub executable: bool,
    pub action: Action,
    /// The current contents, if the file exists.
    pub old: Option<String>,
    /// Whether the contents hold conflict markers.
    pub conflict: bool,
}

/// Every file to write, compared with the current ones.
pub struct Plan {
    pub files: Vec<Planned>,
}

impl Plan {
    /// Compares `outputs` with the current files.
    pub fn new(target: &Target, outputs: Vec<File>) -> Result<Self> {
        let mut files = Vec::new();
        for File {
            path,
            contents,
            executable,
        } in outputs
        {
            let old = target.read(&path)?;
            let action = match &old {
                None => Action::Create,
                Some(old) if *old == contents => Action::Unchanged,
                Some(_) => Action::Update,
            };
            files.push(Planned {
                path,
                contents,
                executable,
                action,
                old,
                conflict: false,
            });
        }
        Ok(Plan { files })
    }

    /// Adds the removal of a file.
    pub fn remove(&mut self, path: &str) {
        self.files.push(Planned {
            path: path.to_string(),
            contents: String::new(),
            executable: false,
            action: Action::Remove,
            old: None,
            conflict: false,
        });
    }

    /// Whether nothing would change.
    pub fn is_noop(&self) -> bool {
        self.files.iter().all(|f| f.action == Action::Unchanged)
    }

    fn changed(&self) -> impl Iterator<Item = &Planned> {
        self.files.iter().filter(|f| f.action != Action::Unchanged)
    }

    /// Refuses to replace files the tool did not write, or that were edited since it did.
    /// `owned` are the paths covered by the lock's hashes; `replaced` are the team's files an
    /// answer lets the output replace.
    pub fn check_conflicts(
        &self,
        target: &Target,
        previous: Option<&Lock>,
        owned: &[String],
        replaced: &[String],
    ) -> Result<()> {
        let mut foreign = Vec::new();
        let mut edited = Vec::new();
        for file in self.files.iter().filter(|f| f.action == Action::Update) {
            if !owned.contains(&file.path) || replaced.contains(&file.path) {
                continue;
            }
            let current = target.read(&file.path)?.unwrap_or_default();
            match previous.and_then(|l| l.files.get(&file.path)) {
                None => foreign.push(file.path.clone()),
                Some(hash) if *hash != lock::hash(&current) => edited.push(file.path.clone()),
                Some(_) => {}
            }
        }
        if !foreign.is_empty() {
            return Err(Error::WouldOverwrite(foreign));
        }
        if !edited.is_empty() {
            return Err(Error::EditedFiles(edited));
        }
        Ok(())
    }

    /// Writes the created and updated files and deletes the removed ones.
    pub fn write(&self, root: &Path) -> Result<()> {
        for file in self.changed() {
            let path = root.join(&file.path);
            if file.action == Action::Remove {
                match std::fs::remove_file(&path) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(Error::io(format!("removing {}", path.display()), e));
                    }
                    _ => continue,
                }
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
            }
            std::fs::write(&path, &file.contents)
                .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
            if file.executable {
                set_executable(&path)?;
            }
        }
        Ok(())
    }

    /// The changes for a commit.
    fn changes(&self) -> Vec<Change> {
        self.changed()
            .map(|f| match f.action {
                Action::Remove => Change::Remove {
                    path: f.path.clone(),
                },
                _ => Change::Write(File {
                    path: f.path.clone(),
                    contents: f.contents.clone(),
                    executable: f.executable,
                }),
            })
            .collect()
    }

    /// Cargo-style status lines, worded for how the files are delivered; with `diffs`, a
    /// unified diff after each updated file (the lock, a record of hashes, is left out).
    pub fn report(&self, style: Style, diffs: bool) -> Report {
        let mut out = Report::default();
        for file in &self.files {
            let dry = style == Style::DryRun;
            let (verb, tone) = match file.action {
                Action::Unchanged => ("Unchanged", Tone::Quiet),
                _ if file.conflict => ("Conflict", Tone::Bad),
                Action::Create if dry => ("Would create", Tone::Good),
                Action::Update if dry => ("Would update", Tone::Good),
                Action::Remove if dry => ("Would remove", Tone::Warn),
                Action::Create => ("Created", Tone::Good),
                Action::Update => ("Updated", Tone::Good),
                Action::Remove => ("Removed", Tone::Warn),
            };
            let size = if file.action == Action::Remove {
                String::new()
            } else {
                format!(" ({})", human_size(file.contents.len()))
            };
            out.status(verb, tone, format!("{}{size}", file.path));
            if let (true, Action::Update, Some(old)) = (diffs, file.action, &file.old)
                && file.path != lock::PATH
            {
                out.diff(&file.path, old, &file.contents);
            }
        }
        out
    }
}

/// How the files are delivered, for the wording of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Written,
    Committed,
    DryRun,
}

/// How to deliver a plan to a git target.
pub struct Delivery<'a> {
    pub branch: &'a str,
    /// Merge the branch into the current one after committing.
    pub merge: bool,
    /// The commit message's subject (the tool's trailer is added).
    pub message: &'a str,
    /// Whether to show a diff of each updated file.
    pub diffs: bool,
}

/// Writes the plan into the workspace, or commits it on the branch (and merges it with
/// `--merge`); returns the report. Checks run before anything is written.
pub fn deliver(target: &Target, plan: &Plan, delivery: &Delivery<'_>) -> Result<Report> {
    let repo = match target {
        Target::Disk(root) => {
            plan.write(root)?;
            return Ok(plan.report(Style::Written, delivery.diffs));
        }
        Target::Git(repo) => repo,
    };
    let head = repo.head()?;
    let mut out = plan.report(Style::Committed, delivery.diffs);
    if plan.is_noop() {
        out.status(
            "Unchanged",
            Tone::Quiet,
            "HEAD already has these files; no commit was made",
        );
        return Ok(out);
    }
    let paths: Vec<String> = plan.changed().map(|f| f.path.clone()).collect();
    if delivery.merge {
        let dirty = repo.dirty(&paths)?;
        if !dirty.is_empty() {
            return Err(Error::DirtyPaths(dirty));
        }
    }
    let committed = repo.commit_to_branch(delivery.branch, &plan.changes(), delivery.message)?;
    let branch = delivery.branch;
    out.status(
        "Committed",
        Tone::Good,
        format!(
            "{} on branch `{branch}`{}, on top of {}",
            git::short(committed.id),
            if committed.replaced {
                " (replacing its previous commit)"
            } else {
                ""
            },
            head.describe(),
        ),
    );
    if let git::Head::Detached(_) = head {
        out.status(
            "Note",
            Tone::Note,
            "HEAD is detached: the branch starts from that commit",
        );
    }
    if committed.fallback_identity {
        out.status(
            "Note",
            Tone::Note,
            format!(
                "no git identity is configured (user.name, user.email): committed as {} <{}>",
                git::FALLBACK_NAME,
                git::FALLBACK_EMAIL
            ),
        );
    }
    if delivery.merge {
        let merged = repo.merge_into_head(committed.id, &paths, delivery.message)?;
        let how = match merged {
            git::Merged::FastForward => "fast-forward".to_string(),
            git::Merged::MergeCommit(id) => format!("merge commit {}", git::short(id)),
        };
        out.status(
            "Merged",
            Tone::Good,
            format!(
                "`{branch}` into {} ({how}); only the generated files were updated",
                head.describe()
            ),
        );
    } else {
        out.status(
            "Note",
            Tone::Note,
            "your working tree, index and current branch are untouched",
        );
    }
    Ok(out)
}

fn read_existing(path: &Path) -> Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
    }
}

#[cfg(unix)]
fn set_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut perms = std::fs::metadata(path)
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?
        .permissions();
    perms.set_mode(perms.mode() | 0o111);
    std::fs::set_permissions(path, perms)
        .map_err(|e| Error::io(format!("chmod {}", path.display()), e))
}

#[cfg(not(unix))]
fn set_executable(_: &Path) -> Result<()> {
    Ok(())
}

/// `1234` -> `1.2 KiB`.
fn human_size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}
