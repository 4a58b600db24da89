//! `.github/dependabot.yml`: weekly updates of the pinned actions and the Dockerfile's images, at the repository root.

use super::{Family, Output, up_to_repo_root};
use crate::config::Config;

/// The file's template, and its path relative to the repository root.
pub const TEMPLATE: &str = ".github/dependabot.yml";

/// Dependabot's configuration, with the workflow whose actions it keeps current.
pub const FAMILY: Family = Family::rendering("dependabot", &[TEMPLATE])
    .wanted_when(|wants| wants.ci)
    .making(files);

/// Dependabot reads only the repository root's `.github/dependabot.yml`: a workspace below
/// the root reaches it by climbing out (`../../.github/dependabot.yml`).
fn files(_: &str, config: &Config) -> Vec<Output> {
    vec![Output::at(format!("{}{TEMPLATE}", up_to_repo_root(config)))]
}
