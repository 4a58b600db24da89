//! Fixture copies, command runs and tree hashes shared by the tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use sha2::{Digest, Sha256};

/// A fixture workspace copied into a temporary directory.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// Copies `tests/fixtures/<name>`.
    pub fn new(name: &str) -> Self {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let dir = tempfile::Builder::new()
            .prefix(&format!("dockerize-{name}-"))
            .tempdir()
            .unwrap();
        copy_dir(&src, dir.path());
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
        cmd.env_remove("NO_COLOR");
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
