//! `.github/dependabot.yml`: weekly updates of the pinned actions and the Dockerfile's images, at the repository root.

use super::{Family, Output, Wants};
use crate::config::Config;

/// The file's template, and its path relative to the repository root.
pub const TEMPLATE: &str = ".github/dependabot.yml";

/// Dependabot's configuration, with the workflow whose actions it keeps current.
pub const FAMILY: Family = Family {
    name: "dependabot",
    templates: &[TEMPLATE],
    written: &[],
    wanted: |wants: &Wants| wants.ci,
    files,
};

/// Dependabot reads only the repository root's `.github/dependabot.yml`: a workspace below
/// the root reaches it by climbing out (`../../.github/dependabot.yml`).
fn files(_: &str, config: &Config) -> Vec<Output> {
    let depth = config.repo_dir.split('/').filter(|p| !p.is_empty()).count();
    vec![Output::at(format!("{}{TEMPLATE}", "../".repeat(depth)))]
}
