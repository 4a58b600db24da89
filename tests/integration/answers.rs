//! `cargo dockerize answers`: every value with its source (flag, Cargo.toml, default, detection); nothing written.

use predicates::prelude::*;

use crate::support::{Fixture, output_of};

/// The line of `key` in `answers`' output.
fn line_of<'a>(stdout: &'a str, key: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.starts_with(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("no `{key}` in:\n{stdout}"))
}

#[test]
fn each_value_names_where_it_came_from_and_nothing_is_written() {
    let fx = Fixture::new("plain");
    let mut manifest = fx.read("Cargo.toml");
    manifest.push_str("\n[package.metadata.dockerize]\nregistry = \"ghcr.io/acme\"\nport = 3000\n");
    fx.write("Cargo.toml", &manifest);
    let before = fx.hashes();
    let assert = fx
        .cmd(&["answers", "--port", "8080", "--role", "plain-tool=server"])
        .assert()
        .success();
    let (stdout, _) = output_of(&assert);
    for (key, value, source) in [
        ("port", "8080", "(flag --port)"),
        ("bin.plain-tool.role", "\"server\"", "(flag --role)"),
        (
            "registry",
            "\"ghcr.io/acme\"",
            "(Cargo.toml [package.metadata.dockerize])",
        ),
        ("ci", "true", "(default)"),
        ("runtime", "\"distroless\"", "(default)"),
        ("bins", "[\"plain-tool\"]", "(detected)"),
    ] {
        let line = line_of(&stdout, key);
        assert!(
            line.starts_with(&format!("{key} = {value} ")) && line.ends_with(source),
            "{line}"
        );
    }
    assert_eq!(before, fx.hashes(), "`answers` changed the workspace");
}

#[test]
fn it_reads_the_workspace_at_manifest_path() {
    let fx = Fixture::nested("plain", "app");
    let assert = fx
        .cmd(&["answers", "--no-ci", "--manifest-path", "app/Cargo.toml"])
        .assert()
        .success();
    let (stdout, _) = output_of(&assert);
    assert!(
        line_of(&stdout, "ci").ends_with("(flag --no-ci)"),
        "{stdout}"
    );
    assert!(
        line_of(&stdout, "makefile").ends_with("(default)"),
        "{stdout}"
    );
}

#[test]
fn a_bad_value_is_blamed_on_its_layer() {
    let fx = Fixture::new("plain");
    fx.cmd(&["answers", "--bin", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--bin: no binary named `nope`"));
    let mut manifest = fx.read("Cargo.toml");
    manifest.push_str("\n[package.metadata.dockerize]\nbins = [\"nope\"]\n");
    fx.write("Cargo.toml", &manifest);
    fx.cmd(&["answers"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "invalid value in [package.metadata.dockerize]",
        ))
        .stderr(predicate::str::contains("no binary named `nope`"));
    // A flag over the stored value replaces it.
    fx.cmd(&["answers", "--bin", "plain-tool"])
        .assert()
        .success();
}

#[test]
fn a_servers_start_arguments_are_detected_answered_and_drift_in_their_own_words() {
    let fx = Fixture::new("tunnel");
    let (stdout, _) = output_of(&fx.cmd(&["answers"]).assert().success());
    assert!(
        line_of(&stdout, "bin.tunnel.args")
            .starts_with("bin.tunnel.args = [\"server\", \"--bind\", \"0.0.0.0\"] "),
        "{stdout}"
    );
    fx.cmd(&["init", "--yes", "--no-git"]).assert().success();
    let mut manifest = fx.read("Cargo.toml");
    manifest.push_str(
        "\n[package.metadata.dockerize.bin.tunnel]\nargs = [\"server\", \"--bind\", \"::\"]\n",
    );
    fx.write("Cargo.toml", &manifest);
    fx.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "args of `tunnel` changed: [server, --bind, 0.0.0.0] -> [server, --bind, ::]",
        ));
    fx.cmd(&["update", "--no-git"]).assert().success();
    assert!(
        fx.read("Dockerfile")
            .contains("CMD [\"server\",\"--bind\",\"::\"]\n")
    );
    // A stored value of the wrong shape names its table.
    fx.write(
        "Cargo.toml",
        &manifest.replace(
            "args = [\"server\", \"--bind\", \"::\"]",
            "args = \"server\"",
        ),
    );
    fx.cmd(&["update", "--no-git"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("[package.metadata.dockerize]"));
}
