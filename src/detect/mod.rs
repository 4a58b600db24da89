//! Facts read from the workspace and its dependency graph; pure functions, one file per concern.

mod bind;
mod build_scripts;
mod cargo_config;
pub mod context;
mod features;
mod migrations;
mod packages;
mod runs;
mod runtime_files;
mod rust;
mod services;
mod sources;
mod sqlx;

pub use bind::LoopbackBind;
pub use build_scripts::BuildScripts;
pub use cargo_config::CargoConfig;
pub use features::{FeatureChoice, FeatureOption, unmet};
pub use migrations::{MigrationTool, Migrations};
pub use packages::SystemPackages;
pub use runs::{
    AddressEnv, BinRun, Evidence, HealthRoutes, Location, PortFinding, PortSource, Role,
    ServiceUrl, Setting, UrlPart, is_secret,
};
pub use runtime_files::{RuntimeFiles, git_ignored_in};
pub use rust::RustVersion;
pub use services::{DetectedService, ServiceKind};
pub use sources::DependencySources;

use crate::workspace::{BinTarget, Workspace};

/// Everything detection found; the configuration starts from these defaults.
#[derive(Debug, Clone)]
pub struct Facts {
    /// Binary targets, the primary one first.
    pub bins: Vec<BinTarget>,
    pub rust: RustVersion,
    pub services: Vec<DetectedService>,
    pub system_packages: SystemPackages,
    pub sqlx_offline: bool,
    /// Listen addresses hard-coded to loopback in code compiled into any binary (the union
    /// of each run's `loopback_binds`): unreachable from outside a container.
    pub loopback_binds: Vec<LoopbackBind>,
    /// Service URLs on a loopback host hard-coded in any binary's code (the union of each
    /// run's `loopback_dials`): inside a container they reach the container itself.
    pub loopback_dials: Vec<LoopbackBind>,
    pub migrations: Option<Migrations>,
    pub cargo_config: CargoConfig,
    pub build_scripts: BuildScripts,
    pub runtime_files: RuntimeFiles,
    pub sources: DependencySources,
    /// Sources using sqlx's compile-time-checked query macros.
    pub sqlx_checked_queries: Vec<String>,
    /// How each binary runs, in the order of `bins`.
    pub runs: Vec<BinRun>,
    /// Feature choices a member's build needs that its default features may leave unmade.
    pub feature_choices: Vec<FeatureChoice>,
}

impl Facts {
    /// The binaries packaged when no answer names them: every one but the desktop apps,
    /// unless nothing else is left.
    pub fn default_bins(&self) -> Vec<&BinTarget> {
        let desktop = |i: &usize| self.runs.get(*i).is_some_and(|r| r.desktop.is_some());
        let kept: Vec<&BinTarget> = (0..self.bins.len())
            .filter(|i| !desktop(i))
            .map(|i| &self.bins[i])
            .collect();
        if kept.is_empty() {
            self.bins.iter().collect()
        } else {
            kept
        }
    }
}

/// Runs every detection rule over the workspace.
pub fn detect(ws: &Workspace) -> Facts {
    let runs = runs::detect(ws);
    let order = order_bins(ws, &runs);
    let bins = order.iter().map(|&i| ws.bins[i].clone()).collect();
    let runs: Vec<BinRun> = order.iter().filter_map(|&i| runs.get(i).cloned()).collect();
    let union = |each: fn(&BinRun) -> &Vec<LoopbackBind>| {
        let mut out: Vec<LoopbackBind> = Vec::new();
        for found in runs.iter().flat_map(each) {
            if !out.contains(found) {
                out.push(found.clone());
            }
        }
        out
    };
    let loopback_binds = union(|r| &r.loopback_binds);
    let loopback_dials = union(|r| &r.loopback_dials);
    Facts {
        bins,
        rust: rust::detect(ws),
        services: services::detect(ws),
        system_packages: packages::detect(ws),
        sqlx_offline: ws.has_sqlx_offline_data,
        loopback_binds,
        loopback_dials,
        migrations: migrations::detect(ws),
        cargo_config: cargo_config::detect(ws),
        build_scripts: build_scripts::detect(ws),
        runtime_files: runtime_files::detect(ws),
        sources: sources::detect(ws),
        sqlx_checked_queries: sqlx::checked_query_files(ws),
        runs,
        feature_choices: features::detect(ws),
    }
}

