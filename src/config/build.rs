//! What the build takes from the workspace: toolchain, cargo settings, secrets, run-time files, packages, migrations.

use serde::Serialize;

use super::{Answers, Platform, Runtime};
use crate::detect::Facts;
use crate::workspace::Workspace;

/// Cargo configuration from above the workspace root, copied into the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CargoHomeConfig {
    /// The files it comes from, relative to the workspace root (`../.cargo/config.toml`).
    pub sources: Vec<String>,
    /// Their settings merged as cargo merges them.
    pub text: String,
}

/// How the builder, on the build machine's platform, compiles for each image platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrossConfig {
    /// One per platform, in the answer's order.
    pub targets: Vec<CrossTarget>,
    /// The development packages of the libraries the binaries link (`libssl-dev`), installed
    /// for each target architecture (`libssl-dev:arm64`) besides the build platform's.
    pub libraries: Vec<String>,
}

/// One image platform, in the names the Dockerfile's cross stage uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrossTarget {
    /// `linux/arm64`.
    pub platform: String,
    /// `arm64`: `$TARGETARCH`, Debian's architecture.
    pub arch: String,
    /// `aarch64-unknown-linux-gnu`.
    pub rust_target: String,
    /// `aarch64-linux-gnu`: the C compiler's prefix, the multiarch folder.
    pub gnu_triple: String,
    /// `gcc-aarch64-linux-gnu`, installed when the build platform is another one.
    pub cross_gcc_package: String,
    /// `AARCH64_UNKNOWN_LINUX_GNU`, as cargo's `CARGO_TARGET_<T>_LINKER` spells it.
    pub cargo_env: String,
    /// `aarch64_unknown_linux_gnu`, as the cc and pkg-config crates' `CC_<t>` spell it.
    pub cc_env: String,
}

impl CrossTarget {
    /// The names of `platform`.
    pub fn of(platform: Platform) -> Self {
        let rust_target = platform.rust_target();
        CrossTarget {
            platform: platform.name().into(),
            arch: platform.arch().into(),
            rust_target: rust_target.into(),
            gnu_triple: platform.gnu_triple().into(),
            cross_gcc_package: platform.cross_gcc_package().into(),
            cargo_env: rust_target.replace('-', "_").to_uppercase(),
            cc_env: rust_target.replace('-', "_"),
        }
    }
}

/// The toolchain file and what it installs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ToolchainConfig {
    /// `rust-toolchain.toml` or `rust-toolchain`.
    pub file: String,
    pub channel: String,
    pub components: Vec<String>,
    pub targets: Vec<String>,
    /// Whether the builder image lacks the toolchain (a channel name, or `X.Y` rather than `X.Y.Z`).
    pub install: bool,
}

/// A registry token handed to cargo from a BuildKit secret, never an ARG or ENV value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistrySecret {
    /// The registry's name in `.cargo/config.toml`.
    pub name: String,
    /// The secret's id (`docker build --secret id=<secret>,...`).
    pub secret: String,
    /// The environment variable naming cargo's credential provider for it.
    pub env: String,
    /// The variable that holds the token outside the image (host, CI), as cargo names it.
    pub token_env: String,
}

/// Database migrations: the development command and, for sqlx, a production one-shot image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigrationsConfig {
    /// `sqlx`, `diesel` or `sea-orm`.
    pub tool: String,
    /// The migrations folder, relative to the workspace root.
    pub dir: String,
    /// What `entrypoint.sh migrate` runs in the development container.
    pub dev_command: String,
    /// `cargo install` arguments of the CLI built into the development image, if one is needed.
    pub cli_install: Option<String>,
    /// The CLI's binary name.
    pub cli_bin: Option<String>,
    /// Whether the Dockerfile has a `migrate` target (the CLI and the migrations on the runtime image).
    pub image: bool,
    /// The app embeds the migrations and applies them at start (`sqlx::migrate!`): the
    /// development image needs no CLI (locks from before: no).
    pub embedded: bool,
}

