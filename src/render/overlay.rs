//! An outside set of templates over the shipped one (a team preset's): replacing, extending or adding files.

use std::collections::BTreeMap;

use super::sets::{self, SUFFIX};
use crate::error::Error;

/// Where an overlay's templates live in the environment: `preset/<path>.j2`.
pub const PREFIX: &str = "preset/";

/// Templates by path (`Dockerfile.j2`, `.github/CODEOWNERS`): one at a shipped template's
/// path replaces it (or extends it, filling its named blocks); any other `.j2` file renders
/// to its path minus `.j2`, any other file is copied; files in `_` folders are pieces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overlay {
    /// Whose templates these are, for errors: `preset acme 1.0.0`.
    pub label: String,
    pub files: BTreeMap<String, String>,
}

/// A file an overlay adds.
pub enum Added<'a> {
    /// Rendered from the overlay's template of this path (with `.j2`).
    Template(&'a str),
    /// Copied as it is.
    Copy(&'a str),
}

impl Overlay {
    /// The environment name of its template replacing the shipped template at `path`
    /// (without `.j2`), if it has one.
    pub fn replacing(&self, path: &str) -> Option<String> {
        let own = format!("{path}{SUFFIX}");
        self.files
            .contains_key(&own)
            .then(|| format!("{PREFIX}{own}"))
    }

    /// The files it adds, by output path: every file at no path of `shipped` (output
    /// templates, without `.j2`), partials aside.
    pub fn added<'a>(&'a self, shipped: &[(String, &str)]) -> Vec<(String, Added<'a>)> {
        let is_shipped = |path: &str| shipped.iter().any(|(p, _)| p == path);
        let mut out = Vec::new();
        for path in self.files.keys().filter(|p| !sets::is_partial(p)) {
            match path.strip_suffix(SUFFIX) {
                Some(output) if !is_shipped(output) => {
                    out.push((output.to_string(), Added::Template(path)))
                }
                Some(_) => {}
                None => out.push((path.clone(), Added::Copy(path))),
            }
        }
        out
    }

    /// A template of this overlay that does not compile or render: the preset's file and
    /// line are named, not the tool's.
    pub fn error(&self, name: &str, e: &minijinja::Error) -> Error {
        let name = e.name().unwrap_or(name);
        let file = match name.strip_prefix(PREFIX) {
            Some(own) => format!("templates/{own}"),
            None => name.to_string(),
        };
        let line = e.line().map(|l| format!(" line {l}")).unwrap_or_default();
        let message = match e.detail() {
            Some(detail) => format!("{}: {detail}", e.kind()),
            None => e.kind().to_string(),
        };
        Error::PresetTemplate {
            preset: self.label.clone(),
            file: format!("{file}{line}"),
            message,
        }
    }
}
