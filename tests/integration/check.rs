//! `check`: exit 0 when current, 1 naming what changed.

use predicates::prelude::*;

use crate::support::Fixture;

#[test]
fn current_then_drifted() {
    let fx = Fixture::new("plain");
    fx.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cargo dockerize init"));
    fx.cmd(&["init", "--yes", "--no-git"]).assert().success();
    fx.cmd(&["check"]).assert().success();

    std::fs::create_dir_all(fx.file("src/bin")).unwrap();
    std::fs::write(fx.file("src/bin/admin.rs"), "fn main() {}\n").unwrap();
    fx.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("new binary `admin`"));
}

#[test]
fn a_changed_answer_is_drift() {
    let fx = Fixture::new("plain");
    fx.cmd(&["init", "--yes", "--no-git"]).assert().success();
    let mut manifest = fx.read("Cargo.toml");
    manifest.push_str("\n[package.metadata.dockerize]\nport = 4242\n");
    std::fs::write(fx.file("Cargo.toml"), manifest).unwrap();
    fx.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "port of `plain-tool` changed: none -> 4242; role of `plain-tool` changed: tool -> server",
        ));
}

/// A `rustc` that reports another version and passes every other call to the real one.
fn other_rustc(fx: &Fixture, version: &str) -> std::path::PathBuf {
    let path = fx.file("other-rustc.sh");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\nif [ \"$1\" = \"-V\" ]; then echo \"rustc {version} (0000000 2030-01-01)\"; exit 0; fi\nexec rustc \"$@\"\n"
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn another_rustc_is_no_drift_and_the_version_moves_only_on_request() {
    let fx = Fixture::new("plain");
    fx.cmd(&["init", "--yes", "--no-git"]).assert().success();
    let recorded = crate::support::host_rustc_version();
    assert!(
        fx.read("docker/dockerize.lock")
            .contains(&format!("rust_version = \"{recorded}\"")),
        "the lock records the local rustc's version"
    );
    assert!(
        !fx.read("Cargo.toml").contains("metadata.dockerize"),
        "no answer was given"
    );
    let rustc = other_rustc(&fx, "1.99.0");
    fx.cmd(&["check"]).env("RUSTC", &rustc).assert().success();
    fx.cmd(&["update", "--no-git"])
        .env("RUSTC", &rustc)
        .assert()
        .success();
    assert!(
        fx.read("Dockerfile")
            .contains(&format!("rust:{recorded}-slim-trixie")),
        "update keeps the recorded version"
    );
    fx.cmd(&["update", "--no-git", "--rust-version", "1.96.0"])
        .env("RUSTC", &rustc)
        .assert()
        .success();
    assert!(fx.read("Dockerfile").contains("rust:1.96.0-slim-trixie"));
    assert!(fx.read("Cargo.toml").contains("rust-version = \"1.96.0\""));
    fx.cmd(&["check"]).env("RUSTC", &rustc).assert().success();
    fx.cmd(&["update", "--no-git", "--rust-version", "latest"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--rust-version"));
}