/// The migration settings for what detection found.
pub(super) fn migrations_config(found: &crate::detect::Migrations) -> MigrationsConfig {
    use crate::detect::MigrationTool;
    let dir = found.dir.clone();
    match &found.tool {
        MigrationTool::Sqlx {
            database,
            version,
            embedded,
        } => {
            let series: Vec<&str> = version.split('.').take(2).collect();
            MigrationsConfig {
                tool: "sqlx".into(),
                dev_command: format!("sqlx migrate run --source {dir}"),
                cli_install: Some(format!(
                    "sqlx-cli --locked --version ~{} --no-default-features --features rustls,{database}",
                    series.join(".")
                )),
                cli_bin: Some("sqlx".into()),
                image: true,
                embedded: *embedded,
                dir,
            }
        }
        MigrationTool::Diesel { database } => MigrationsConfig {
            tool: "diesel".into(),
            dev_command: format!("diesel migration run --migration-dir {dir}"),
            cli_install: Some(format!(
                "diesel_cli --locked --version ^2 --no-default-features --features {database}"
            )),
            cli_bin: Some("diesel".into()),
            image: false,
            embedded: false,
            dir,
        },
        MigrationTool::SeaOrm { package } => MigrationsConfig {
            tool: "sea-orm".into(),
            dev_command: format!("cargo run -p {package} -- up"),
            cli_install: None,
            cli_bin: None,
            image: false,
            embedded: false,
            dir,
        },
    }
}

/// The toolchain file's settings; `None` without a file or a channel.
pub(super) fn toolchain_config(ws: &Workspace) -> Option<ToolchainConfig> {
    let file = ws.toolchain.as_ref()?;
    let channel = file.channel.clone()?;
    let full_version = channel.split('.').count() == 3
        && channel
            .split('.')
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    Some(ToolchainConfig {
        file: file.file.clone(),
        install: !full_version,
        channel,
        components: file.components.clone(),
        targets: file.targets.clone(),
    })
}

/// The folders to copy: the answer's (their existence is checked where the answers are
/// loaded), else the detected ones.
pub(super) fn runtime_files(
    facts: &Facts,
    answers: &Answers,
) -> std::result::Result<Vec<String>, String> {
    let Some(dirs) = &answers.runtime_files else {
        return Ok(facts.runtime_files.dirs.clone());
    };
    dirs.iter()
        .map(|d| {
            runtime_dir(d).map(str::to_string).ok_or_else(|| {
                format!(
                    "runtime-files entry `{d}` must be a folder inside the workspace, e.g. \"config\""
                )
            })
        })
        .collect()
}

/// A runtime-files entry as a folder relative to the workspace root (no `./`, no trailing
/// `/`), or `None` when it does not name one inside the workspace.
pub fn runtime_dir(entry: &str) -> Option<&str> {
    let dir = entry.trim_end_matches('/').trim_start_matches("./");
    let inside = !dir.is_empty() && !dir.starts_with('/') && !dir.split('/').any(|p| p == "..");
    inside.then_some(dir)
}

/// Debian packages of the builder: headers for -sys crates, linkers, build-script tools, git.
pub(super) fn build_packages(facts: &Facts, static_musl: bool) -> Vec<String> {
    // With cross stages the libraries' -dev packages stay here too: build scripts and
    // proc macros run on the build platform and may link them (sqlx's macros with
    // native-tls link OpenSSL), while the cross stage adds them for the target.
    let mut packages = facts.system_packages.build.clone();
    packages.extend(facts.cargo_config.linker_packages.iter().cloned());
    packages.extend(facts.build_scripts.packages.iter().cloned());
    if facts.sources.has_git() {
        packages.insert("git".into());
    }
    if facts.sources.ssh {
        packages.insert("openssh-client".into());
    }
    if static_musl
        || facts
            .cargo_config
            .build_target
            .as_deref()
            .is_some_and(|t| t.contains("musl"))
    {
        packages.insert("musl-tools".into());
    }
    packages.into_iter().collect()
}

