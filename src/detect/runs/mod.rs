//! How each binary runs: its role (server, worker, tool, job), the port it listens on and the variables that set it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::detect::LoopbackBind;
use crate::workspace::{BinTarget, Workspace};

mod address;
mod args;
mod config_files;
mod env;
mod frameworks;
mod health;
pub(super) mod lex;
mod port;
mod reach;
mod role;
mod settings;
mod subcommand;

pub use address::AddressEnv;
use config_files::FileSetting;
pub(super) use frameworks::LISTEN_CALLS;
pub use health::HealthRoutes;
pub use settings::{ServiceUrl, Setting, UrlPart, is_secret};

/// What a binary is, which decides how the Compose files and images run it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Binds a listener: a service with its port published.
    #[default]
    Server,
    /// Long-running with no listener: a service with a restart policy and no ports.
    Worker,
    /// A command-line program that exits: run on demand, never restarted.
    Tool,
    /// One-shot (migrations, seeders): run on demand, `restart: "no"`.
    Job,
}

impl Role {
    /// Every role, in the order they are listed.
    pub const ALL: [Role; 4] = [Role::Server, Role::Worker, Role::Tool, Role::Job];

    /// The name used in answers, flags and the summary.
    pub fn name(self) -> &'static str {
        match self {
            Role::Server => "server",
            Role::Worker => "worker",
            Role::Tool => "tool",
            Role::Job => "job",
        }
    }

    /// Parses an answer or flag value.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// A place in the workspace's sources, relative to the root, 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Why a value was inferred: a short reason and, when it comes from a file, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// e.g. "binds a TcpListener", "clap argument `--port` (env SERVER_PORT)".
    pub reason: String,
    pub at: Option<Location>,
}

/// Where a port was found, in the order they are trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortSource {
    /// A clap argument with `env = "X"` and/or `default_value`, or an envconfig field
    /// (`from = "X"`, `default`).
    ClapArg,
    /// `env::var("X")` parsed as a port, with a literal fallback.
    EnvVar,
    /// A literal in a bind / SocketAddr / TcpListener call, or a `const ...PORT...: u16`.
    Literal,
    /// A `port` key in a run-time configuration file.
    ConfigFile,
    /// A framework's documented default (Rocket: 8000, `ROCKET_PORT`).
    FrameworkDefault,
    /// Nothing found: assumed.
    Assumed,
}

/// The port a server listens on and how it is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortFinding {
    pub port: u16,
    /// The variable the app reads to change it (`None`: only code or a file sets it).
    pub env: Option<String>,
    /// Whether that variable holds a whole listen address (`BIND_ADDR=0.0.0.0:8080`)
    /// rather than the port alone: see [`PortFinding::env_value`].
    pub env_holds_address: bool,
    pub source: PortSource,
    pub evidence: Evidence,
}

impl PortFinding {
    /// The variable and the value that make the app listen on `port` on all interfaces:
    /// `("PORT", "8080")`, or `("BIND_ADDR", "0.0.0.0:8080")` for an address variable.
    pub fn env_value(&self, port: u16) -> Option<(String, String)> {
        let var = self.env.clone()?;
        let value = if self.env_holds_address {
            format!("0.0.0.0:{port}")
        } else {
            port.to_string()
        };
        Some((var, value))
    }
}

/// How one binary runs, as its source says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinRun {
    pub bin: String,
    pub role: Role,
    pub role_evidence: Evidence,
    /// Servers only.
    pub port: Option<PortFinding>,
    /// Servers only: the listen-address variable the app reads whose default is loopback,
    /// or that has no default and sits beside the port variable where it listens (already
    /// in `env`, set to `0.0.0.0`), with where it was found.
    pub address: Option<AddressEnv>,
    /// Variables the containers must set for the app to be reachable and to listen where
    /// the files say: the port variable (when the app reads one) and a listen-address
    /// variable (see `address`, set to `0.0.0.0`). Only variables the app reads.
    pub env: BTreeMap<String, String>,
    /// Listen addresses hard-coded to loopback in code compiled into this binary (warned about).
    pub loopback_binds: Vec<crate::detect::LoopbackBind>,
    /// Service URLs on a loopback host hard-coded in its code (warned about): the text is
    /// the URL without credentials.
    pub loopback_dials: Vec<crate::detect::LoopbackBind>,
    /// Variables its code reads that the containers must set: required settings (no
    /// fallback, unwrapped), backing services' URLs under its own names, and `[env]`
    /// entries of `.cargo/config.toml` (which `cargo run` sets and a container does not).
    pub settings: Vec<Setting>,
    /// Servers only: the health routes its router declares, for HTTP probes.
    pub health: Option<HealthRoutes>,
    /// The GUI toolkit a binary that neither serves nor loops links (`tauri`): a desktop
    /// app, which is not packaged unless the `bins` answer names it.
    pub desktop: Option<String>,
    /// Servers and workers: the arguments that start the service, the subcommand whose match
    /// arm leads to the listener or the loop (`["server"]`); empty without subcommands.
    pub args: Vec<String>,
}

