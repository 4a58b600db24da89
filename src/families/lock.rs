//! `docker/dockerize.lock`: the record of the last render, written by the commands from the rendered files.

use super::Family;

/// The lock, always written (no template: [`crate::lock::Lock`] makes it).
pub const FAMILY: Family = Family::writing("lock", &[crate::lock::PATH]);
