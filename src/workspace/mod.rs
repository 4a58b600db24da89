//! Reads the workspace through `cargo metadata` into a plain [`Workspace`] value, changing no file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, PackageId, TargetKind};

use crate::error::{Error, Result};

mod files;
mod manifests;

pub use files::{RUNTIME_DIR_NAMES, parse_toolchain};
use files::{
    find_migration_dirs, find_missing_served, find_named_dirs, find_named_files, find_runtime_dirs,
    member_dirs, path_literals, read_build_scripts, read_cargo_configs, read_config_files,
    read_gitignores, read_sources, read_toolchain,
};
use manifests::read_member_manifests;

/// What the rest of the tool knows about the workspace; no I/O after construction.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    /// The workspace root directory.
    pub root: PathBuf,
    /// The root Cargo.toml (where the answers are stored).
    pub root_manifest: PathBuf,
    /// A name for the project: the root package's, else the directory's.
    pub name: String,
    /// Workspace members, in metadata order.
    pub members: Vec<Member>,
    /// Binary targets of the members.
    pub bins: Vec<BinTarget>,
    /// Every package of the resolved dependency graph (members included), for the container's platform.
    pub packages: Vec<ResolvedPackage>,
    /// Whether Cargo.lock exists at the root.
    pub has_lockfile: bool,
    /// rust-toolchain.toml (or the legacy rust-toolchain file) at the root.
    pub toolchain: Option<Toolchain>,
    /// The version of the user's own `rustc`, e.g. `1.95.0`.
    pub rustc_version: Option<String>,
    /// Whether sqlx offline query data is present (`.sqlx/` at the root or in a member,
    /// or the older `sqlx-data.json`).
    pub has_sqlx_offline_data: bool,
    /// The members' Rust sources under `src/` and in the folders of binary and library
    /// targets declared elsewhere (path relative to the root, text), for cheap scans.
    pub sources: Vec<(String, String)>,
    /// Small configuration files (`.yaml`, `.yml`, `.toml`, `.json`) in the run-time folder
    /// candidates, and `Rocket.toml` at the root and in members (path relative to the root, text).
    pub config_files: Vec<(String, String)>,
    /// `migrations/` directories at the root and in members, relative to the root.
    pub migration_dirs: Vec<String>,
    /// Cargo configuration files that apply to a build at the root, nearest first.
    pub cargo_configs: Vec<CargoConfigFile>,
    /// The members' build scripts (path relative to the root, text).
    pub build_scripts: Vec<(String, String)>,
    /// Folders at the root and in members a binary may read at run time (`config/`,
    /// `static/`, ...), then the folders and configuration files the sources name as paths,
    /// relative to the root.
    pub runtime_dir_candidates: Vec<String>,
    /// Paths a call that serves files names and that are not in the workspace (a front-end's
    /// `build/`, made by another tool): (path, `file:line`).
    pub missing_served: Vec<(String, String)>,
    /// `.gitignore` files at the root and in the run-time folder candidates: (folder, text),
    /// `""` for the root.
    pub gitignores: Vec<(String, String)>,
    /// Path dependencies that are not workspace members.
    pub path_packages: Vec<PathPackage>,
    /// The root relative to the git repository's root: `""` at the top or outside a
    /// repository, else e.g. `services/api`.
    pub repo_dir: String,
}

/// A package of the graph with no `source` (a path dependency) that is not a workspace member.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathPackage {
    pub name: String,
    /// Its directory relative to the workspace root (`../shared` when outside it).
    pub dir: String,
    /// Whether the directory is inside the workspace root.
    pub inside_root: bool,
}

/// A pinned toolchain: rust-toolchain.toml or the legacy one-line `rust-toolchain`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Toolchain {
    /// The file name at the root.
    pub file: String,
    pub channel: Option<String>,
    pub components: Vec<String>,
    pub targets: Vec<String>,
}

/// A `.cargo/config.toml` (or `.cargo/config`) that cargo reads for a build at the root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CargoConfigFile {
    /// Relative to the root: `.cargo/config.toml`, or `../.cargo/config.toml` for a parent's.
    pub path: String,
    /// The directory its relative paths resolve against (the parent of `.cargo`),
    /// relative to the root: `""` for the root's own, `".."` for its parent's.
    pub base: String,
    pub text: String,
}

