//! The user's answers plus the detected facts: the resolved configuration every template renders from.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::detect::{Facts, HealthRoutes, Role, ServiceKind};
use crate::error::{Error, Result};
use crate::existing;
use crate::families;
use crate::workspace::Workspace;

mod answers;
mod app_settings;
mod build;
mod build_settings;
mod delivery;
mod images;
mod layers;
mod validate;

pub use answers::{Answers, BinAnswers, DeployTarget, Platform, ProdServices, Runtime};
pub use app_settings::AppSetting;
pub use build::{CargoHomeConfig, MigrationsConfig, RegistrySecret, ToolchainConfig, runtime_dir};
pub use build::{CrossConfig, CrossTarget};
use build::{
    build_packages, cross_config, migrations_config, package_selection, registry_secrets,
    runtime_files, static_target, toolchain_config,
};
pub use build_settings::BuildSettings;
pub use delivery::Delivery;
pub use images::Images;
pub use layers::{DEFAULTS, Defaults, Layer, Layers, Refusal, Source};

/// The Debian release every stage is built on (builder and runtime must match glibc).
pub const DEBIAN_RELEASE: &str = "trixie";

/// The fully resolved configuration: the render context, recorded in the lock as a
/// [`crate::lock::LockedConfig`] (which says what locks from before a field read as). Its
/// fields are grouped by concern ([`Images`], [`BuildSettings`], [`Delivery`]); each group is
/// flattened, so the templates see every field at the top level of the context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Config {
    /// Compose project name and image namespace.
    pub project: String,
    pub registry: String,
    /// The registry's host for `docker login` (`None`: Docker Hub).
    pub registry_host: Option<String>,
    pub bins: Vec<BinConfig>,
    pub services: Vec<ServiceConfig>,
    pub labels: Labels,
    /// Base images, runtime and platforms.
    #[serde(flatten)]
    pub images: Images,
    /// The cargo build in the builder.
    #[serde(flatten)]
    pub build: BuildSettings,
    /// The files around the images and where production runs.
    #[serde(flatten)]
    pub delivery: Delivery,
    /// Variables the app's own code reads that no service sets under that name (required
    /// settings, service URLs under its own names, `.cargo/config.toml` `[env]`), with
    /// their development values and production hints (locks from before: none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub app_settings: Vec<AppSetting>,
    /// Decisions to tell the user (not rendered, not locked).
    #[serde(skip)]
    pub notes: Vec<String>,
}

/// A list answer must name something: why not, when it names nothing.
fn names_one_or_more(
    key: &str,
    what: &str,
    empty: bool,
    all: &[&str],
) -> std::result::Result<(), String> {
    if empty {
        return Err(format!(
            "{key} names no {what}: name one or more of {}",
            all.join(", ")
        ));
    }
    Ok(())
}

impl Config {
    /// Every base and service image the files name, for a mirror or a digest to rewrite.
    pub fn images_mut(&mut self) -> Vec<&mut String> {
        let mut images = vec![
            &mut self.images.builder_image,
            &mut self.images.runtime_image,
            &mut self.images.debug_image,
        ];
        for service in &mut self.services {
            images.push(&mut service.image);
            if let Some(init) = &mut service.init {
                images.push(&mut init.image);
            }
        }
        images
    }

    /// Each image named with its digest from `digests` (by reference), which are kept; one
    /// with none given stays as it is.
    pub fn pin(&mut self, digests: &BTreeMap<String, String>) {
        let mut used = BTreeMap::new();
        for image in self.images_mut() {
            if let Some(digest) = digests.get(image.as_str()) {
                used.insert(image.clone(), digest.clone());
                *image = format!("{image}@{digest}");
            }
        }
        self.images.image_digests = used;
    }
}

