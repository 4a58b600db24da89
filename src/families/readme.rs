//! `README.Docker.md`: how to use the generated files.

use super::{Family, always, same_path};

/// The README's path.
pub const PATH: &str = "README.Docker.md";

/// The README, always written.
pub const FAMILY: Family = Family {
    name: "readme",
    templates: &[PATH],
    written: &[],
    wanted: always,
    files: same_path,
};