/// Puts the primary binary first: the first server (the root package's `default-run` if it
/// is one, else the binary named like the project if it is one, else the first server in
/// metadata order). With no server: `default-run`, else the binary named like the project,
/// else metadata order. Returns indices into `ws.bins` (and `runs`, which follow the same
/// order), so that binaries of the same name in different packages stay apart.
fn order_bins(ws: &Workspace, runs: &[BinRun]) -> Vec<usize> {
    let bins = &ws.bins;
    let is_server = |i: usize| runs.get(i).is_some_and(|r| r.role == Role::Server);
    let any_server = (0..bins.len()).any(is_server);
    let acceptable = |i: usize| !any_server || is_server(i);
    let primary = ws
        .members
        .iter()
        .find_map(|m| m.default_run.as_deref())
        .and_then(|d| bins.iter().position(|b| b.name == d))
        .filter(|&i| acceptable(i))
        .or_else(|| (0..bins.len()).find(|&i| bins[i].name == ws.name && acceptable(i)))
        .or_else(|| (0..bins.len()).find(|&i| is_server(i)));
    let mut order: Vec<usize> = (0..bins.len()).collect();
    if let Some(pos) = primary {
        order.remove(pos);
        order.insert(0, pos);
    }
    order
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::runs::lex::Src;
    use super::{BinRun, Evidence, Role};
    use crate::workspace::{BinTarget, Member, ResolvedPackage, Workspace};

    /// What `scan` finds in sources that are one file, `src/main.rs`, holding `text`.
    pub fn scan_main_rs<T>(scan: impl FnOnce(&[Src]) -> T, text: &str) -> T {
        scan(&[Src::new("src/main.rs", text)])
    }

    /// A workspace `svc` with one binary `svc` and `deps` in its graph (see [`workspace_with`]).
    pub fn one_binary(deps: &[&str]) -> Workspace {
        let mut ws = workspace_with(deps);
        ws.name = "svc".into();
        ws.members = vec![Member {
            name: "svc".into(),
            ..Member::default()
        }];
        ws.bins = bins("svc", &["svc"]);
        ws
    }

    /// The binaries `names` of the package `package`, with nothing else set.
    pub fn bins(package: &str, names: &[&str]) -> Vec<BinTarget> {
        let bin = |name: &&str| BinTarget {
            name: name.to_string(),
            package: package.into(),
            ..BinTarget::default()
        };
        names.iter().map(bin).collect()
    }

    /// How `name` runs, as `role`, with nothing else found.
    pub fn bin_run(name: &str, role: Role) -> BinRun {
        BinRun {
            bin: name.into(),
            role,
            role_evidence: Evidence {
                reason: String::new(),
                at: None,
            },
            port: None,
            address: None,
            env: Default::default(),
            loopback_binds: Vec::new(),
            loopback_dials: Vec::new(),
            settings: Vec::new(),
            health: None,
            desktop: None,
            args: Vec::new(),
        }
    }

    /// A workspace whose graph holds `deps` as direct dependencies: `"name"` or `"name[feat,feat]"`.
    pub fn workspace_with(deps: &[&str]) -> Workspace {
        let packages = deps
            .iter()
            .map(|spec| {
                let (name, features) = match spec.split_once('[') {
                    Some((n, rest)) => (
                        n,
                        rest.trim_end_matches(']')
                            .split(',')
                            .map(str::to_string)
                            .collect(),
                    ),
                    None => (*spec, Vec::new()),
                };
                ResolvedPackage {
                    name: name.to_string(),
                    version: "1.0.0".into(),
                    features,
                    links: None,
                    is_member: false,
                    direct: true,
                    source: Some("registry+https://github.com/rust-lang/crates.io-index".into()),
                }
            })
            .collect();
        Workspace {
            name: "app".into(),
            packages,
            ..Workspace::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Member;

    fn bin(name: &str) -> BinTarget {
        BinTarget {
            name: name.into(),
            package: "app".into(),
            ..BinTarget::default()
        }
    }

    #[test]
    fn default_run_comes_first() {
        let ws = Workspace {
            name: "app".into(),
            bins: vec![bin("admin"), bin("app"), bin("server")],
            members: vec![Member {
                default_run: Some("server".into()),
                ..Member::default()
            }],
            ..Workspace::default()
        };
        let names: Vec<_> = names(&ws, &[]);
        assert_eq!(names, ["server", "admin", "app"]);
    }

    fn names(ws: &Workspace, runs: &[BinRun]) -> Vec<String> {
        order_bins(ws, runs)
            .into_iter()
            .map(|i| ws.bins[i].name.clone())
            .collect()
    }

    fn run(name: &str, role: Role) -> BinRun {
        test_support::bin_run(name, role)
    }

    #[test]
    fn the_primary_binary_is_a_server() {
        let mut ws = Workspace {
            name: "app".into(),
            bins: vec![bin("admin"), bin("api"), bin("app"), bin("web")],
            members: vec![Member {
                default_run: Some("web".into()),
                ..Member::default()
            }],
            ..Workspace::default()
        };
        let runs = [
            run("admin", Role::Tool),
            run("api", Role::Server),
            run("app", Role::Server),
            run("web", Role::Server),
        ];
        // default-run, when it is a server
        assert_eq!(names(&ws, &runs)[0], "web");
        // else the binary named like the project, when it is a server
        ws.members[0].default_run = Some("admin".into());
        assert_eq!(names(&ws, &runs)[0], "app");
        // else the first server in metadata order
        ws.name = "suite".into();
        assert_eq!(names(&ws, &runs), ["api", "admin", "app", "web"]);
    }

    #[test]
    fn binary_named_like_the_project_comes_first() {
        let ws = Workspace {
            name: "app".into(),
            bins: vec![bin("admin"), bin("app")],
            ..Workspace::default()
        };
        assert_eq!(names(&ws, &[])[0], "app");
    }
}
