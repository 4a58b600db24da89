//! The answers a user can give: flags, prompt answers, or stored in Cargo.toml.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::S3Server;
use crate::existing::Choice;

/// The answers a user can give (flags, prompts, or stored in Cargo.toml); `None` means "use the detected value".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Answers {
    pub bins: Option<Vec<String>>,
    /// The primary binary's port.
    pub port: Option<u16>,
    /// Per-binary settings (`[...dockerize.bin.NAME] port = N`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bin: BTreeMap<String, BinAnswers>,
    pub runtime: Option<Runtime>,
    /// The Rust version of every image when no rust-toolchain.toml pins one: recorded at
    /// `init` (the local rustc's), moved only on request, so another rustc is no drift.
    pub rust_version: Option<String>,
    pub registry: Option<String>,
    /// What image names start with, so two repositories pushing to one registry do not
    /// collide: `<registry>/<prefix>-<bin>` (the project's name by default; `""`: `<bin>`).
    pub image_prefix: Option<String>,
    pub services: Option<Vec<String>>,
    pub features: Option<Vec<String>>,
    pub no_default_features: Option<bool>,
    pub dockerfile_syntax: Option<bool>,
    /// Whether to generate the CI workflow (`.github/workflows/docker.yml`).
    pub ci: Option<bool>,
    /// Whether to generate the Makefile.
    pub makefile: Option<bool>,
    /// Whether the CI workflow signs the images it pushes (keyless, with cosign).
    pub sign: Option<bool>,
    /// Whether base and service images are named with the digest their registry serves
    /// (`rust:1.95.0-slim-trixie@sha256:…`), resolved by `init` and refreshed by `update`.
    pub pin_digests: Option<bool>,
    /// Where the backing services run in production.
    pub prod_services: Option<ProdServices>,
    /// The S3-compatible server run in development.
    pub s3_server: Option<S3Server>,
    /// Folders copied into the production images, relative to the workspace root.
    pub runtime_files: Option<Vec<String>>,
    /// Where production runs: `compose` (one host), `swarm`, `kubernetes`.
    pub deploy: Option<Vec<DeployTarget>>,
    /// The CPU platforms the production images are built for (`linux/amd64`, `linux/arm64`).
    pub platforms: Option<Vec<Platform>>,
    /// The team preset: a folder (relative to the workspace root) or a git URL with `#ref`.
    pub preset: Option<String>,
    /// What to do with files that were there before cargo-dockerize, by path
    /// (`existing-files = { "docker-compose.yml" = "adopt", "Makefile" = "skip" }`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub existing_files: BTreeMap<String, Choice>,
}

/// Where the backing services run in production.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProdServices {
    /// Managed elsewhere; their URLs are in the prod profile.
    External,
    /// Hardened copies in compose.prod.yaml, on the same host as the app.
    Bundled,
}

/// Per-binary answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct BinAnswers {
    pub port: Option<u16>,
    /// How it runs: `server`, `worker`, `tool` or `job`.
    pub role: Option<crate::detect::Role>,
    /// The arguments a server or worker starts with (`["server"]` for `bore server`); `[]`
    /// for none.
    pub args: Option<Vec<String>>,
}

impl Answers {
    /// `self` with every answer that `newer` gives replacing the old one.
    pub fn overlay(mut self, newer: Answers) -> Answers {
        macro_rules! take {
            ($($field:ident),*) => { $( if newer.$field.is_some() { self.$field = newer.$field; } )* };
        }
        take!(
            bins,
            port,
            runtime,
            rust_version,
            registry,
            image_prefix,
            services,
            features,
            no_default_features,
            dockerfile_syntax,
            ci,
            makefile,
            sign,
            pin_digests,
            prod_services,
            s3_server,
            runtime_files,
            deploy,
            platforms,
            preset
        );
        self.existing_files.extend(newer.existing_files);
        for (bin, answers) in newer.bin {
            let entry = self.bin.entry(bin).or_default();
            if answers.port.is_some() {
                entry.port = answers.port;
            }
            if answers.role.is_some() {
                entry.role = answers.role;
            }
            if answers.args.is_some() {
                entry.args = answers.args;
            }
        }
        self
    }
}

