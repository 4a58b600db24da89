//! What a person sees: help, status lines, diffs, next steps, colour, verbosity, completions.

use predicates::prelude::*;

use crate::assert_snapshot;
use crate::support::{Fixture, host_rustc_version, output_of};

/// Replaces what depends on the host or on the template text: the rustc version, temp
/// paths, file sizes.
fn filtered(fx: &Fixture, text: &str) -> String {
    let mut out = text
        .replace(&host_rustc_version(), "[RUST_VERSION]")
        .replace(&fx.path().display().to_string(), "[WORKSPACE]");
    // ` (1.2 KiB)` / ` (845 B)` -> ` ([SIZE])`
    let mut rest = out.as_str();
    let mut done = String::new();
    while let Some(start) = rest.find(" (") {
        let (head, tail) = rest.split_at(start + 2);
        done.push_str(head);
        match tail.find(')') {
            Some(end) if tail[..end].ends_with(" B") || tail[..end].ends_with(" KiB") => {
                done.push_str("[SIZE]");
                rest = &tail[end..];
            }
            _ => rest = tail,
        }
    }
    done.push_str(rest);
    out = done;
    out
}

#[test]
fn help_of_every_command() {
    let fx = Fixture::new("plain");
    let mut all = String::new();
    for args in [
        &["--help"][..],
        &["init", "--help"],
        &["update", "--help"],
        &["check", "--help"],
        &["completions", "--help"],
    ] {
        let assert = fx.cmd(args).assert().success();
        all.push_str(&format!("==== cargo dockerize {} ====\n", args.join(" ")));
        all.push_str(&output_of(&assert).0);
    }
    assert!(!all.contains('\x1b'), "help is not coloured into a pipe");
    assert_snapshot!("help", all);
}

#[test]
fn dry_run_output_without_colour() {
    let fx = Fixture::new("shop");
    let assert = fx
        .cmd(&["init", "--yes", "--dry-run", "--color", "never"])
        .assert()
        .success();
    let (stdout, _) = output_of(&assert);
    assert_snapshot!("dry_run_output", filtered(&fx, &stdout));
}

#[test]
fn dry_run_and_update_show_a_diff_of_each_changed_file() {
    let fx = Fixture::new("settings");
    fx.cmd(&["init", "--yes", "--no-git"]).assert().success();
    let assert = fx
        .cmd(&["init", "--yes", "--no-git", "--dry-run", "--port", "9000"])
        .assert()
        .success();
    let (stdout, _) = output_of(&assert);
    for expected in [
        "Would update Dockerfile",
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ ",
        "-EXPOSE 3000\n",
        "+EXPOSE 9000\n",
        "+++ b/Cargo.toml",
        "+port = 9000",
        "Unchanged .dockerignore",
    ] {
        assert!(stdout.contains(expected), "missing {expected:?}:\n{stdout}");
    }
    assert!(!stdout.contains("--- a/docker/dockerize.lock"), "{stdout}");

    // update: the answer changed in Cargo.toml by hand.
    let manifest = fx.read("Cargo.toml");
    fx.write(
        "Cargo.toml",
        &format!("{manifest}\n[package.metadata.dockerize]\nport = 9100\n"),
    );
    let assert = fx.cmd(&["update", "--no-git"]).assert().success();
    let (stdout, _) = output_of(&assert);
    assert!(stdout.contains("Updated Dockerfile"), "{stdout}");
    assert!(
        stdout.contains("-EXPOSE 3000\n") && stdout.contains("+EXPOSE 9100\n"),
        "{stdout}"
    );
    assert!(stdout.contains("docker compose up"), "{stdout}");
}

