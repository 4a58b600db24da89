//! The images the files build on and produce: base images, runtime, platforms and digests.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{CrossConfig, Platform, Runtime};

/// The base images, the runtime they give the production images and what those hold, and
/// the platforms they are built for (flattened into the render context).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Images {
    pub rust_version: String,
    pub debian_release: String,
    pub builder_image: String,
    pub runtime: Runtime,
    pub runtime_image: String,
    pub debug_image: String,
    /// The shell of the debug image, for `make shell ENV=prod`.
    pub debug_shell: String,
    pub runtime_packages: Vec<String>,
    /// Whether images are named with their digests (locks from before this answer: no).
    pub pin_digests: bool,
    /// The digest of each image, by the reference it pins: resolved by `init` and `update`,
    /// read back by `check` (no registry asked).
    pub image_digests: BTreeMap<String, String>,
    /// The platforms the production images are built for (locks from before this answer:
    /// linux/amd64).
    pub platforms: Vec<Platform>,
    /// How the builder cross-compiles for them (`None`: linux/amd64 alone, built natively).
    pub cross: Option<CrossConfig>,
    /// Folders copied into the production images, relative to the workspace root (= `/app`).
    pub runtime_files: Vec<String>,
    /// What git ignores inside those folders (local settings, secrets): kept out by `.dockerignore`.
    pub runtime_ignores: Vec<String>,
}
