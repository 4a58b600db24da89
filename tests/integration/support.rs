//! Fixture copies, command runs and tree hashes shared by the tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use sha2::{Digest, Sha256};

/// `--services` naming every service the tool knows.
pub fn every_service() -> String {
    cargo_dockerize::detect::ServiceKind::ALL
        .map(|kind| kind.name())
        .join(",")
}

/// `init` of the shop deployed to Kubernetes too, its worker answered a worker.
pub const SHOP_ON_KUBERNETES: &[&str] = &[
    "init",
    "--yes",
    "--no-git",
    "--deploy",
    "compose,kubernetes",
    "--role",
    "worker=worker",
];

/// A fixture workspace copied into a temporary directory.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// Copies `tests/fixtures/<name>`.
    pub fn new(name: &str) -> Self {
        Self::nested(name, "")
    }

    /// The `plain` fixture packaged as a server with every service, bundled in production,
    /// `s3_server` as the S3 emulator.
    pub fn every_service_bundled(s3_server: &str) -> Self {
        Self::every_service_bundled_with(s3_server, &[])
    }

    /// As [`Fixture::every_service_bundled`], with more `init` flags.
    pub fn every_service_bundled_with(s3_server: &str, flags: &[&str]) -> Self {
        let fx = Fixture::new("plain");
        let services = every_service();
        let mut args = vec![
            "init",
            "--yes",
            "--no-git",
            "--role",
            "plain-tool=server",
            "--services",
            &services,
            "--prod-services",
            "bundled",
            "--s3-server",
            s3_server,
        ];
        args.extend_from_slice(flags);
        fx.cmd(&args).assert().success();
        fx
    }

    /// Copies `tests/fixtures/<name>` into `<temp dir>/<sub>` (`""`: the temp dir itself):
    /// a workspace inside a larger tree.
    pub fn nested(name: &str, sub: &str) -> Self {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let dir = tempfile::Builder::new()
            .prefix(&format!("dockerize-{name}-"))
            .tempdir()
            .unwrap();
        copy_dir(&src, &dir.path().join(sub));
        Fixture { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.file(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// `cargo-dockerize <args>` run in the fixture, as cargo runs it (`dockerize` first).
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("cargo-dockerize").unwrap();
        cmd.current_dir(self.path()).arg("dockerize").args(args);
        cmd.env_remove("NO_COLOR")
            .env_remove("CARGO_DOCKERIZE_PRESET");
        cmd
    }

    /// Every file under the fixture (target/ aside) with its hash.
    pub fn hashes(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        hash_tree(self.path(), self.path(), &mut out);
        out
    }
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        let to = dst.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

fn hash_tree(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if rel == "target" || rel == ".git" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            hash_tree(root, &path, out);
        } else {
            let digest = Sha256::digest(std::fs::read(&path).unwrap());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            out.insert(rel, hex);
        }
    }
}

/// The host's rustc version, which the generated files name; filtered out of snapshots.
pub fn host_rustc_version() -> String {
    let out = std::process::Command::new("rustc")
        .arg("-V")
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string()
}

/// Every generated file under a `==== path ====` header, host-specific values filtered.
pub fn combined(fixture: &Fixture, paths: &[String]) -> String {
    let version = host_rustc_version();
    let mut out = String::new();
    for path in paths {
        out.push_str(&format!("==== {path} ====\n"));
        out.push_str(&fixture.read(path).replace(&version, "[RUST_VERSION]"));
        out.push('\n');
    }
    out
}