/// A packaged binary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BinConfig {
    pub name: String,
    pub package: String,
    pub port: u16,
    /// The Dockerfile target building its production image.
    pub target: String,
    /// Prefix of its environment variables, e.g. `API` for `API_PORT`.
    pub env_prefix: String,
    /// `--locked` and the features that apply to its package, for `cargo run -p <package>`
    /// (another package's `pkg/feature` is refused there).
    pub run_flags: String,
    /// How it runs (locks from before this answer: every binary a server).
    pub role: Role,
    /// The arguments its production image and its development service start it with
    /// (servers and workers: the subcommand that serves); empty for none.
    pub args: Vec<String>,
    /// The variable the app reads its port from, if any (servers only).
    pub port_env: Option<String>,
    /// Variables its containers set so it listens where the files say (port, listen address).
    pub env: std::collections::BTreeMap<String, String>,
    /// The port published on the host (the container's port unless another server has it).
    pub host_port: u16,
    /// Its image's name under the registry: `<prefix>-<bin>`, or the prefix alone for the
    /// binary named like it (locks from before this answer: the binary's name).
    pub image: String,
    /// Servers: the health routes its code declares, for HTTP probes (none found: TCP probes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health: Option<HealthRoutes>,
}

pub use crate::catalog::ServiceConfig;

/// OCI labels taken from the primary package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Labels {
    pub title: String,
    pub description: Option<String>,
    pub licenses: Option<String>,
    pub source: Option<String>,
}

/// Combines the answers with the facts; fails on answers that do not fit the workspace,
/// blamed on the workspace's answers table.
pub fn resolve(ws: &Workspace, facts: &Facts, answers: &Answers) -> Result<Config> {
    let layers = Layers::new(
        Answers::default(),
        ws.root_manifest.clone(),
        "dockerize",
        Layer::empty(),
    );
    resolve_from(ws, facts, answers, &layers)
}