/// A workspace member package.
#[derive(Debug, Clone, Default)]
pub struct Member {
    pub name: String,
    pub version: String,
    pub edition: String,
    pub rust_version: Option<String>,
    pub description: Option<String>,
    pub license: Option<String>,
    pub repository: Option<String>,
    pub default_run: Option<String>,
    /// Directory relative to the workspace root (`""` for the root package).
    pub dir: String,
    /// The `[features]` table (with the features optional dependencies imply), as metadata gives it.
    pub features: BTreeMap<String, Vec<String>>,
    /// Its Cargo.toml as written (comments included); empty when unread.
    pub manifest: String,
    /// Its library target's source file relative to the root, if it has one.
    pub lib_src_path: Option<String>,
    /// Its library target's crate name as code names it (`[lib] name`, else the package's
    /// name with `-` as `_`), if it has one.
    pub lib_name: Option<String>,
    /// The packages it depends on (normal and build dependencies, by package name).
    pub dependencies: Vec<String>,
}

/// A binary target of a member.
#[derive(Debug, Clone, Default)]
pub struct BinTarget {
    pub name: String,
    pub package: String,
    pub required_features: Vec<String>,
    /// The source file, relative to the workspace root.
    pub src_path: String,
}

/// A package of the resolved graph with the features enabled on it.
#[derive(Debug, Clone, Default)]
pub struct ResolvedPackage {
    pub name: String,
    pub version: String,
    pub features: Vec<String>,
    pub links: Option<String>,
    pub is_member: bool,
    /// Whether a workspace member depends on it directly (normal or build dependency).
    pub direct: bool,
    /// Where it comes from, as cargo metadata says: `registry+...`, `sparse+...`, `git+...`;
    /// `None` for path packages.
    pub source: Option<String>,
}

impl ResolvedPackage {
    /// Whether `feature` is enabled on this package.
    pub fn has_feature(&self, feature: &str) -> bool {
        self.features.iter().any(|f| f == feature)
    }
}

/// The platform the containers run on, used to resolve platform-specific dependencies.
pub fn container_triple() -> String {
    format!("{}-unknown-linux-gnu", std::env::consts::ARCH)
}

/// Finds the manifest to start from: `--manifest-path`, else `Cargo.toml` in the current directory.
fn start_manifest(manifest_path: Option<&Path>) -> Result<PathBuf> {
    let path = match manifest_path {
        Some(p) => p.to_path_buf(),
        None => std::env::current_dir()
            .map_err(|e| Error::io("reading the current directory", e))?
            .join("Cargo.toml"),
    };
    if !path.is_file() {
        return Err(Error::Usage(format!(
            "no Cargo.toml at {}: run this inside a Rust workspace or pass --manifest-path",
            path.display()
        )));
    }
    Ok(path)
}

/// The cargo features a build selects, so the graph holds what that build compiles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeatureSelection {
    /// `feat` or `package/feat`.
    pub features: Vec<String>,
    pub no_default_features: bool,
}

/// Where a command starts: the manifest it was pointed at and the workspace's root manifest
/// (where the answers are), found without resolving dependencies (writes nothing).
#[derive(Debug, Clone)]
pub struct Start {
    manifest: PathBuf,
    pub root_manifest: PathBuf,
}

/// Finds the [`Start`]: `--manifest-path`, else `Cargo.toml` in the current directory.
pub fn start(manifest_path: Option<&Path>, log: &dyn Fn(&str)) -> Result<Start> {
    let manifest = start_manifest(manifest_path)?;
    let root = workspace_root_without_resolving(&manifest, log)?;
    Ok(Start {
        manifest,
        root_manifest: root.join("Cargo.toml"),
    })
}

/// Loads the workspace; Cargo.lock is read with `--locked` and never created or changed.
/// `log` is told each command line that runs.
pub fn load(manifest_path: Option<&Path>, log: &dyn Fn(&str)) -> Result<Workspace> {
    load_with(
        &start(manifest_path, log)?,
        &FeatureSelection::default(),
        log,
    )
}