#[cfg(test)]
impl Answers {
    /// Only `existing-files` answers: (path at the tool's own name or the team's, choice).
    pub fn existing(files: &[(&str, Choice)]) -> Self {
        let files = files
            .iter()
            .map(|(path, choice)| (path.to_string(), *choice));
        Answers {
            existing_files: files.collect(),
            ..Answers::default()
        }
    }

    /// The same answers with `port` for the binary `bin`.
    pub fn with_bin_port(mut self, bin: &str, port: u16) -> Self {
        self.bin.entry(bin.into()).or_default().port = Some(port);
        self
    }
}

/// The production runtime image family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Runtime {
    /// distroless cc: glibc, libgcc, libssl, CA certificates; no shell.
    Distroless,
    /// distroless static with a musl binary.
    Static,
    /// Debian slim, for run-time libraries distroless lacks.
    Debian,
}

/// A production target the files are made for; Compose files are always made, since
/// development runs on them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum DeployTarget {
    /// `compose.prod.yaml` on one Docker host.
    Compose,
    /// A Docker Swarm stack (`deploy/swarm/stack.yaml`).
    Swarm,
    /// Kustomize base and overlays (`deploy/kubernetes/`).
    Kubernetes,
}

impl DeployTarget {
    /// Every target, in the order they are listed.
    pub const ALL: [DeployTarget; 3] = [
        DeployTarget::Compose,
        DeployTarget::Swarm,
        DeployTarget::Kubernetes,
    ];

    /// The name used in answers and flags.
    pub fn name(self) -> &'static str {
        match self {
            DeployTarget::Compose => "compose",
            DeployTarget::Swarm => "swarm",
            DeployTarget::Kubernetes => "kubernetes",
        }
    }
}

/// A CPU platform a production image is built for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum,
)]
pub enum Platform {
    /// x86-64 (Intel and AMD servers).
    #[serde(rename = "linux/amd64")]
    #[value(name = "linux/amd64")]
    Amd64,
    /// 64-bit Arm (Graviton, Ampere, Apple silicon).
    #[serde(rename = "linux/arm64")]
    #[value(name = "linux/arm64")]
    Arm64,
}

impl Platform {
    /// Every platform, in the order they are listed.
    pub const ALL: [Platform; 2] = [Platform::Amd64, Platform::Arm64];

    /// The name Docker and the answers use.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Amd64 => "linux/amd64",
            Platform::Arm64 => "linux/arm64",
        }
    }

    /// Docker's and Debian's architecture name (`$TARGETARCH`, `dpkg --add-architecture`).
    pub fn arch(self) -> &'static str {
        match self {
            Platform::Amd64 => "amd64",
            Platform::Arm64 => "arm64",
        }
    }

    /// The Rust target the binaries are built for.
    pub fn rust_target(self) -> &'static str {
        match self {
            Platform::Amd64 => "x86_64-unknown-linux-gnu",
            Platform::Arm64 => "aarch64-unknown-linux-gnu",
        }
    }

    /// The GNU triple: the prefix of its C compiler (`aarch64-linux-gnu-gcc`) and its
    /// Debian multiarch library folder (`/usr/lib/aarch64-linux-gnu`).
    pub fn gnu_triple(self) -> &'static str {
        match self {
            Platform::Amd64 => "x86_64-linux-gnu",
            Platform::Arm64 => "aarch64-linux-gnu",
        }
    }

    /// Debian's package of the C cross compiler for it (on another build platform).
    pub fn cross_gcc_package(self) -> &'static str {
        match self {
            Platform::Amd64 => "gcc-x86-64-linux-gnu",
            Platform::Arm64 => "gcc-aarch64-linux-gnu",
        }
    }
}