/// [`resolve`], a refused value reported as coming from its layer in `layers` (a flag, a
/// Cargo.toml key).
pub fn resolve_from(
    ws: &Workspace,
    facts: &Facts,
    answers: &Answers,
    layers: &Layers,
) -> Result<Config> {
    let refuse =
        |key: &'static str| move |message: String| layers.refuse(Refusal::new(key, message));
    let project = sanitize_name(&ws.name);
    let bins = select_bins(facts, answers).map_err(refuse("bins"))?;
    if bins.is_empty() {
        return Err(Error::Usage(
            "the workspace has no binary target to package: add a `src/main.rs` or a `[[bin]]`"
                .into(),
        ));
    }
    let runtime_files = runtime_files(facts, answers).map_err(refuse("runtime-files"))?;
    let platforms = answers.platforms();
    names_one_or_more(
        "deploy",
        "target",
        answers.deploy().is_empty(),
        &DeployTarget::ALL.map(DeployTarget::name),
    )
    .map_err(refuse("deploy"))?;
    names_one_or_more(
        "platforms",
        "platform",
        platforms.is_empty(),
        &Platform::ALL.map(Platform::name),
    )
    .map_err(refuse("platforms"))?;
    let mut bin_configs = bin_configs(facts, answers, &bins).map_err(|r| layers.refuse(r))?;
    let prefix = answers
        .image_prefix
        .clone()
        .unwrap_or_else(|| project.clone());
    validate_image_prefix(&prefix).map_err(refuse("image-prefix"))?;
    for bin in &mut bin_configs {
        bin.image = image_name(&prefix, &bin.name);
    }
    for name in answers.bin.keys() {
        if !bins.iter().any(|b| &b.name == name) {
            return Err(layers.refuse(Refusal::new(
                layers::bin_key(name),
                format!("`bin.{name}` names a binary that is not packaged"),
            )));
        }
    }

    let kinds = match &answers.services {
        Some(names) => names
            .iter()
            .map(|n| {
                ServiceKind::parse(n).ok_or_else(|| {
                    refuse("services")(format!(
                        "unknown service `{n}` (known: {})",
                        ServiceKind::ALL.map(|k| k.name()).join(", ")
                    ))
                })
            })
            .collect::<std::result::Result<Vec<_>, _>>()?,
        None => facts.services.iter().map(|s| s.kind).collect(),
    };
    let database = project.replace('-', "_");
    let mut services: Vec<ServiceConfig> = kinds
        .into_iter()
        .map(|kind| {
            let implied_by = facts
                .services
                .iter()
                .find(|s| s.kind == kind)
                .map(|s| s.crates.clone())
                .unwrap_or_default();
            crate::catalog::service(kind, &database, implied_by, answers.s3_server())
        })
        .collect();

    let notes = one_value_per_variable(&mut services);

    let runtime = answers.runtime.unwrap_or(detected_runtime(facts));
    let static_target = match runtime {
        Runtime::Static => static_target(facts).map_err(refuse("runtime"))?,
        _ => None,
    };
    let cross = cross_config(facts, &platforms, runtime).map_err(refuse("platforms"))?;
    let debian_version = "13";
    let (runtime_image, debug_image) = match runtime {
        Runtime::Distroless => (
            format!("gcr.io/distroless/cc-debian{debian_version}:nonroot"),
            format!("gcr.io/distroless/cc-debian{debian_version}:debug-nonroot"),
        ),
        Runtime::Static => (
            format!("gcr.io/distroless/static-debian{debian_version}:nonroot"),
            format!("gcr.io/distroless/static-debian{debian_version}:debug-nonroot"),
        ),
        Runtime::Debian => (
            format!("debian:{DEBIAN_RELEASE}-slim"),
            format!("debian:{DEBIAN_RELEASE}-slim"),
        ),
    };

    let mut features = answers.features.clone().unwrap_or_default();
    for bin in &bins {
        for f in &bin.required_features {
            let qualified = format!("{}/{}", bin.package, f);
            if !features.contains(&qualified) && !features.contains(f) {
                features.push(qualified);
            }
        }
    }
    let no_default_features = answers.no_default_features();
    let locked = ws.has_lockfile;
    let mut flags = Vec::new();
    if locked {
        flags.push("--locked".to_string());
    }
    if no_default_features {
        flags.push("--no-default-features".into());
    }
    if !features.is_empty() {
        flags.push(format!("--features {}", features.join(",")));
    }
    let cargo_flags = flags.join(" ");
    for bin in &mut bin_configs {
        let own = format!("{}/", bin.package);
        let applicable: Vec<&str> = features
            .iter()
            .filter(|f| !f.contains('/') || f.starts_with(&own))
            .map(String::as_str)
            .collect();
        let mut run = flags[..flags.len() - usize::from(!features.is_empty())].to_vec();
        if !applicable.is_empty() {
            run.push(format!("--features {}", applicable.join(",")));
        }
        bin.run_flags = run.join(" ");
    }
    flags.extend(package_selection(&bins));

    let primary_member = ws.members.iter().find(|m| m.name == bins[0].package);
    let labels = Labels {
        title: bins[0].name.clone(),
        description: primary_member.and_then(|m| m.description.clone()),
        licenses: primary_member.and_then(|m| m.license.clone()),
        source: primary_member.and_then(|m| m.repository.clone()),
    };
    let registry = answers
        .registry
        .clone()
        .unwrap_or_else(|| default_registry(labels.source.as_deref(), &project));
    validate_registry(&registry).map_err(refuse("registry"))?;

    let decisions = existing::decide(&answers.existing_files)
        .map_err(|e| refuse("existing-files")(format!("existing-files: {e}")))?;

    let registry_host = registry
        .split('/')
        .next()
        .filter(|h| {
            registry.contains('/') && (h.contains('.') || h.contains(':') || *h == "localhost")
        })
        .map(str::to_string);

    let ci_workflow = families::ci_github::path(&ws.repo_dir, &project);
    let rust_version = match &answers.rust_version {
        Some(answer) if !facts.rust.pinned_by_toolchain() => {
            validate_rust_version(answer).map_err(refuse("rust-version"))?;
            answer.clone()
        }
        _ => facts.rust.version.clone(),
    };
    let app_settings = app_settings::app_settings(&project, &facts.runs, &bin_configs, &services);
    Ok(Config {
        app_settings,
        registry_host,
        registry,
        bins: bin_configs,
        services,
        labels,
        project,
        notes,
        images: Images {
            builder_image: format!("rust:{rust_version}-slim-{DEBIAN_RELEASE}"),
            rust_version,
            debian_release: DEBIAN_RELEASE.into(),
            runtime,
            runtime_image,
            debug_image,
            debug_shell: match runtime {
                Runtime::Debian => "/bin/sh".into(),
                _ => "/busybox/sh".into(),
            },
            runtime_packages: facts.system_packages.runtime.iter().cloned().collect(),
            pin_digests: answers.pin_digests(),
            image_digests: BTreeMap::new(),
            platforms,
            cross,
            runtime_ignores: crate::detect::git_ignored_in(ws, &runtime_files),
            runtime_files,
        },
        build: BuildSettings {
            features,
            no_default_features,
            locked,
            build_flags: flags.join(" "),
            cargo_flags,
            build_packages: build_packages(facts, static_target.is_some()),
            dockerfile_syntax: answers.dockerfile_syntax(),
            sqlx_offline: facts.sqlx_offline,
            toolchain: toolchain_config(ws),
            cargo_config_files: facts.cargo_config.files.clone(),
            cargo_home_config: facts.cargo_config.outside_merged.as_ref().map(|text| {
                CargoHomeConfig {
                    sources: facts.cargo_config.outside.clone(),
                    text: text.clone(),
                }
            }),
            vendor_dirs: facts.cargo_config.vendor_dirs.clone(),
            build_target: facts.cargo_config.build_target.clone(),
            static_target,
            git_fetch: facts.sources.has_git(),
            git_ssh: facts.sources.ssh,
            registry_secrets: registry_secrets(facts),
            keep_git_dir: facts.build_scripts.reads_git,
            sqlx_check: !facts.sqlx_checked_queries.is_empty() && !facts.sqlx_offline,
        },
        delivery: Delivery {
            ci: answers.ci(),
            makefile: answers.makefile(),
            sign: answers.sign(),
            deploy: answers.deploy(),
            prod_services_bundled: answers.prod_services() == ProdServices::Bundled,
            migrations: facts.migrations.as_ref().map(migrations_config),
            compose_files: decisions.compose,
            skip: decisions.skip,
            ci_workflow,
            repo_dir: ws.repo_dir.clone(),
        },
    })
    .and_then(validate::checked)
}

