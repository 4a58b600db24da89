//! The embedded template sets: the current one in `templates/`, frozen ones under `templates/history/`.

use std::path::Path;

use include_dir::{Dir, include_dir};

use crate::error::{Error, Result};

/// Every template set, embedded (`templates/history/` holds the frozen earlier sets).
static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The version of the current template set; recorded in headers and the lock.
pub const TEMPLATE_VERSION: &str = "3";

/// The suffix every template file carries.
pub const SUFFIX: &str = ".j2";

/// Where frozen template sets live inside `templates/`.
const HISTORY: &str = "history";

/// Folders whose name starts with this hold pieces other templates include or import
/// (macros, shared blocks); they render to no file of their own.
const PARTIALS: &str = "_";

/// The template files of the current set: (output path, source).
pub fn template_sources() -> Vec<(String, &'static str)> {
    outputs(set_files(&TEMPLATES, Path::new("")))
}

/// Every template-set version this binary can render: the frozen ones, then the current one.
pub fn shipped_versions() -> Vec<String> {
    let mut out: Vec<String> = TEMPLATES
        .get_dir(HISTORY)
        .map(|history| {
            history
                .dirs()
                .filter_map(|d| d.path().file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out.retain(|v| v != TEMPLATE_VERSION);
    out.push(TEMPLATE_VERSION.to_string());
    out
}

/// The template files of a set by version: the current one or a frozen one under `templates/history/`.
pub fn template_sources_of(version: &str) -> Result<Vec<(String, &'static str)>> {
    all_files_of(version).map(outputs)
}

/// Every file of a set, partials included: (path relative to the set with its suffix, source).
pub fn all_files_of(version: &str) -> Result<Vec<(String, &'static str)>> {
    if version == TEMPLATE_VERSION {
        return Ok(set_files(&TEMPLATES, Path::new("")));
    }
    let unknown = || Error::UnknownTemplateVersion(version.to_string());
    if version.is_empty() || version.contains(['/', '\\']) || version.starts_with('.') {
        return Err(unknown());
    }
    let dir_path = format!("{HISTORY}/{version}");
    let dir = TEMPLATES.get_dir(&dir_path).ok_or_else(unknown)?;
    Ok(set_files(dir, Path::new(&dir_path)))
}

/// Whether a set-relative template path is a partial rather than an output file.
pub fn is_partial(path: &str) -> bool {
    let mut folders = path.split('/').rev().skip(1);
    folders.any(|folder| folder.starts_with(PARTIALS))
}

/// The output templates among a set's files, named by their output path.
fn outputs(files: Vec<(String, &'static str)>) -> Vec<(String, &'static str)> {
    files
        .into_iter()
        .filter(|(path, _)| !is_partial(path))
        .filter_map(|(path, text)| Some((path.strip_suffix(SUFFIX)?.to_string(), text)))
        .collect()
}

/// The `.j2` files of the set in `dir`, named relative to `base`, sorted.
fn set_files(dir: &'static Dir<'static>, base: &Path) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    collect(dir, base, &mut out);
    out.sort();
    out
}

/// Collects the `.j2` files under `dir`, named relative to `base`; skips `history/` at the top.
fn collect(dir: &'static Dir<'static>, base: &Path, out: &mut Vec<(String, &'static str)>) {
    for file in dir.files() {
        let rel = file.path().strip_prefix(base).unwrap_or(file.path());
        let path = rel.to_string_lossy().replace('\\', "/");
        if let (true, Some(text)) = (path.ends_with(SUFFIX), file.contents_utf8()) {
            out.push((path, text));
        }
    }
    for sub in dir.dirs() {
        if sub.path() != Path::new(HISTORY) {
            collect(sub, base, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partials_are_files_in_underscore_folders() {
        assert!(is_partial("_macros/dockerfile.j2"));
        assert!(is_partial("docker/_macros/x.j2"));
        assert!(!is_partial("docker/env/.gitignore.j2"));
        assert!(!is_partial("_Dockerfile.j2"));
    }

    #[test]
    fn the_current_set_lists_its_partials_apart() {
        let all = all_files_of(TEMPLATE_VERSION).unwrap();
        assert!(all.iter().any(|(p, _)| is_partial(p)));
        let outputs = template_sources();
        assert!(outputs.iter().all(|(p, _)| !p.starts_with(PARTIALS)));
        assert_eq!(
            all.len(),
            outputs.len() + all.iter().filter(|(p, _)| is_partial(p)).count()
        );
    }
}
