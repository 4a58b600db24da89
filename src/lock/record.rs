//! The lock's own record of the configuration: the `[config]` table of the lock file, read and written apart from the render context.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::{InitJob, ServiceConfig, ServiceSecret};
use crate::config::{
    AppSetting, BinConfig, BuildSettings, CargoHomeConfig, Config, CrossConfig, CrossTarget,
    Delivery, DeployTarget, Images, Labels, MigrationsConfig, Platform, RegistrySecret, Runtime,
    ToolchainConfig,
};
use crate::detect::{HealthRoutes, Role};
use crate::existing::ComposeNames;

/// Declares a lock record that mirrors a render-context struct field for field, and the
/// conversions: a field as it is, or through its own record (`=> record`, item by item
/// `=> list`, `=> option`). `Locked <-> Context` converts both ways; `Locked <- Context`
/// converts from the context only, each field read from the sub-struct of the context it is
/// grouped in (`field in group`), the conversion back written out beside it.
macro_rules! record {
    (@convert , $value:expr) => { $value };
    (@convert record, $value:expr) => { $value.into() };
    (@convert list, $value:expr) => { each($value) };
    (@convert option, $value:expr) => { $value.map(Into::into) };
    (
        $(#[$meta:meta])*
        $locked:ident <- $context:ty {
            $($(#[$fmeta:meta])* $field:ident $(in $group:ident)?: $ty:ty $(=> $how:ident)?,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $locked {
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl From<$context> for $locked {
            fn from(from: $context) -> Self {
                $locked {
                    $($field: record!(@convert $($how)?, from.$($group.)?$field),)*
                }
            }
        }
    };
    (
        $(#[$meta:meta])*
        $locked:ident <-> $context:ty {
            $($(#[$fmeta:meta])* $field:ident: $ty:ty $(=> $how:ident)?,)*
        }
    ) => {
        record! {
            $(#[$meta])*
            $locked <- $context {
                $($(#[$fmeta])* $field: $ty $(=> $how)?,)*
            }
        }

        impl From<$locked> for $context {
            fn from(from: $locked) -> Self {
                Self {
                    $($field: record!(@convert $($how)?, from.$field),)*
                }
            }
        }
    };
}

/// Converts each item of a list.
fn each<A, B: From<A>>(items: Vec<A>) -> Vec<B> {
    items.into_iter().map(B::from).collect()
}

record! {
    /// The configuration of the last render, as the lock records it: converted from the
    /// render context when a lock is written and back when it is read, so that the context
    /// can change shape while the lock file keeps its format. Every field keeps the name and
    /// order the lock file has always had, and the value a lock from before that field reads
    /// as; a field added to the context fails to compile here until the record says how the
    /// lock keeps it. The enums `Runtime`, `DeployTarget`, `Platform` and `Role` are shared:
    /// they are written in the answers' own words.
    LockedConfig <- Config {
        project: String,
        rust_version in images: String,
        debian_release in images: String,
        builder_image in images: String,
        runtime in images: Runtime,
        runtime_image in images: String,
        debug_image in images: String,
        registry: String,
        registry_host: Option<String>,
        bins: Vec<LockedBin> => list,
        services: Vec<LockedService> => list,
        features in build: Vec<String>,
        no_default_features in build: bool,
        locked in build: bool,
        build_flags in build: String,
        cargo_flags in build: String,
        debug_shell in images: String,
        build_packages in build: Vec<String>,
        runtime_packages in images: Vec<String>,
        dockerfile_syntax in build: bool,
        sqlx_offline in build: bool,
        labels: LockedLabels => record,
        /// Locks from before the `ci` answer: the workflow was written.
        #[serde(default = "yes")]
        ci in delivery: bool,
        /// Locks from before the `makefile` answer: the Makefile was written.
        #[serde(default = "yes")]
        makefile in delivery: bool,
        #[serde(default)]
        sign in delivery: bool,
        /// Locks from before the `pin-digests` answer: images named by tag alone.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        pin_digests in images: bool,
        /// The digests pinned, by image reference; `check` reads them back.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        image_digests in images: BTreeMap<String, String>,
        /// Locks from before the `deploy` answer: Compose only.
        #[serde(default = "compose_only")]
        deploy in delivery: Vec<DeployTarget>,
        /// Locks from before the `platforms` answer: linux/amd64; written only with others.
        #[serde(default = "amd64_only", skip_serializing_if = "is_amd64_only")]
        platforms in images: Vec<Platform>,
        #[serde(default)]
        cross in images: Option<LockedCross> => option,
        #[serde(default)]
        prod_services_bundled in delivery: bool,
        #[serde(default)]
        migrations in delivery: Option<LockedMigrations> => option,
        #[serde(default)]
        toolchain in build: Option<LockedToolchain> => option,
        #[serde(default)]
        cargo_config_files in build: Vec<String>,
        #[serde(default)]
        cargo_home_config in build: Option<LockedCargoHome> => option,
        #[serde(default)]
        vendor_dirs in build: Vec<String>,
        #[serde(default)]
        build_target in build: Option<String>,
        #[serde(default)]
        static_target in build: Option<String>,
        #[serde(default)]
        runtime_files in images: Vec<String>,
        #[serde(default)]
        runtime_ignores in images: Vec<String>,
        #[serde(default)]
        git_fetch in build: bool,
        #[serde(default)]
        git_ssh in build: bool,
        #[serde(default)]
        registry_secrets in build: Vec<LockedRegistrySecret> => list,
        #[serde(default)]
        keep_git_dir in build: bool,
        #[serde(default)]
        sqlx_check in build: bool,
        /// Written only when a team's own names were adopted.
        #[serde(default, skip_serializing_if = "LockedComposeNames::is_default")]
        compose_files in delivery: LockedComposeNames => record,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        skip in delivery: Vec<String>,
        #[serde(default)]
        repo_dir in delivery: String,
        /// Locks from before this field: the workflow at the repository root's name.
        #[serde(default = "default_ci_workflow")]
        ci_workflow in delivery: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        app_settings: Vec<LockedAppSetting> => list,
    }
}

/// Each recorded field back into the group of the context it belongs to; what is not
/// recorded (the notes) reads back empty.
impl From<LockedConfig> for Config {
    fn from(from: LockedConfig) -> Self {
        Config {
            project: from.project,
            registry: from.registry,
            registry_host: from.registry_host,
            bins: each(from.bins),
            services: each(from.services),
            labels: from.labels.into(),
            app_settings: each(from.app_settings),
            images: Images {
                rust_version: from.rust_version,
                debian_release: from.debian_release,
                builder_image: from.builder_image,
                runtime: from.runtime,
                runtime_image: from.runtime_image,
                debug_image: from.debug_image,
                debug_shell: from.debug_shell,
                runtime_packages: from.runtime_packages,
                pin_digests: from.pin_digests,
                image_digests: from.image_digests,
                platforms: from.platforms,
                cross: from.cross.map(Into::into),
                runtime_files: from.runtime_files,
                runtime_ignores: from.runtime_ignores,
            },
            build: BuildSettings {
                features: from.features,
                no_default_features: from.no_default_features,
                locked: from.locked,
                build_flags: from.build_flags,
                cargo_flags: from.cargo_flags,
                build_packages: from.build_packages,
                dockerfile_syntax: from.dockerfile_syntax,
                sqlx_offline: from.sqlx_offline,
                toolchain: from.toolchain.map(Into::into),
                cargo_config_files: from.cargo_config_files,
                cargo_home_config: from.cargo_home_config.map(Into::into),
                vendor_dirs: from.vendor_dirs,
                build_target: from.build_target,
                static_target: from.static_target,
                git_fetch: from.git_fetch,
                git_ssh: from.git_ssh,
                registry_secrets: each(from.registry_secrets),
                keep_git_dir: from.keep_git_dir,
                sqlx_check: from.sqlx_check,
            },
            delivery: Delivery {
                ci: from.ci,
                makefile: from.makefile,
                sign: from.sign,
                deploy: from.deploy,
                prod_services_bundled: from.prod_services_bundled,
                migrations: from.migrations.map(Into::into),
                compose_files: from.compose_files.into(),
                skip: from.skip,
                repo_dir: from.repo_dir,
                ci_workflow: from.ci_workflow,
            },
            notes: Vec::new(),
        }
    }
}

fn yes() -> bool {
    true
}

fn compose_only() -> Vec<DeployTarget> {
    vec![DeployTarget::Compose]
}

fn amd64_only() -> Vec<Platform> {
    vec![Platform::Amd64]
}

fn is_amd64_only(platforms: &[Platform]) -> bool {
    platforms == [Platform::Amd64]
}

fn default_ci_workflow() -> String {
    crate::families::ci_github::TEMPLATE.into()
}

record! {
    /// A packaged binary, as the lock records it.
    LockedBin <-> BinConfig {
        name: String,
        package: String,
        port: u16,
        target: String,
        env_prefix: String,
        #[serde(default)]
        run_flags: String,
        /// Locks from before the `role` answer: every binary a server.
        #[serde(default)]
        role: Role,
        /// Left out when empty, as in locks from before this field.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        args: Vec<String>,
        #[serde(default)]
        port_env: Option<String>,
        #[serde(default)]
        env: BTreeMap<String, String>,
        #[serde(default)]
        host_port: u16,
        /// Locks from before this field: empty.
        #[serde(default)]
        image: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        health: Option<LockedHealth> => option,
    }
}

record! {
    /// A server's health routes, as the lock records them.
    LockedHealth <-> HealthRoutes {
        #[serde(default)]
        liveness: Option<String>,
        #[serde(default)]
        readiness: Option<String>,
        at: String,
    }
}

record! {
    /// The OCI labels, as the lock records them.
    LockedLabels <-> Labels {
        title: String,
        #[serde(default)]
        description: Option<String>,
        #[serde(default)]
        licenses: Option<String>,
        #[serde(default)]
        source: Option<String>,
    }
}

record! {
    /// A backing service, as the lock records it.
    LockedService <-> ServiceConfig {
        name: String,
        container: bool,
        image: String,
        #[serde(default)]
        command: Vec<String>,
        port: u16,
        #[serde(default)]
        ui_port: Option<u16>,
        env_prefix: String,
        #[serde(default)]
        data_path: Option<String>,
        #[serde(default)]
        app_data_path: Option<String>,
        environment: BTreeMap<String, String>,
        #[serde(default)]
        healthcheck: Option<String>,
        app_env: BTreeMap<String, String>,
        prod_env: BTreeMap<String, String>,
        implied_by: Vec<String>,
        #[serde(default)]
        init: Option<LockedInitJob> => option,
        #[serde(default)]
        dev_only: bool,
        #[serde(default)]
        secrets: Vec<LockedServiceSecret> => list,
        #[serde(default)]
        prod_entrypoint: Vec<String>,
        #[serde(default)]
        prod_healthcheck: Option<String>,
    }
}

record! {
    /// A service's secret, as the lock records it.
    LockedServiceSecret <-> ServiceSecret {
        env: String,
        name: String,
        from_file: bool,
        #[serde(default)]
        owner: Option<u32>,
        #[serde(default)]
        app_env: Option<String>,
    }
}

record! {
    /// A service's one-shot setup job, as the lock records it.
    LockedInitJob <-> InitJob {
        image: String,
        script: String,
        environment: BTreeMap<String, String>,
        #[serde(default)]
        prod_script: String,
        #[serde(default)]
        secrets: Vec<String>,
    }
}

record! {
    /// How migrations run, as the lock records it.
    LockedMigrations <-> MigrationsConfig {
        tool: String,
        dir: String,
        dev_command: String,
        cli_install: Option<String>,
        cli_bin: Option<String>,
        image: bool,
        /// Locks from before this field: not embedded.
        #[serde(default)]
        embedded: bool,
    }
}

record! {
    /// How the builder cross-compiles, as the lock records it.
    LockedCross <-> CrossConfig {
        targets: Vec<LockedCrossTarget> => list,
        libraries: Vec<String>,
    }
}

record! {
    /// One cross-compiled platform, as the lock records it.
    LockedCrossTarget <-> CrossTarget {
        platform: String,
        arch: String,
        rust_target: String,
        gnu_triple: String,
        cross_gcc_package: String,
        cargo_env: String,
        cc_env: String,
    }
}

record! {
    /// The pinned toolchain, as the lock records it.
    LockedToolchain <-> ToolchainConfig {
        file: String,
        channel: String,
        components: Vec<String>,
        targets: Vec<String>,
        install: bool,
    }
}

record! {
    /// The cargo settings from above the workspace root, as the lock records them.
    LockedCargoHome <-> CargoHomeConfig {
        sources: Vec<String>,
        text: String,
    }
}

record! {
    /// An alternative registry's token secret, as the lock records it.
    LockedRegistrySecret <-> RegistrySecret {
        name: String,
        secret: String,
        env: String,
        token_env: String,
    }
}

record! {
    /// A setting of the app's own, as the lock records it.
    LockedAppSetting <-> AppSetting {
        var: String,
        dev: String,
        dev_note: String,
        prod_hint: String,
        secret: bool,
    }
}

record! {
    /// The compose files' names, as the lock records them.
    LockedComposeNames <-> ComposeNames {
        base: String,
        dev: String,
        prod: String,
    }
}

impl Default for LockedComposeNames {
    fn default() -> Self {
        ComposeNames::default().into()
    }
}

impl LockedComposeNames {
    /// Whether these are the tool's own names (then the lock leaves them out).
    fn is_default(&self) -> bool {
        *self == LockedComposeNames::default()
    }
}
