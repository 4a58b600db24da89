//! Where a preset's files come from: a folder, or a git repository fetched with the `git` CLI into a cache.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// A preset's source as given (`../presets/acme`, `https://host/presets.git#v1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A folder; a relative path is relative to the workspace root.
    Folder(PathBuf),
    /// A git repository and a branch, tag or commit (`None`: its default branch).
    Git {
        url: String,
        reference: Option<String>,
    },
}

/// Reads a source: a URL (`https://`, `ssh://`, `git://`, `file://`, `git@host:`) or one
/// ending in `.git` is a git repository, with an optional `#ref`; anything else is a folder.
pub fn origin(source: &str, root: &Path) -> Origin {
    let (url, reference) = match source.rsplit_once('#') {
        Some((url, r)) if !r.is_empty() => (url, Some(r.to_string())),
        _ => (source, None),
    };
    let git = ["https://", "http://", "ssh://", "git://", "file://", "git@"]
        .iter()
        .any(|p| url.starts_with(p))
        || url.ends_with(".git");
    if git {
        Origin::Git {
            url: url.to_string(),
            reference,
        }
    } else {
        Origin::Folder(root.join(source))
    }
}

/// The preset's files: `preset.toml` and everything under `templates/`, by path.
pub type Snapshot = BTreeMap<String, String>;

/// Reads a preset folder's files.
pub fn read_folder(dir: &Path) -> Result<Snapshot, String> {
    let toml = dir.join(super::manifest::FILE);
    if !dir.is_dir() {
        return Err(format!("there is no folder {}", dir.display()));
    }
    let mut out = Snapshot::new();
    let text = std::fs::read_to_string(&toml)
        .map_err(|e| format!("cannot read {}: {e}", toml.display()))?;
    out.insert(super::manifest::FILE.into(), text);
    let templates = dir.join("templates");
    if templates.is_dir() {
        collect(&templates, "templates", &mut out)?;
    }
    Ok(out)
}

fn collect(dir: &Path, rel: &str, out: &mut Snapshot) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{rel}/{name}");
        if entry.path().is_dir() {
            collect(&entry.path(), &path, out)?;
        } else {
            let text = std::fs::read_to_string(entry.path())
                .map_err(|e| format!("cannot read {path} (text files only): {e}"))?;
            out.insert(path, text);
        }
    }
    Ok(())
}

/// Fetches `reference` of `url` with the user's `git` into a cache folder and returns it
/// with the commit; git's own settings (credentials, proxies, `insteadOf`) apply.
pub fn git(url: &str, reference: Option<&str>) -> Result<(PathBuf, String), String> {
    let dir = cache_dir(url, reference);
    if !dir.join(".git").is_dir() {
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        run(&dir, &["init", "--quiet"])?;
    }
    let wanted = reference.unwrap_or("HEAD");
    run(
        &dir,
        &["fetch", "--quiet", "--depth", "1", "--", url, wanted],
    )?;
    run(
        &dir,
        &["checkout", "--quiet", "--force", "--detach", "FETCH_HEAD"],
    )?;
    run(&dir, &["clean", "--quiet", "-dxf"])?;
    let commit = run(&dir, &["rev-parse", "HEAD"])?;
    Ok((dir, commit.trim().to_string()))
}

/// `$CARGO_HOME/dockerize/presets/<hash of the url and ref>`.
fn cache_dir(url: &str, reference: Option<&str>) -> PathBuf {
    let digest = Sha256::digest(format!("{url}#{}", reference.unwrap_or_default()));
    let key: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    super::cargo_home().join("dockerize/presets").join(key)
}

/// Runs `git` in `dir` without prompting for credentials; its stdout, or its last error line.
fn run(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("failed");
    Err(format!("`git {}`: {}", args[0], last.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_git_and_the_rest_are_folders() {
        let root = Path::new("/w");
        assert_eq!(
            origin("https://git.acme/presets.git#v2", root),
            Origin::Git {
                url: "https://git.acme/presets.git".into(),
                reference: Some("v2".into())
            }
        );
        assert_eq!(
            origin("file:///srv/acme", root),
            Origin::Git {
                url: "file:///srv/acme".into(),
                reference: None
            }
        );
        assert_eq!(
            origin("../presets/acme", root),
            Origin::Folder("/w/../presets/acme".into())
        );
        assert_eq!(origin("/p/acme", root), Origin::Folder("/p/acme".into()));
    }
}
