//! `docker/dockerize.lock`: the record of the last render, written by the commands from the rendered files.

use super::{Family, always, same_path};

/// The lock, always written (no template: [`crate::lock::Lock`] makes it).
pub const FAMILY: Family = Family {
    name: "lock",
    templates: &[],
    written: &[crate::lock::PATH],
    wanted: always,
    files: same_path,
};
