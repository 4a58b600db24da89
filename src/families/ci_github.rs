//! The GitHub Actions workflow: lint, build, test and push; at the repository root, so a workspace below it gets its own file there.

use super::{Family, Output, up_to_repo_root};
use crate::config::Config;

/// The workflow's template, and its path when the workspace is the repository's root.
pub const TEMPLATE: &str = ".github/workflows/docker.yml";

/// The workflow, when the `ci` answer wants it.
pub const FAMILY: Family = Family::rendering("ci-github", &[TEMPLATE])
    .wanted_when(|wants| wants.ci)
    .making(files);

/// Where the workflow goes, relative to the repository root: GitHub reads workflows only
/// from the root's `.github/workflows/`, so a workspace below the root gets its own file there.
pub fn path(repo_dir: &str, project: &str) -> String {
    if repo_dir.is_empty() {
        TEMPLATE.into()
    } else {
        format!(".github/workflows/docker-{project}.yml")
    }
}

/// The workflow's path relative to the workspace root: below the repository root it climbs
/// out of the workspace (`../../.github/...`).
fn files(_: &str, config: &Config) -> Vec<Output> {
    vec![Output::at(format!(
        "{}{}",
        up_to_repo_root(config),
        config.delivery.ci_workflow
    ))]
}