/// Two services that set the same variable (Postgres and SQLite both `DATABASE_URL`): the
/// first in the list keeps it, the later one gives it up; returns what was decided.
fn one_value_per_variable(services: &mut [ServiceConfig]) -> Vec<String> {
    let mut notes = Vec::new();
    let mut owners: Vec<(String, String)> = Vec::new();
    for service in services.iter_mut() {
        let taken: Vec<String> = service
            .app_env
            .keys()
            .filter(|k| owners.iter().any(|(key, _)| key == *k))
            .cloned()
            .collect();
        for key in taken {
            let owner = &owners.iter().find(|(k, _)| *k == key).expect("taken").1;
            notes.push(format!(
                "{key} is set by {owner} and {}: the profiles give it {owner}'s value (the first service listed keeps a variable); set it by hand to use {}",
                service.name, service.name
            ));
            service.app_env.remove(&key);
            service.prod_env.remove(&key);
        }
        for key in service.app_env.keys() {
            owners.push((key.clone(), service.name.clone()));
        }
    }
    notes
}

/// The port of a binary answered to be a server whose code shows none.
const ASSUMED_PORT: u16 = 8080;

/// Each packaged binary's role, port and variables: answers first, then what its code says.
/// Servers only listen; two servers with one port are published on distinct host ports.
fn bin_configs(
    facts: &Facts,
    answers: &Answers,
    bins: &[&crate::workspace::BinTarget],
) -> std::result::Result<Vec<BinConfig>, Refusal> {
    let mut out: Vec<BinConfig> = Vec::new();
    for (i, bin) in bins.iter().enumerate() {
        let run = facts.runs.iter().find(|r| r.bin == bin.name);
        let answered = answers.bin.get(&bin.name);
        // A port answered for a binary makes it a server, unless its role is answered too.
        let own_port = answered.and_then(|b| b.port);
        let port_key = match own_port {
            None if i == 0 => "port".into(),
            _ => format!("{}.port", layers::bin_key(&bin.name)),
        };
        let port_answer = own_port.or(if i == 0 { answers.port } else { None });
        let role = answered
            .and_then(|b| b.role)
            .or(port_answer.map(|_| Role::Server))
            .or(run.map(|r| r.role))
            .unwrap_or_default();
        let found = run.and_then(|r| r.port.as_ref());
        // Only servers listen: nothing is published or set for the others.
        let (port, port_env, env) = if role == Role::Server {
            let port = port_answer
                .or(found.map(|f| f.port))
                .unwrap_or(ASSUMED_PORT);
            if port == 0 {
                return Err(Refusal::new(
                    port_key,
                    format!("port of `{}` must be between 1 and 65535", bin.name),
                ));
            }
            let env = run.map(|r| r.env_for_port(port)).unwrap_or_default();
            (port, found.and_then(|f| f.env.clone()), env)
        } else {
            (0, None, Default::default())
        };
        let mut host_port = port;
        while role == Role::Server && out.iter().any(|b| b.host_port == host_port) {
            host_port = host_port.saturating_add(1);
        }
        out.push(BinConfig {
            name: bin.name.clone(),
            package: bin.package.clone(),
            port,
            host_port,
            target: if i == 0 {
                "production".into()
            } else {
                format!("production-{}", bin.name)
            },
            env_prefix: env_prefix(&bin.name),
            run_flags: String::new(),
            role,
            // Tools and jobs are given their arguments by whoever runs them.
            args: match role {
                Role::Server | Role::Worker => answered
                    .and_then(|b| b.args.clone())
                    .or_else(|| run.map(|r| r.args.clone()))
                    .unwrap_or_default(),
                Role::Tool | Role::Job => Vec::new(),
            },
            port_env,
            env,
            image: bin.name.clone(),
            health: run
                .and_then(|r| r.health.clone())
                .filter(|_| role == Role::Server),
        });
    }
    Ok(out)
}

