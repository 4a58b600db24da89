//! `docker/entrypoint.sh`: the POSIX shell script that loads the profile and dispatches.

use super::{Family, Output};
use crate::config::Config;

/// The entrypoint's path.
pub const PATH: &str = "docker/entrypoint.sh";

/// The entrypoint, always written, executable.
pub const FAMILY: Family = Family::rendering("entrypoint", &[PATH]).making(files);

fn files(template: &str, _: &Config) -> Vec<Output> {
    vec![Output::at(template).executable()]
}
