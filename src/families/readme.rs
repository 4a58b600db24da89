//! `README.Docker.md`: how to use the generated files.

use super::{Family, Output, swarm};
use crate::config::{Config, DeployTarget};

/// The README's path.
pub const PATH: &str = "README.Docker.md";

/// The README, always written.
pub const FAMILY: Family = Family::rendering("readme", &[PATH]).making(files);

/// The README; its Swarm and Kubernetes sections see what the stack and the manifests see
/// (`swarm`, `kubernetes`).
fn files(template: &str, config: &Config) -> Vec<Output> {
    let mut out = Output::at(template);
    if super::includes(config, swarm::STACK) {
        out.vars.insert("swarm".into(), swarm::plan_value(config));
    }
    if config.delivery.deploy.contains(&DeployTarget::Kubernetes) {
        out.vars
            .insert("kubernetes".into(), super::kubernetes::context(config));
    }
    vec![out]
}
