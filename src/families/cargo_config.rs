//! `docker/cargo-config.toml`: cargo settings from above the workspace root, copied into the build.

use super::{Family, Wants, same_path};

/// The copy's path.
pub const PATH: &str = "docker/cargo-config.toml";

/// The copy, only when there are such settings.
pub const FAMILY: Family = Family {
    name: "cargo-config",
    templates: &[PATH],
    written: &[],
    wanted: |wants: &Wants| wants.cargo_home_config,
    files: same_path,
};