/// Asserts a snapshot stored in the top-level `snapshots/` folder.
#[macro_export]
macro_rules! assert_snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({
            snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"),
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

/// An empty directory used as HOME for git, so no user or system configuration leaks in.
pub fn empty_home() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dockerize-empty-home-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Git configuration isolation plus a test identity, for both the git CLI and the tool.
pub fn git_env() -> Vec<(&'static str, String)> {
    let home = empty_home().to_string_lossy().into_owned();
    vec![
        ("HOME", home.clone()),
        ("XDG_CONFIG_HOME", home),
        ("GIT_CONFIG_NOSYSTEM", "1".into()),
        ("GIT_AUTHOR_NAME", "Test Author".into()),
        ("GIT_AUTHOR_EMAIL", "author@example.com".into()),
        ("GIT_COMMITTER_NAME", "Test Committer".into()),
        ("GIT_COMMITTER_EMAIL", "committer@example.com".into()),
    ]
}

/// Runs the git CLI in `dir` (isolated configuration, test identity); panics on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .envs(git_env())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Like [`git`], but returns whether it succeeded (for commands expected to stop, like a conflicting merge).
pub fn git_ok(dir: &Path, args: &[&str]) -> bool {
    std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .envs(git_env())
        .output()
        .unwrap()
        .status
        .success()
}

/// `git init -b main`, then one commit of everything in `dir`.
pub fn commit_all(dir: &Path, message: &str) {
    if !dir.join(".git").exists() {
        git(dir, &["init", "-q", "-b", "main"]);
    }
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

/// What git says about the repository: status, HEAD, current branch, branches with their tips.
pub fn git_state(dir: &Path) -> String {
    // Whatever each command says, failures included (a bare repository has no status, a
    // detached HEAD no symbolic ref).
    let run = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(dir)
            .args(args)
            .envs(git_env())
            .output()
            .unwrap();
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    format!(
        "status:\n{}head: {}branch: {}refs:\n{}",
        run(&["status", "--porcelain", "--untracked-files=all"]),
        run(&["rev-parse", "-q", "--verify", "HEAD"]),
        run(&["symbolic-ref", "-q", "HEAD"]),
        run(&["for-each-ref", "--format=%(refname) %(objectname)"]),
    )
}

impl Fixture {
    /// [`Fixture::cmd`] with git's configuration isolated and a test identity.
    pub fn git_cmd(&self, args: &[&str]) -> Command {
        let mut cmd = self.cmd(args);
        cmd.envs(git_env());
        cmd
    }

    /// Runs the git CLI in the fixture.
    pub fn git(&self, args: &[&str]) -> String {
        git(self.path(), args)
    }

    /// The fixture as a repository with one commit on `main`.
    pub fn committed(name: &str) -> Self {
        let fx = Fixture::new(name);
        commit_all(fx.path(), "initial");
        fx
    }

    /// The `ledger` fixture with sqlx's macros on and a checked query (`query_scalar!`) in
    /// the API crate, and no offline data.
    pub fn ledger_with_checked_query() -> Self {
        let fx = Fixture::new("ledger");
        // The macros are a feature of sqlx (already in Cargo.lock, which holds optional crates).
        let api = fx.read("crates/api/Cargo.toml").replace(
            "\"postgres\", \"migrate\"]",
            "\"postgres\", \"migrate\", \"macros\"]",
        );
        assert!(api.contains("\"macros\""));
        fx.write("crates/api/Cargo.toml", &api);
        let main = fx.read("crates/api/src/main.rs");
        fx.write(
            "crates/api/src/queries.rs",
            "pub async fn count(pool: &sqlx::PgPool) -> i64 {\n    sqlx::query_scalar!(\"select count(*) from accounts\").fetch_one(pool).await.unwrap().unwrap_or(0)\n}\n",
        );
        fx.write("crates/api/src/main.rs", &format!("mod queries;\n{main}"));
        fx
    }

    /// Writes a file (creating directories).
    pub fn write(&self, rel: &str, contents: &str) {
        let path = self.file(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    /// A file's contents on a branch or commit (`git show REV:PATH`), if it exists there.
    pub fn show(&self, rev: &str, path: &str) -> Option<String> {
        let out = std::process::Command::new("git")
            .current_dir(self.path())
            .args(["show", &format!("{rev}:{path}")])
            .envs(git_env())
            .output()
            .unwrap();
        out.status
            .success()
            .then(|| String::from_utf8(out.stdout).unwrap())
    }
}

/// A command's stdout and stderr, as text.
pub fn output_of(assert: &assert_cmd::assert::Assert) -> (String, String) {
    let out = assert.get_output();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The report without file sizes, which follow the host's Rust version.
pub fn without_sizes(report: &str) -> String {
    report
        .lines()
        .map(|line| match line.rfind(" (") {
            Some(i) if line.ends_with(" B)") || line.ends_with(" KiB)") => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}
