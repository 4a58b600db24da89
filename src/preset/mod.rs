//! Team presets: a folder or git repository with `preset.toml` and `templates/`, a layer of answers, image mirrors and templates.

use std::path::{Path, PathBuf};

use crate::config::{Answers, Config};
use crate::error::{Error, Result};
use crate::render::Overlay;

mod fetch;
mod manifest;

pub use fetch::{Origin, Snapshot, origin};
pub use manifest::{Enforce, PresetToml};

/// The environment variable naming the default preset of new `init`s on this machine.
pub const ENV: &str = "CARGO_DOCKERIZE_PRESET";

/// Where the templates live inside a preset.
const TEMPLATES: &str = "templates/";

/// A loaded preset: where it came from, what it says and its files.
#[derive(Debug, Clone)]
pub struct Preset {
    /// As given (`--preset`, the `preset` answer).
    pub source: String,
    pub toml: PresetToml,
    /// `preset.toml` and `templates/...`, by path: what the hash covers and the lock keeps.
    pub files: Snapshot,
    /// The commit a git preset was fetched at.
    pub commit: Option<String>,
}

impl Preset {
    /// Reads the preset named by `source` (a folder relative to `root`, or a git URL with an
    /// optional `#ref`).
    pub fn load(source: &str, root: &Path) -> Result<Preset> {
        let fail = |message: String| Error::Preset {
            preset: source.to_string(),
            message,
        };
        let (files, commit) = match origin(source, root) {
            Origin::Folder(dir) => (fetch::read_folder(&dir).map_err(fail)?, None),
            Origin::Git { url, reference } => {
                let (dir, commit) = fetch::git(&url, reference.as_deref())
                    .map_err(|e| fail(format!("cannot fetch it: {e}")))?;
                (fetch::read_folder(&dir).map_err(fail)?, Some(commit))
            }
        };
        Preset::from_files(source, files, commit)
    }

    /// A preset from its files (as fetched, or as a lock kept them).
    pub fn from_files(source: &str, files: Snapshot, commit: Option<String>) -> Result<Preset> {
        let text = files.get(manifest::FILE).map(String::as_str).unwrap_or("");
        let toml = manifest::parse(text).map_err(|message| Error::Preset {
            preset: source.to_string(),
            message: format!("{}: {message}", manifest::FILE),
        })?;
        Ok(Preset {
            source: source.to_string(),
            toml,
            files,
            commit,
        })
    }

    /// `acme 1.0.0`.
    pub fn label(&self) -> String {
        format!("{} {}", self.toml.name, self.toml.version)
    }

    /// `sha256:<hex>` of every file, path and contents.
    pub fn hash(&self) -> String {
        let mut all = String::new();
        for (path, text) in &self.files {
            all.push_str(&format!("{path}\0{}\0{text}\0", text.len()));
        }
        crate::lock::hash(&all)
    }

    /// The answers it sets.
    pub fn answers(&self) -> &Answers {
        &self.toml.answers
    }

    /// Its templates by path under `templates/`, for the render.
    pub fn overlay(&self) -> Overlay {
        Overlay {
            label: format!("preset {}", self.label()),
            files: (self.files.iter())
                .filter_map(|(path, text)| {
                    Some((path.strip_prefix(TEMPLATES)?.to_string(), text.clone()))
                })
                .collect(),
        }
    }

    /// The configuration with each base and service image its mirror names.
    pub fn mirror(&self, config: &mut Config) {
        let images = &self.toml.images;
        let swap = |image: &mut String| {
            let (repo, rest) = split_tag(image);
            if let Some(mirror) = images.get(repo) {
                *image = format!("{mirror}{rest}");
            }
        };
        for image in config.images_mut() {
            swap(image);
        }
    }
}

/// An image reference as its repository and the rest (`:tag`, `@digest`, or nothing).
fn split_tag(image: &str) -> (&str, &str) {
    let name_end = image.rfind('/').map_or(0, |i| i + 1);
    match image[name_end..].find([':', '@']) {
        Some(i) => image.split_at(name_end + i),
        None => (image, ""),
    }
}

/// The default preset of new `init`s: `CARGO_DOCKERIZE_PRESET`, else the first line of
/// `$CARGO_HOME/dockerize/preset`; with where it was named.
pub fn default_source() -> Option<(String, String)> {
    if let Ok(source) = std::env::var(ENV) {
        let source = source.trim().to_string();
        return (!source.is_empty()).then(|| (source, ENV.to_string()));
    }
    let file = cargo_home().join("dockerize/preset");
    let text = std::fs::read_to_string(&file).ok()?;
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some((line.to_string(), file.display().to_string()))
}

/// `$CARGO_HOME`, else `~/.cargo`.
pub fn cargo_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CARGO_HOME").filter(|h| !h.is_empty()) {
        return PathBuf::from(home);
    }
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"));
    PathBuf::from(home.unwrap_or_default()).join(".cargo")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_digests_stay_with_the_mirror() {
        assert_eq!(split_tag("rust:1.95-slim"), ("rust", ":1.95-slim"));
        assert_eq!(
            split_tag("gcr.io/distroless/cc-debian13:nonroot"),
            ("gcr.io/distroless/cc-debian13", ":nonroot")
        );
        assert_eq!(split_tag("localhost:5000/x"), ("localhost:5000/x", ""));
        assert_eq!(split_tag("p@sha256:ab"), ("p", "@sha256:ab"));
    }

    #[test]
    fn the_hash_follows_every_file() {
        let toml = "name = \"a\"\nversion = \"1\"\n";
        let mut files = Snapshot::from([("preset.toml".to_string(), toml.to_string())]);
        let one = Preset::from_files("x", files.clone(), None).unwrap();
        files.insert("templates/SECURITY.md".into(), "hi\n".into());
        let two = Preset::from_files("x", files, None).unwrap();
        assert_ne!(one.hash(), two.hash());
        assert_eq!(
            two.overlay().files.keys().collect::<Vec<_>>(),
            ["SECURITY.md"]
        );
    }
}