/// The musl target of a static runtime (`None` when the cargo config already builds for
/// musl), or why the binaries cannot be linked statically: a system library built for
/// glibc, or a cargo config that builds for another target.
pub(super) fn static_target(facts: &Facts) -> Result<Option<String>, String> {
    const TARGET: &str = "x86_64-unknown-linux-musl";
    let alternatives = "use `--runtime distroless` (the default: glibc, libssl, CA certificates) \
                        or `--runtime debian`";
    if !facts.system_packages.linked.is_empty() {
        let crates: Vec<String> = facts
            .system_packages
            .linked
            .iter()
            .map(|l| match l.static_fix {
                Some(fix) => format!("{} ({fix})", l.krate),
                None => l.krate.clone(),
            })
            .collect();
        return Err(format!(
            "runtime static needs every binary linked statically against musl, but {} \
             link{} a system library built for glibc: {alternatives}",
            crates.join(", "),
            if crates.len() == 1 { "s" } else { "" },
        ));
    }
    match facts.cargo_config.build_target.as_deref() {
        None => Ok(Some(TARGET.into())),
        Some(t) if t.contains("-linux-musl") => Ok(None),
        Some(t) => Err(format!(
            "runtime static builds for {TARGET}, but the cargo config builds for {t}: \
             set `[build] target = \"{TARGET}\"` there or {alternatives}"
        )),
    }
}

/// How the builder cross-compiles for `platforms`, one or more (`None`: linux/amd64 alone,
/// built natively as before), or why it cannot.
pub(super) fn cross_config(
    facts: &Facts,
    platforms: &[Platform],
    runtime: Runtime,
) -> Result<Option<CrossConfig>, String> {
    if platforms == [Platform::Amd64] {
        return Ok(None);
    }
    let names: Vec<&str> = platforms.iter().map(|p| p.name()).collect();
    if runtime == Runtime::Static {
        return Err(format!(
            "runtime static is built for linux/amd64 only (musl), not for {}: use \
             `--runtime distroless` (glibc, the default) for these platforms",
            names.join(", ")
        ));
    }
    if let Some(target) = &facts.cargo_config.build_target {
        return Err(format!(
            "the cargo config builds for {target}, which cannot serve {}: remove its \
             `[build] target` (the Dockerfile picks each platform's target) or keep \
             `--platforms linux/amd64`",
            names.join(", ")
        ));
    }
    let mut libraries: Vec<String> = facts
        .system_packages
        .linked
        .iter()
        .flat_map(|l| l.dev_packages.iter().map(|p| p.to_string()))
        .collect();
    libraries.sort();
    libraries.dedup();
    Ok(Some(CrossConfig {
        targets: platforms.iter().map(|&p| CrossTarget::of(p)).collect(),
        libraries,
    }))
}

/// `-p` for each package holding a packaged binary, then `--bin` for each binary. Without
/// `-p`, cargo picks among the default members (or the root package), which may not hold
/// them; cargo-chef's `cook` takes the same flags, so both compile the same set.
pub(super) fn package_selection(bins: &[&crate::workspace::BinTarget]) -> Vec<String> {
    let mut packages: Vec<&str> = Vec::new();
    for bin in bins {
        if !packages.contains(&bin.package.as_str()) {
            packages.push(&bin.package);
        }
    }
    let selected = packages.into_iter().map(|p| format!("-p {p}"));
    selected
        .chain(bins.iter().map(|b| format!("--bin {}", b.name)))
        .collect()
}

/// A build secret for each alternative registry the cargo configuration names.
pub(super) fn registry_secrets(facts: &Facts) -> Vec<RegistrySecret> {
    facts
        .cargo_config
        .registries
        .iter()
        .map(|name| {
            let prefix = super::env_prefix(name);
            RegistrySecret {
                secret: format!("cargo-registry-{name}"),
                env: format!("CARGO_REGISTRIES_{prefix}_CREDENTIAL_PROVIDER"),
                token_env: format!("CARGO_REGISTRIES_{prefix}_TOKEN"),
                name: name.clone(),
            }
        })
        .collect()
}
