//! `docker/cargo-config.toml`: cargo settings from above the workspace root, copied into the build.

use super::Family;

/// The copy's path.
pub const PATH: &str = "docker/cargo-config.toml";

/// The copy, only when there are such settings.
pub const FAMILY: Family =
    Family::rendering("cargo-config", &[PATH]).wanted_when(|wants| wants.cargo_home_config);
