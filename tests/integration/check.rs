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
        .stderr(predicate::str::contains("`bins` changed"));
}