/// [`load`] from a [`Start`], with the dependency graph resolved for a feature selection.
pub fn load_with(
    start: &Start,
    selection: &FeatureSelection,
    log: &dyn Fn(&str),
) -> Result<Workspace> {
    let lock_guard = LockfileGuard::new(&start.root_manifest);
    let mut cmd = MetadataCommand::new();
    cmd.manifest_path(&start.manifest);
    if selection.no_default_features {
        cmd.features(cargo_metadata::CargoOpt::NoDefaultFeatures);
    }
    if !selection.features.is_empty() {
        cmd.features(cargo_metadata::CargoOpt::SomeFeatures(
            selection.features.clone(),
        ));
    }
    let mut opts = vec!["--filter-platform".to_string(), container_triple()];
    if lock_guard.existed {
        opts.push("--locked".into());
    }
    cmd.other_options(opts);
    log(&command_line(&cmd));
    let result = cmd.exec();
    lock_guard.restore()?;
    let metadata = result.map_err(metadata_error)?;
    let root = metadata.workspace_root.clone().into_std_path_buf();
    let dirs = member_dirs(&metadata, &root);
    let sources = read_sources(&metadata, &root);
    let mut runtime_dirs = find_runtime_dirs(&dirs, &root);
    let literals = path_literals(&sources);
    let named = find_named_dirs(&literals, &dirs, &root);
    for path in named.into_iter().chain(find_named_files(&literals, &root)) {
        // What is inside a folder already copied is copied with it.
        if !(runtime_dirs.iter()).any(|d| *d == path || path.starts_with(&format!("{d}/"))) {
            runtime_dirs.push(path);
        }
    }
    let missing_served = find_missing_served(&literals, &root);
    let mut ws = Workspace {
        has_lockfile: lock_guard.existed,
        missing_served,
        toolchain: read_toolchain(&root),
        rustc_version: host_rustc_version(),
        has_sqlx_offline_data: root.join("sqlx-data.json").is_file()
            || dirs.iter().any(|d| d.join(".sqlx").is_dir()),
        sources,
        migration_dirs: find_migration_dirs(&dirs, &root),
        cargo_configs: read_cargo_configs(&root),
        build_scripts: read_build_scripts(&metadata, &root),
        gitignores: read_gitignores(&root, &runtime_dirs),
        config_files: read_config_files(&root, &dirs, &runtime_dirs),
        runtime_dir_candidates: runtime_dirs,
        repo_dir: crate::git::dir_in_repository(&root),
        ..from_metadata(&metadata)
    };
    for (name, text) in read_member_manifests(&metadata) {
        if let Some(member) = ws.members.iter_mut().find(|m| m.name == name) {
            member.manifest = text;
        }
    }
    Ok(ws)
}

fn metadata_error(err: cargo_metadata::Error) -> Error {
    let text = err.to_string();
    if text.contains("--locked")
        && (text.contains("needs to be updated") || text.contains("cannot update the lock file"))
    {
        Error::LockfileOutdated
    } else {
        Error::Metadata(text.trim().to_string())
    }
}

/// Removes a Cargo.lock that `cargo metadata` created where none existed.
struct LockfileGuard {
    path: PathBuf,
    existed: bool,
}

impl LockfileGuard {
    /// The lock file sits at the workspace root, which may be above the starting manifest.
    fn new(root_manifest: &Path) -> Self {
        let path = root_manifest.with_file_name("Cargo.lock");
        let existed = path.exists();
        Self { path, existed }
    }

    fn restore(&self) -> Result<()> {
        if !self.existed && self.path.exists() {
            std::fs::remove_file(&self.path)
                .map_err(|e| Error::io(format!("removing {}", self.path.display()), e))?;
        }
        Ok(())
    }
}

/// The workspace root as cargo sees it, without resolving dependencies (writes nothing).
fn workspace_root_without_resolving(manifest: &Path, log: &dyn Fn(&str)) -> Result<PathBuf> {
    let mut cmd = MetadataCommand::new();
    cmd.manifest_path(manifest).no_deps();
    log(&command_line(&cmd));
    let metadata = cmd.exec().map_err(metadata_error)?;
    Ok(metadata.workspace_root.into_std_path_buf())
}