#[test]
fn next_steps_follow_where_the_files_went() {
    let fx = Fixture::committed("plain");
    let assert = fx.git_cmd(&["init", "--yes"]).assert().success();
    let (stdout, _) = output_of(&assert);
    assert!(stdout.contains("git merge dockerize"), "{stdout}");
    assert!(stdout.contains("make prod-local"), "{stdout}");

    let fx = Fixture::new("plain");
    let assert = fx
        .cmd(&["init", "--yes", "--no-git", "--no-makefile"])
        .assert()
        .success();
    let (stdout, _) = output_of(&assert);
    assert!(!stdout.contains("git merge"), "{stdout}");
    assert!(!stdout.contains("make "), "{stdout}");
    // A tool has no stack to bring up: it is run.
    assert!(
        stdout.contains("docker compose run --rm plain-tool run"),
        "{stdout}"
    );
}

#[test]
fn color_never_and_no_color_print_no_escapes_into_a_pipe() {
    let fx = Fixture::new("plain");
    let has_escape = |args: &[&str], no_color: bool| {
        let mut cmd = fx.cmd(args);
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let (out, err) = output_of(&cmd.assert());
        out.contains('\x1b') || err.contains('\x1b')
    };
    let dry = ["init", "--yes", "--dry-run"];
    assert!(!has_escape(&dry, false), "auto into a pipe");
    assert!(!has_escape(
        &[&dry[..], &["--color", "never"]].concat(),
        false
    ));
    assert!(!has_escape(&dry, true));
    assert!(!has_escape(&["init", "--yes", "--bin", "nope"], true));
    // The flag wins over NO_COLOR.
    assert!(has_escape(
        &[&dry[..], &["--color", "always"]].concat(),
        true
    ));
}

#[test]
fn color_always_colours_status_lines_and_errors() {
    let fx = Fixture::new("plain");
    let (stdout, _) = output_of(
        &fx.cmd(&["init", "--yes", "--dry-run", "--color=always"])
            .assert()
            .success(),
    );
    assert!(
        stdout.contains("\x1b[1;32mWould create\x1b[0m Dockerfile"),
        "{stdout:?}"
    );
    fx.cmd(&["--color", "always", "init", "--yes", "--bin", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("\x1b[1;31merror\x1b[0m: "));
}

#[test]
fn quiet_prints_nothing_but_errors_and_verbose_shows_cargo_metadata() {
    let fx = Fixture::new("plain");
    fx.cmd(&["init", "--yes", "--no-git", "-q"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    assert!(fx.file("Dockerfile").exists());
    fx.cmd(&["check", "-q", "--manifest-path", "nope/Cargo.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error: no Cargo.toml"));
    let assert = fx.cmd(&["-v", "check"]).assert().success();
    let (_, stderr) = output_of(&assert);
    assert!(stderr.contains("Running `"), "{stderr}");
    assert!(stderr.contains(" metadata "), "{stderr}");
    assert!(stderr.contains("--filter-platform"), "{stderr}");
    assert!(stderr.contains("Finished"), "{stderr}");
}

#[test]
fn no_ci_and_no_makefile_leave_those_files_out() {
    let fx = Fixture::new("plain");
    fx.cmd(&["init", "--yes", "--no-git", "--no-ci", "--no-makefile"])
        .assert()
        .success();
    assert!(!fx.file(".github/workflows/docker.yml").exists());
    assert!(!fx.file("Makefile").exists());
    assert!(fx.file("Dockerfile").exists());
    let manifest = fx.read("Cargo.toml");
    assert!(manifest.contains("ci = false"), "{manifest}");
    assert!(manifest.contains("makefile = false"), "{manifest}");
    let lock = fx.read("docker/dockerize.lock");
    assert!(!lock.contains("Makefile"), "{lock}");
    fx.cmd(&["check"]).assert().success();
    let (stdout, _) = output_of(&fx.cmd(&["update", "--no-git"]).assert().success());
    assert!(stdout.contains("No change"), "{stdout}");
}

#[test]
fn completions_for_each_shell() {
    let fx = Fixture::new("plain");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (stdout, _) = output_of(&fx.cmd(&["completions", shell]).assert().success());
        assert!(stdout.contains("cargo-dockerize"), "{shell}: {stdout}");
        assert!(stdout.contains("manifest-path"), "{shell}: {stdout}");
    }
    fx.cmd(&["completions", "tcsh"]).assert().code(2);
}
