//! The multi-stage `Dockerfile` and the `.dockerignore` that shapes its build context.

use super::{Family, always, same_path};

/// The Dockerfile's path.
pub const DOCKERFILE: &str = "Dockerfile";
/// What stays out of the build context.
pub const DOCKERIGNORE: &str = ".dockerignore";

/// The Dockerfile and its `.dockerignore`, always written.
pub const FAMILY: Family = Family {
    name: "dockerfile",
    templates: &[DOCKERFILE, DOCKERIGNORE],
    written: &[],
    wanted: always,
    files: same_path,
};