/// The command line a metadata command runs, for `-v`.
fn command_line(cmd: &MetadataCommand) -> String {
    let cmd = cmd.cargo_command();
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Builds the [`Workspace`] from metadata alone; pure. What is read from the disk beside
/// it (the lock file, toolchain, cargo configs, sources of member files) stays at its default.
pub fn from_metadata(metadata: &Metadata) -> Workspace {
    let root = metadata.workspace_root.clone().into_std_path_buf();
    let members: Vec<&cargo_metadata::Package> = metadata.workspace_packages();
    let relative = |p: &Path| -> String {
        p.strip_prefix(&root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let name = metadata
        .root_package()
        .map(|p| p.name.to_string())
        .or_else(|| root.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".into());
    let bins = members
        .iter()
        .flat_map(|p| {
            p.targets
                .iter()
                .filter(|t| t.kind.contains(&TargetKind::Bin))
                .map(|t| BinTarget {
                    name: t.name.clone(),
                    package: p.name.to_string(),
                    required_features: t.required_features.clone(),
                    src_path: relative(t.src_path.as_std_path()),
                })
        })
        .collect();
    let member_ids: Vec<_> = members.iter().map(|p| &p.id).collect();
    let path_packages = metadata
        .packages
        .iter()
        .filter(|p| p.source.is_none() && !member_ids.contains(&&p.id))
        .map(|p| {
            let dir = p
                .manifest_path
                .parent()
                .map(|d| d.as_std_path())
                .unwrap_or(&root);
            PathPackage {
                name: p.name.to_string(),
                dir: relative_to(&root, dir),
                inside_root: dir.starts_with(&root),
            }
        })
        .collect();
    let packages = match &metadata.resolve {
        Some(resolve) => resolved_packages(metadata, resolve, &member_ids),
        None => Vec::new(),
    };
    Workspace {
        root_manifest: root.join("Cargo.toml"),
        name,
        members: members
            .iter()
            .map(|p| Member {
                name: p.name.to_string(),
                version: p.version.to_string(),
                edition: p.edition.to_string(),
                rust_version: p.rust_version.as_ref().map(|v| v.to_string()),
                description: p.description.clone(),
                license: p.license.clone(),
                repository: p.repository.clone(),
                default_run: p.default_run.clone(),
                dir: relative(
                    p.manifest_path
                        .parent()
                        .map(|d| d.as_std_path())
                        .unwrap_or(&root),
                ),
                features: p.features.clone(),
                manifest: String::new(),
                lib_src_path: p
                    .targets
                    .iter()
                    .find(|t| t.is_lib() || t.is_rlib() || t.is_dylib())
                    .map(|t| relative(t.src_path.as_std_path())),
                lib_name: p
                    .targets
                    .iter()
                    .find(|t| t.is_lib() || t.is_rlib() || t.is_dylib())
                    .map(|t| t.name.replace('-', "_")),
                dependencies: p
                    .dependencies
                    .iter()
                    .filter(|d| d.kind != DependencyKind::Development)
                    .map(|d| d.name.clone())
                    .collect(),
            })
            .collect(),
        bins,
        packages,
        path_packages,
        root,
        ..Workspace::default()
    }
}

/// `path` relative to `base`, with `..` where it leaves it; `/`-separated.
fn relative_to(base: &Path, path: &Path) -> String {
    let base: Vec<_> = base.components().collect();
    let path: Vec<_> = path.components().collect();
    let common = base.iter().zip(&path).take_while(|(a, b)| a == b).count();
    let ups = std::iter::repeat_n("..".to_string(), base.len() - common);
    let downs = path[common..]
        .iter()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let parts: Vec<String> = ups.chain(downs).collect();
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// The packages a build of the members really compiles, each once, with its enabled features.
///
/// `cargo metadata` lists an optional dependency as an edge even when only a weak feature
/// (`dep?/feature`) names it, which no build activates (sqlx's `migrate` names
/// `sqlx-mysql?/migrate`); such edges are dropped, as are dev-only ones.
fn resolved_packages(
    metadata: &Metadata,
    resolve: &cargo_metadata::Resolve,
    member_ids: &[&PackageId],
) -> Vec<ResolvedPackage> {
    let package = |id: &PackageId| metadata.packages.iter().find(|p| &p.id == id);
    let node = |id: &PackageId| resolve.nodes.iter().find(|n| &n.id == id);
    let mut reached: Vec<&PackageId> = Vec::new();
    let mut direct: Vec<&PackageId> = Vec::new();
    let mut stack: Vec<&PackageId> = member_ids.to_vec();
    while let Some(id) = stack.pop() {
        if reached.contains(&id) {
            continue;
        }
        reached.push(id);
        let (Some(parent), Some(parent_node)) = (package(id), node(id)) else {
            continue;
        };
        for dep in &parent_node.deps {
            let real_kind = dep
                .dep_kinds
                .iter()
                .any(|k| k.kind != DependencyKind::Development);
            if !real_kind || !edge_is_active(parent, parent_node, package(&dep.pkg)) {
                continue;
            }
            if member_ids.contains(&id) {
                direct.push(&dep.pkg);
            }
            stack.push(&dep.pkg);
        }
    }
    reached
        .into_iter()
        .filter_map(|id| {
            let pkg = package(id)?;
            Some(ResolvedPackage {
                name: pkg.name.to_string(),
                version: pkg.version.to_string(),
                features: node(id)
                    .map(|n| n.features.iter().map(|f| f.to_string()).collect())
                    .unwrap_or_default(),
                links: pkg.links.clone(),
                is_member: member_ids.contains(&id),
                direct: direct.contains(&id),
                source: pkg.source.as_ref().map(|s| s.repr.clone()),
            })
        })
        .collect()
}

/// Whether the edge `parent -> dep` is compiled: the dependency is not optional, or an
/// enabled feature of the parent turns it on (`dep:name`, `name`, `name/feature`).
fn edge_is_active(
    parent: &cargo_metadata::Package,
    parent_node: &cargo_metadata::Node,
    dep_package: Option<&cargo_metadata::Package>,
) -> bool {
    let Some(dep_package) = dep_package else {
        return true;
    };
    let declared: Vec<&cargo_metadata::Dependency> = parent
        .dependencies
        .iter()
        .filter(|d| d.name == dep_package.name.as_str())
        .collect();
    if declared.is_empty() || declared.iter().any(|d| !d.optional) {
        return true;
    }
    let enabled: Vec<String> = parent_node.features.iter().map(|f| f.to_string()).collect();
    declared.iter().any(|d| {
        let key = d.rename.clone().unwrap_or_else(|| d.name.clone());
        enabled.contains(&key)
            || enabled.iter().any(|f| {
                parent.features.get(f).is_some_and(|items| {
                    items.iter().any(|item| {
                        item == &format!("dep:{key}")
                            || item == &key
                            || item.starts_with(&format!("{key}/"))
                    })
                })
            })
    })
}

/// The host's `rustc` version (`rustc -V`: `rustc 1.95.0 (hash date)`).
fn host_rustc_version() -> Option<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = Command::new(rustc).arg("-V").output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    text.split_whitespace().nth(1).map(|v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().flatten() {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }

    #[test]
    fn excluded_directories_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fleet");
        copy_dir(&fixture, dir.path());
        let ws = load(Some(&dir.path().join("Cargo.toml")), &|_| {}).unwrap();
        let mut members: Vec<&str> = ws.members.iter().map(|m| m.name.as_str()).collect();
        members.sort();
        assert_eq!(members, ["fleet-core", "fleet-jobs", "gateway"]);
        let mut bins: Vec<(&str, &[String])> = ws
            .bins
            .iter()
            .map(|b| (b.name.as_str(), b.required_features.as_slice()))
            .collect();
        bins.sort();
        assert_eq!(bins, [("gateway", &[][..]), ("jobs", &["cron".into()][..])]);
        assert!(
            ws.sources.iter().all(|(path, _)| !path.contains("legacy")),
            "{:?}",
            ws.sources.iter().map(|(p, _)| p).collect::<Vec<_>>()
        );
        assert!(!ws.sources.is_empty());
        assert_eq!(ws.migration_dirs, Vec::<String>::new());
        assert!(ws.packages.iter().all(|p| p.name != "legacy"));
        assert!(
            ws.members
                .iter()
                .all(|m| m.manifest.contains(&format!("name = \"{}\"", m.name))),
            "each member carries its own Cargo.toml"
        );
        let jobs = ws.members.iter().find(|m| m.name == "fleet-jobs").unwrap();
        assert!(jobs.features.contains_key("cron"), "{:?}", jobs.features);
    }

    #[test]
    fn relative_paths_leave_the_base_with_dots() {
        let root = Path::new("/r/app");
        assert_eq!(relative_to(root, Path::new("/r/app/vendor/x")), "vendor/x");
        assert_eq!(relative_to(root, Path::new("/r/shared")), "../shared");
        assert_eq!(
            relative_to(root, Path::new("/elsewhere/lib")),
            "../../elsewhere/lib"
        );
        assert_eq!(relative_to(root, root), ".");
    }

    #[test]
    fn toolchain_from_both_forms() {
        let t = parse_toolchain(
            "[toolchain]\nchannel = \"1.82.0\"\ncomponents = [\"clippy\", \"rustfmt\"]\ntargets = [\"wasm32-unknown-unknown\"]\n",
        );
        assert_eq!(t.channel.as_deref(), Some("1.82.0"));
        assert_eq!(t.components, ["clippy", "rustfmt"]);
        assert_eq!(t.targets, ["wasm32-unknown-unknown"]);
        assert_eq!(parse_toolchain("1.80\n").channel.as_deref(), Some("1.80"));
        assert_eq!(
            parse_toolchain("[toolchain]\nprofile = \"minimal\"\n").channel,
            None
        );
    }
}