/// The runtime detection implies: distroless cc unless a run-time library it lacks is needed.
pub fn detected_runtime(facts: &Facts) -> Runtime {
    if facts.system_packages.missing_from_distroless.is_empty() {
        DEFAULTS.runtime
    } else {
        Runtime::Debian
    }
}

/// The binaries to package, in order: the answer's, else every detected one but desktop apps.
fn select_bins<'a>(
    facts: &'a Facts,
    answers: &Answers,
) -> std::result::Result<Vec<&'a crate::workspace::BinTarget>, String> {
    match &answers.bins {
        None => Ok(facts.default_bins()),
        Some(names) => names
            .iter()
            .map(|n| {
                facts.bins.iter().find(|b| &b.name == n).ok_or_else(|| {
                    format!(
                        "no binary named `{n}` (binaries: {})",
                        facts
                            .bins
                            .iter()
                            .map(|b| b.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
            })
            .collect(),
    }
}

/// `ghcr.io/<owner>` when the repository is on GitHub (and the owner makes a valid
/// reference), else a local namespace named after the project.
fn default_registry(repository: Option<&str>, project: &str) -> String {
    repository
        .and_then(|r| {
            let rest = r
                .trim_end_matches('/')
                .trim_end_matches(".git")
                .split("github.com/")
                .nth(1)?;
            let owner = rest.split('/').next()?;
            (!owner.is_empty()).then(|| format!("ghcr.io/{}", owner.to_ascii_lowercase()))
        })
        .filter(|registry| validate_registry(registry).is_ok())
        .unwrap_or_else(|| project.to_string())
}

/// `<prefix>-<bin>`, the prefix alone for the binary named like it, the binary's name without one.
fn image_name(prefix: &str, bin: &str) -> String {
    let bin = sanitize_name(bin);
    if prefix.is_empty() || bin == prefix {
        bin
    } else {
        format!("{prefix}-{bin}")
    }
}

/// Rejects prefixes that would make image names Docker refuses.
fn validate_image_prefix(prefix: &str) -> std::result::Result<(), String> {
    let ok = prefix.is_empty()
        || (prefix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
            && prefix.starts_with(|c: char| c.is_ascii_alphanumeric()));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "image-prefix `{prefix}` must be lowercase letters, digits and `._-`, starting with a letter or digit (\"\" for none)"
        ))
    }
}

