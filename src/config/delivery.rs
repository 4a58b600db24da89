//! Which files are delivered and where production runs: CI, Makefile, Compose, deploy targets.

use serde::Serialize;

use super::{DeployTarget, MigrationsConfig};
use crate::existing::ComposeNames;

/// The files generated around the images and how production runs them: CI workflow,
/// Makefile, signing, deploy targets, Compose files, migrations, and the paths left to the
/// team (flattened into the render context).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// Whether `.github/workflows/docker.yml` is generated (locks from before this answer: yes).
    pub ci: bool,
    /// Whether the `Makefile` is generated (locks from before this answer: yes).
    pub makefile: bool,
    /// Whether the workflow signs the images it pushes (locks from before this answer: no).
    pub sign: bool,
    /// Where production runs (locks from before this answer: Compose only).
    pub deploy: Vec<DeployTarget>,
    /// Whether compose.prod.yaml runs the backing services too (locks from before this answer: no).
    pub prod_services_bundled: bool,
    /// How database migrations run, when the workspace has them.
    pub migrations: Option<MigrationsConfig>,
    /// The compose files' names: a team's own with an `adopt` answer (locks from before this
    /// answer, and the default: compose.yaml, compose.override.yaml, compose.prod.yaml). The
    /// templates see it as `compose`.
    #[serde(skip_serializing_if = "ComposeNames::is_default")]
    pub compose_files: ComposeNames,
    /// Generated paths (at the tool's names) left to the team by `skip` answers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skip: Vec<String>,
    /// The workspace root relative to the git repository's root (`""` at the root or outside a
    /// repository, else e.g. `services/api`): the CI workflow's build context.
    pub repo_dir: String,
    /// The CI workflow's path relative to the repository root.
    pub ci_workflow: String,
}
