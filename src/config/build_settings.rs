//! How cargo builds the workspace in the builder: flags, toolchain, cargo configuration, sources.

use serde::Serialize;

use super::{CargoHomeConfig, RegistrySecret, ToolchainConfig};

/// The cargo build inside the builder: features and flags, toolchain, cargo configuration,
/// where sources come from, and the checks that stop it early (flattened into the render
/// context).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildSettings {
    pub features: Vec<String>,
    pub no_default_features: bool,
    /// Whether Cargo.lock exists (then every cargo call gets `--locked`).
    pub locked: bool,
    /// The flags passed identically to `cargo chef cook` and `cargo build`: `cargo_flags`, then
    /// `-p` for each package holding a packaged binary and `--bin` for each binary.
    pub build_flags: String,
    /// `--locked` and the feature selection, for `cargo run` and `cargo test`.
    pub cargo_flags: String,
    pub build_packages: Vec<String>,
    pub dockerfile_syntax: bool,
    pub sqlx_offline: bool,
    /// The pinned toolchain, installed before any cargo call.
    pub toolchain: Option<ToolchainConfig>,
    /// Cargo configuration files copied in before `cargo chef cook`.
    pub cargo_config_files: Vec<String>,
    /// Cargo settings from config files above the workspace root (outside the build
    /// context), merged: rendered as docker/cargo-config.toml, read as `$CARGO_HOME/config.toml`.
    pub cargo_home_config: Option<CargoHomeConfig>,
    /// Vendored source folders copied in before `cargo chef cook`.
    pub vendor_dirs: Vec<String>,
    /// `build.target` of .cargo/config.toml: the builder adds that target's standard library,
    /// and release binaries land in `target/<triple>/release`.
    pub build_target: Option<String>,
    /// The musl target a static runtime's binaries are built for, passed to cook, build and
    /// the migration CLI (`None`: not static, or the cargo config already builds for musl).
    pub static_target: Option<String>,
    /// Git dependencies: git in the builder, fetched with the git CLI and the `git-credentials` secret.
    pub git_fetch: bool,
    /// A git dependency over ssh: the build gets the ssh agent.
    pub git_ssh: bool,
    /// Alternative registries whose token comes from a build secret.
    pub registry_secrets: Vec<RegistrySecret>,
    /// A build script reads the repository: `.git` stays in the build context.
    pub keep_git_dir: bool,
    /// sqlx query macros and no offline data: the build stops early with the fix.
    pub sqlx_check: bool,
}