/// A Rust version usable as the builder image's tag: `1.95.0` or `1.95`.
fn validate_rust_version(version: &str) -> std::result::Result<(), String> {
    let parts: Vec<&str> = version.split('.').collect();
    if (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        Ok(())
    } else {
        Err(format!(
            "rust-version `{version}` must be a release like 1.95.0 or 1.95 (the builder image's tag)"
        ))
    }
}

/// Rejects registry references Docker would refuse.
pub fn validate_registry(registry: &str) -> std::result::Result<(), String> {
    let ok = !registry.is_empty()
        && !registry.starts_with('/')
        && !registry.ends_with('/')
        && registry
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/:".contains(c))
        // `:` only before a port (`localhost:5000/acme`): YAML reads a trailing `:` as a key.
        && registry
            .split(':')
            .skip(1)
            .all(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "registry `{registry}` is not a valid image reference prefix (lowercase letters, digits, `._-/:`), e.g. ghcr.io/acme"
        ))
    }
}

/// A Compose project name: lowercase letters, digits, `-` and `_`, starting with a letter or digit.
pub fn sanitize_name(name: &str) -> String {
    let s: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_start_matches(['-', '_']).to_string();
    if s.is_empty() { "app".into() } else { s }
}

/// `my-api` -> `MY_API`.
fn env_prefix(name: &str) -> String {
    name.to_ascii_uppercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect;
    use crate::workspace::{BinTarget, Member};

    fn workspace() -> Workspace {
        let mut ws = detect::test_support::workspace_with(&["axum", "tokio-postgres"]);
        ws.name = "shop".into();
        ws.has_lockfile = true;
        ws.rustc_version = Some("1.95.0".into());
        ws.members = vec![Member {
            name: "shop".into(),
            repository: Some("https://github.com/Acme/shop".into()),
            ..Member::default()
        }];
        ws.bins = detect::test_support::bins("shop", &["shop", "worker"]);
        ws
    }

    #[test]
    fn defaults_come_from_detection() {
        let ws = workspace();
        let mut facts = detect::detect(&ws);
        for run in &mut facts.runs {
            run.role = Role::Server;
            run.port = Some(crate::detect::PortFinding {
                port: 3000,
                env: Some("PORT".into()),
                env_holds_address: false,
                source: crate::detect::PortSource::EnvVar,
                evidence: crate::detect::Evidence {
                    reason: "env::var(\"PORT\")".into(),
                    at: None,
                },
            });
        }
        let config = resolve(&ws, &facts, &Answers::default()).unwrap();
        assert_eq!(config.bins[0].port, 3000);
        assert_eq!(config.bins[1].port, 3000, "the port its code listens on");
        assert_eq!(config.bins[1].host_port, 3001, "published apart");
        assert_eq!(config.bins[1].env["PORT"], "3000");
        assert_eq!(config.bins[1].target, "production-worker");
        assert_eq!(config.registry, "ghcr.io/acme");
        assert_eq!(config.services[0].name, "postgres");
        assert_eq!(
            config.build.build_flags,
            "--locked -p shop --bin shop --bin worker"
        );
        assert_eq!(config.build.cargo_flags, "--locked");
        assert_eq!(config.images.builder_image, "rust:1.95.0-slim-trixie");
    }

    #[test]
    fn answers_override_detection() {
        let ws = workspace();
        let answers = Answers {
            bins: Some(vec!["worker".into()]),
            port: Some(9000),
            services: Some(vec![]),
            runtime: Some(Runtime::Debian),
            ..Answers::default()
        }
        .with_bin_port("worker", 9100);
        let config = resolve(&ws, &detect::detect(&ws), &answers).unwrap();
        assert_eq!(config.bins.len(), 1);
        assert_eq!(config.bins[0].port, 9100);
        assert!(config.services.is_empty());
        assert_eq!(config.images.runtime_image, "debian:trixie-slim");
    }

    #[test]
    fn start_arguments_for_servers_and_workers_from_the_code_or_the_answer() {
        let ws = workspace();
        let mut facts = detect::detect(&ws);
        facts.runs[0].role = Role::Server;
        facts.runs[0].args = vec!["serve".into()];
        facts.runs[1].role = Role::Tool;
        facts.runs[1].args = vec!["ignored".into()];
        let config = resolve(&ws, &facts, &Answers::default()).unwrap();
        assert_eq!(config.bins[0].args, ["serve"]);
        assert!(
            config.bins[1].args.is_empty(),
            "a tool is given its arguments"
        );
        let mut answers = Answers::default();
        answers.bin.entry("shop".into()).or_default().args = Some(vec![]);
        let config = resolve(&ws, &facts, &answers).unwrap();
        assert!(config.bins[0].args.is_empty(), "the answer wins");
    }

    #[test]
    fn unknown_names_are_errors() {
        let ws = workspace();
        let facts = detect::detect(&ws);
        for answers in [
            Answers {
                bins: Some(vec!["nope".into()]),
                ..Answers::default()
            },
            Answers {
                services: Some(vec!["oracle".into()]),
                ..Answers::default()
            },
            Answers {
                registry: Some("Not A Registry".into()),
                ..Answers::default()
            },
            Answers {
                registry: Some("ghcr.io/acme:".into()),
                ..Answers::default()
            },
        ] {
            let err = resolve(&ws, &facts, &answers).unwrap_err();
            assert!(matches!(err, Error::Answers { .. }), "{err}");
        }
    }

    #[test]
    fn a_static_runtime_builds_for_musl_or_says_what_links_glibc() {
        let static_runtime = Answers {
            runtime: Some(Runtime::Static),
            ..Answers::default()
        };
        let ws = workspace();
        let config = resolve(&ws, &detect::detect(&ws), &static_runtime).unwrap();
        assert_eq!(
            config.build.static_target.as_deref(),
            Some("x86_64-unknown-linux-musl")
        );
        assert!(
            config
                .build
                .build_packages
                .contains(&"musl-tools".to_string())
        );
        assert!(config.images.runtime_image.contains("distroless/static"));
        let other = resolve(&ws, &detect::detect(&ws), &Answers::default()).unwrap();
        assert_eq!(other.build.static_target, None);

        // A cargo config that already builds for musl: no second target.
        let mut facts = detect::detect(&ws);
        facts.cargo_config.build_target = Some("x86_64-unknown-linux-musl".into());
        let config = resolve(&ws, &facts, &static_runtime).unwrap();
        assert_eq!(config.build.static_target, None);
        // One that builds for glibc: refused, naming the target.
        facts.cargo_config.build_target = Some("x86_64-unknown-linux-gnu".into());
        let err = resolve(&ws, &facts, &static_runtime).unwrap_err();
        assert!(
            err.to_string().contains("x86_64-unknown-linux-gnu"),
            "{err}"
        );

        // A system library: refused with the reason and the alternatives.
        let mut ws = workspace();
        ws.packages
            .extend(detect::test_support::workspace_with(&["openssl-sys", "pq-sys"]).packages);
        let err = resolve(&ws, &detect::detect(&ws), &static_runtime).unwrap_err();
        let Error::Answers { message, .. } = err else {
            panic!("{err}")
        };
        assert!(message.starts_with("runtime static"), "{message}");
        for part in [
            "openssl-sys (openssl's `vendored` feature, or rustls), pq-sys link a system library",
            "--runtime distroless",
            "--runtime debian",
        ] {
            assert!(message.contains(part), "{part}: {message}");
        }
        // Vendored OpenSSL is built into the binary.
        let mut ws = workspace();
        ws.packages
            .extend(detect::test_support::workspace_with(&["openssl-sys[vendored]"]).packages);
        assert!(resolve(&ws, &detect::detect(&ws), &static_runtime).is_ok());
    }

    #[test]
    fn every_binary_package_is_selected_with_its_required_features() {
        let mut ws = workspace();
        ws.bins = vec![
            BinTarget {
                name: "gateway".into(),
                package: "gateway".into(),
                ..BinTarget::default()
            },
            BinTarget {
                name: "jobs".into(),
                package: "fleet-jobs".into(),
                required_features: vec!["cron".into()],
                ..BinTarget::default()
            },
            BinTarget {
                name: "jobs-admin".into(),
                package: "fleet-jobs".into(),
                ..BinTarget::default()
            },
        ];
        let config = resolve(&ws, &detect::detect(&ws), &Answers::default()).unwrap();
        assert_eq!(
            config.build.build_flags,
            "--locked --features fleet-jobs/cron -p gateway -p fleet-jobs \
             --bin gateway --bin jobs --bin jobs-admin"
        );
        assert_eq!(
            config.build.cargo_flags,
            "--locked --features fleet-jobs/cron"
        );
    }

    #[test]
    fn a_variable_two_services_set_gets_one_value() {
        let ws = workspace();
        let answers = Answers {
            services: Some(vec!["postgres".into(), "sqlite".into()]),
            ..Answers::default()
        };
        let config = resolve(&ws, &detect::detect(&ws), &answers).unwrap();
        let setters: Vec<&str> = config
            .services
            .iter()
            .filter(|s| s.app_env.contains_key("DATABASE_URL"))
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(setters, ["postgres"]);
        assert!(
            config.services[1].prod_env.is_empty(),
            "{:?}",
            config.services[1]
        );
        assert_eq!(config.notes.len(), 1);
        assert!(config.notes[0].starts_with("DATABASE_URL is set by postgres and sqlite"));
    }

    #[test]
    fn no_development_password_reaches_production_files() {
        let ws = workspace();
        let answers = Answers {
            services: Some(vec!["mysql".into(), "smtp".into()]),
            prod_services: Some(ProdServices::Bundled),
            ..Answers::default()
        };
        let config = resolve(&ws, &detect::detect(&ws), &answers).unwrap();
        let files = crate::render::render(&config).unwrap();
        let prod = &files["compose.prod.yaml"].contents;
        assert!(!prod.contains("-papp"), "{prod}");
        // The password reaches the healthcheck from the secret file, never from a profile.
        assert!(
            prod.contains("$$(cat /run/secrets/mysql-password)"),
            "{prod}"
        );
        assert!(
            !prod.contains("mailpit"),
            "the mail catcher is never deployed: {prod}"
        );
        assert!(prod.contains("smtp stays external"), "{prod}");
        let example = &files["docker/env/prod.env.sh.example"].contents;
        assert!(example.contains("the production relay"), "{example}");
    }

    #[test]
    fn a_repository_owner_that_makes_no_valid_reference_falls_back_to_the_project() {
        assert_eq!(
            default_registry(Some("https://github.com/Acme/shop"), "shop"),
            "ghcr.io/acme"
        );
        assert_eq!(
            default_registry(Some("https://github.com/a$b \"c/shop"), "shop"),
            "shop"
        );
    }

    #[test]
    fn names_are_sanitized() {
        assert_eq!(sanitize_name("My.App"), "my-app");
        assert_eq!(env_prefix("my-api"), "MY_API");
    }
}