impl BinRun {
    /// [`BinRun::env`] for another port (an answer): the port variable follows it.
    pub fn env_for_port(&self, port: u16) -> BTreeMap<String, String> {
        let mut env = self.env.clone();
        if let Some((var, value)) = self.port.as_ref().and_then(|p| p.env_value(port)) {
            env.insert(var, value);
        }
        env
    }

    /// The settings without which the app stops at start (for the summary): each with its
    /// variable and where the code reads it.
    pub fn required_env(&self) -> Vec<&Setting> {
        self.settings.iter().filter(|s| s.required).collect()
    }
}

/// Infers how each of the workspace's binaries runs, in metadata order.
pub fn detect(ws: &Workspace) -> Vec<BinRun> {
    let read: Vec<Read> = ws.bins.iter().map(|b| read_bin(ws, b)).collect();
    // A framework dependency is explained by a sibling binary that serves: a binary of the
    // same package with nothing in its code is then more likely a tool than a server.
    let serving: BTreeSet<&str> = read
        .iter()
        .zip(&ws.bins)
        .filter(|(r, _)| r.server.is_some())
        .map(|(_, b)| b.package.as_str())
        .collect();
    read.into_iter()
        .zip(&ws.bins)
        .map(|(mut r, b)| {
            if r.role == Role::Server && r.server.is_none() && serving.contains(b.package.as_str())
            {
                r.role = Role::Tool;
                r.role_evidence = Evidence {
                    reason: "assumed: no listener, loop or command-line parser found in its code (its package's framework serves another binary)".into(),
                    at: None,
                };
            }
            finish(ws, b, r)
        })
        .collect()
}

/// A binary's reached code and role, before its port is looked for.
struct Read {
    srcs: Vec<lex::Src>,
    crates: BTreeSet<String>,
    role: Role,
    role_evidence: Evidence,
    server: Option<role::Hit>,
}

fn read_bin(ws: &Workspace, bin: &BinTarget) -> Read {
    let srcs = reach::reach(ws, bin);
    let crates = crates_of(ws, &bin.package);
    let (role, role_evidence, server) = role::role(&bin.name, &srcs, &crates);
    Read {
        srcs,
        crates,
        role,
        role_evidence,
        server,
    }
}

/// The crates a binary's code may use: its package's dependencies and those of the
/// members it links (all direct dependencies when the package is not a known member).
fn crates_of(ws: &Workspace, package: &str) -> BTreeSet<String> {
    let Some(member) = ws.members.iter().find(|m| m.name == package) else {
        return ws
            .packages
            .iter()
            .filter(|p| p.direct)
            .map(|p| p.name.clone())
            .collect();
    };
    let mut out: BTreeSet<String> = BTreeSet::new();
    let mut stack = vec![member];
    let mut seen = BTreeSet::new();
    while let Some(m) = stack.pop() {
        if !seen.insert(m.name.clone()) {
            continue;
        }
        for dep in &m.dependencies {
            out.insert(dep.clone());
            if let Some(next) = ws.members.iter().find(|o| &o.name == dep) {
                stack.push(next);
            }
        }
    }
    out
}

