//! Compares rendered files with the workspace on disk and writes them (`--no-git`), or lists them (`--dry-run`).

use std::path::Path;

use crate::error::{Error, Result};
use crate::lock::{self, Lock};

/// What happens to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Unchanged,
}

/// One file of the output.
#[derive(Debug, Clone)]
pub struct Planned {
    pub path: String,
    pub contents: String,
    pub executable: bool,
    pub action: Action,
}

/// Every file to write, compared with the disk.
pub struct Plan {
    pub files: Vec<Planned>,
}

/// A file to write: path relative to the workspace root, contents, executable bit.
pub type Output = (String, String, bool);

impl Plan {
    /// Compares `outputs` with what is under `root`.
    pub fn new(root: &Path, outputs: Vec<Output>) -> Result<Self> {
        let mut files = Vec::new();
        for (path, contents, executable) in outputs {
            let action = match read_existing(&root.join(&path))? {
                None => Action::Create,
                Some(old) if old == contents => Action::Unchanged,
                Some(_) => Action::Update,
            };
            files.push(Planned {
                path,
                contents,
                executable,
                action,
            });
        }
        Ok(Plan { files })
    }

    /// Refuses to replace files the tool did not write, or that were edited since it did.
    /// `owned` are the paths covered by the lock's hashes.
    pub fn check_conflicts(
        &self,
        root: &Path,
        previous: Option<&Lock>,
        owned: &[String],
    ) -> Result<()> {
        let mut foreign = Vec::new();
        let mut edited = Vec::new();
        for file in self.files.iter().filter(|f| f.action == Action::Update) {
            if !owned.contains(&file.path) {
                continue;
            }
            let on_disk = read_existing(&root.join(&file.path))?.unwrap_or_default();
            match previous.and_then(|l| l.files.get(&file.path)) {
                None => foreign.push(file.path.clone()),
                Some(hash) if *hash != lock::hash(&on_disk) => edited.push(file.path.clone()),
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

    /// Writes the created and updated files.
    pub fn write(&self, root: &Path) -> Result<()> {
        for file in self.files.iter().filter(|f| f.action != Action::Unchanged) {
            let path = root.join(&file.path);
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

    /// Cargo-style status lines; `dry_run` words them as intentions.
    pub fn report(&self, dry_run: bool) -> String {
        let mut out = String::new();
        for file in &self.files {
            let verb = match (file.action, dry_run) {
                (Action::Create, false) => "Created",
                (Action::Update, false) => "Updated",
                (Action::Unchanged, _) => "Unchanged",
                (Action::Create, true) => "new",
                (Action::Update, true) => "changed",
            };
            out.push_str(&format!(
                "{verb:>12} {} ({})\n",
                file.path,
                human_size(file.contents.len())
            ));
        }
        out
    }
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

/// The `.gitattributes` text with the line that keeps shell scripts LF, if it is missing.
pub fn gitattributes(existing: Option<&str>) -> Option<String> {
    const LINE: &str = "*.sh text eol=lf";
    let existing = existing.unwrap_or("");
    if existing.lines().any(|l| l.trim() == LINE) {
        return None;
    }
    let mut text = existing.to_string();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(
        "# Shell scripts run in Linux containers: keep LF line endings (cargo-dockerize).\n",
    );
    text.push_str(LINE);
    text.push('\n');
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitattributes_line_is_added_once() {
        let text = gitattributes(Some("*.png binary")).unwrap();
        assert!(text.starts_with("*.png binary\n"));
        assert!(gitattributes(Some(&text)).is_none());
    }
}
