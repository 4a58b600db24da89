//! `README.Docker.md`: how to use the generated files.

use super::{Family, Output, always, swarm};
use crate::config::Config;

/// The README's path.
pub const PATH: &str = "README.Docker.md";

/// The README, always written.
pub const FAMILY: Family = Family {
    name: "readme",
    templates: &[PATH],
    written: &[],
    wanted: always,
    files,
};

/// The README; with a Swarm stack, what the stack's section needs (`swarm`).
fn files(template: &str, config: &Config) -> Vec<Output> {
    let mut out = Output::at(template);
    if super::includes(config, swarm::STACK) {
        out.vars.insert("swarm".into(), swarm::plan_value(config));
    }
    vec![out]
}