fn finish(ws: &Workspace, bin: &BinTarget, read: Read) -> BinRun {
    let Read {
        srcs,
        crates,
        role,
        role_evidence,
        server,
    } = read;
    let mut run = BinRun {
        bin: bin.name.clone(),
        role,
        role_evidence,
        port: None,
        address: None,
        env: BTreeMap::new(),
        loopback_binds: Vec::new(),
        loopback_dials: crate::detect::bind::dialed(&srcs),
        settings: Vec::new(),
        health: None,
        desktop: (role == Role::Tool)
            .then(|| {
                frameworks::DESKTOP_CRATES
                    .iter()
                    .find(|c| crates.contains(**c))
            })
            .flatten()
            .map(|c| c.to_string()),
        args: Vec::new(),
    };
    let mut scanned = port::Scanned::of(&srcs);
    // Under a subcommand, the options of the others are not this service's settings.
    let serving = matches!(role, Role::Server | Role::Worker)
        .then(|| run.role_evidence.at.as_ref())
        .flatten()
        .and_then(|at| subcommand::leading_to(&srcs, at));
    if let Some(chosen) = &serving {
        run.args = chosen.args.clone();
        scanned.args.retain(|a| !chosen.in_other(&srcs, &a.at));
    }
    let (args, reads) = (&scanned.args, &scanned.reads);
    run.settings = settings::settings(&srcs, reads, args, &ws.cargo_configs);
    let files = config_files::read_by(&ws.config_files, &srcs, &crates);
    for s in settings::file_settings(&files, &srcs) {
        if !run.settings.iter().any(|r| r.var == s.var) {
            run.settings.push(s);
        }
    }
    if role != Role::Server {
        return run;
    }
    let is_rocket = server
        .as_ref()
        .is_some_and(|h| frameworks::is_rocket(&h.marker));
    let grpc = match &server {
        Some(h) => frameworks::is_grpc(&h.marker),
        None => {
            crates.contains("tonic")
                && !frameworks::SERVER_CRATES
                    .iter()
                    .any(|c| *c != "tonic" && *c != "hyper" && crates.contains(*c))
        }
    };
    let rocket = is_rocket.then(|| {
        config_files::rocket(&ws.config_files).unwrap_or_else(|| FileSetting {
            port: None,
            port_env: Some("ROCKET_PORT".into()),
            port_is_address: false,
            port_key: "port".into(),
            port_at: Location {
                file: "Rocket.toml".into(),
                line: 1,
            },
            host: None,
        })
    });
    let file = if is_rocket {
        rocket.clone()
    } else {
        config_files::detect(&ws.config_files, &srcs, &scanned.consts, &crates)
    };
    let code = scanned.code(&srcs, server.as_ref());
    let found = port::find(&code, file.as_ref(), is_rocket, grpc);
    let address = address::find(
        &srcs,
        args,
        reads,
        file.as_ref().filter(|_| !is_rocket),
        rocket.as_ref(),
        Some(&found),
    );
    if let Some((var, value)) = found.env_value(found.port) {
        run.env.insert(var, value);
    }
    if let Some(a) = &address {
        run.env.insert(a.var.clone(), a.value.clone());
    }
    // A listen option with a loopback default and no variable: the files pass it.
    for a in args.iter().filter(|a| loopback_option(a)) {
        let flags = [
            a.flag(),
            any_address(a.default.as_deref().unwrap_or_default()),
        ];
        match &serving {
            // An option of the top-level parser goes before the subcommand.
            Some(chosen) if !chosen.declares(&srcs, &a.at) => {
                run.args.splice(0..0, flags);
            }
            _ => run.args.extend(flags),
        }
    }
    run.loopback_binds = loopback_binds(&srcs, file.as_ref(), &found);
    run.health = health::find(&srcs);
    run.port = Some(found);
    run.address = address;
    run
}

/// A command-line option for the listen address whose default is loopback and that no
/// variable sets: only an argument reaches it.
fn loopback_option(a: &args::CliArg) -> bool {
    a.declared == args::Declared::Cli
        && a.env.is_none()
        && frameworks::setting_kind(&a.name, false) == frameworks::SettingKind::Address
        && a.default.as_deref().is_some_and(address::is_loopback)
}

/// Every interface in the form of a loopback default: `0.0.0.0`, or `0.0.0.0:8080` for
/// `127.0.0.1:8080` (and `[::1]:8080`).
fn any_address(default: &str) -> String {
    match default.rsplit_once(':') {
        Some((host, port))
            if (!host.contains(':') || host.ends_with(']'))
                && !port.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit()) =>
        {
            format!("0.0.0.0:{port}")
        }
        _ => "0.0.0.0".into(),
    }
}

/// Hard-coded loopback listen addresses: in code, or a configuration file's listen host no
/// variable overrides.
fn loopback_binds(
    srcs: &[lex::Src],
    file: Option<&FileSetting>,
    port: &PortFinding,
) -> Vec<LoopbackBind> {
    let mut out = crate::detect::bind::hardcoded(srcs);
    if let Some((value, at, None, _)) = file.and_then(|f| f.host.clone())
        && address::is_loopback(&value)
        && !port.env_holds_address
    {
        out.push(LoopbackBind {
            file: at.file,
            line: at.line,
            text: format!("listen host {value}, and no variable overrides it"),
        });
    }
    out
}

#[cfg(test)]
mod tests;
