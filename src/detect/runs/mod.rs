//! How each binary runs: its role (server, worker, tool, job), the port it listens on and the variables that set it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::workspace::Workspace;

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
    /// A clap argument with `env = "X"` and/or `default_value`.
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
    pub source: PortSource,
    pub evidence: Evidence,
}

/// How one binary runs, as its source says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinRun {
    pub bin: String,
    pub role: Role,
    pub role_evidence: Evidence,
    /// Servers only.
    pub port: Option<PortFinding>,
    /// Variables the containers must set for the app to be reachable and to listen where
    /// the files say: the port variable (when the app reads one) and a listen-address
    /// variable whose default is loopback (set to `0.0.0.0`). Only variables the app reads.
    pub env: BTreeMap<String, String>,
    /// Listen addresses hard-coded to loopback in code compiled into this binary (warned about).
    pub loopback_binds: Vec<crate::detect::LoopbackBind>,
}

/// Infers how each of the workspace's binaries runs.
pub fn detect(ws: &Workspace) -> Vec<BinRun> {
    let port = crate::detect::ports_by_framework(ws);
    ws.bins
        .iter()
        .map(|b| BinRun {
            bin: b.name.clone(),
            role: Role::Server,
            role_evidence: Evidence {
                reason: "assumed".into(),
                at: None,
            },
            port: Some(PortFinding {
                port: port.port,
                env: Some("PORT".into()),
                source: PortSource::Assumed,
                evidence: Evidence {
                    reason: "assumed".into(),
                    at: None,
                },
            }),
            env: BTreeMap::from([("PORT".to_string(), port.port.to_string())]),
            loopback_binds: Vec::new(),
        })
        .collect()
}
