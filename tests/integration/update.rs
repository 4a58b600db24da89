//! `update`: the 3-way merge of the team's files with a new render, in repositories and on disk.

use predicates::prelude::*;

use crate::support::{Fixture, git, git_state, output_of};

/// A line the team adds to the Dockerfile, far from anything a port change touches.
const TEAM_LINE: &str = "# team: builds go through our registry mirror";

/// Adds [`TEAM_LINE`] after the Dockerfile's header comment block.
fn edit_dockerfile(text: &str) -> String {
    text.replacen(
        "# Base images are build arguments",
        &format!("{TEAM_LINE}\n# Base images are build arguments"),
        1,
    )
}

/// Sets the stored port answer of the `plain` fixture.
fn set_port(fx: &Fixture, port: u16) {
    let manifest = fx.read("Cargo.toml");
    let manifest = match manifest.find("port = ") {
        Some(_) => {
            manifest
                .lines()
                .map(|l| {
                    if l.starts_with("port = ") {
                        format!("port = {port}")
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        }
        None => format!("{manifest}\n[package.metadata.dockerize]\nport = {port}\n"),
    };
    fx.write("Cargo.toml", &manifest);
}

/// init, squash-merge the branch, delete it: the state teams end up in.
fn initialized_and_squashed(fx: &Fixture) {
    fx.git_cmd(&["init", "--yes"]).assert().success();
    fx.git(&["merge", "-q", "--squash", "dockerize"]);
    fx.git(&["commit", "-q", "-m", "Add container files"]);
    fx.git(&["branch", "-q", "-D", "dockerize"]);
}

#[test]
fn after_a_squash_merge_edits_survive_and_answers_apply() {
    let fx = Fixture::committed("plain");
    initialized_and_squashed(&fx);
    fx.write("Dockerfile", &edit_dockerfile(&fx.read("Dockerfile")));
    set_port(&fx, 4242);
    fx.git(&["commit", "-q", "-am", "our edits, a new port"]);
    fx.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("changed"));

    let hashes = fx.hashes();
    let assert = fx.git_cmd(&["update"]).assert().success();
    let (stdout, _) = output_of(&assert);
    assert!(stdout.contains("Updated Dockerfile"), "{stdout}");
    assert_eq!(
        hashes,
        fx.hashes(),
        "without --merge the working tree is untouched"
    );
    let dockerfile = fx.show("dockerize", "Dockerfile").unwrap();
    assert!(dockerfile.contains(TEAM_LINE), "{dockerfile}");
    assert!(dockerfile.contains("EXPOSE 4242"), "{dockerfile}");
    assert!(!dockerfile.contains("8080"), "{dockerfile}");
    assert_eq!(
        fx.git(&["rev-parse", "dockerize^"]),
        fx.git(&["rev-parse", "HEAD"])
    );

    // Now merge it in: the team's line and the new port are both in the working tree.
    fx.git_cmd(&["update", "--merge"]).assert().success();
    let dockerfile = fx.read("Dockerfile");
    assert!(dockerfile.contains(TEAM_LINE) && dockerfile.contains("EXPOSE 4242"));
    assert_eq!(fx.git(&["status", "--porcelain"]), "");
    fx.cmd(&["check"]).assert().success();
    // Nothing left to do.
    let state = git_state(fx.path());
    let assert = fx.git_cmd(&["update"]).assert().success();
    let (stdout, _) = output_of(&assert);
    assert!(stdout.contains("No change"), "{stdout}");
    assert_eq!(state, git_state(fx.path()), "no change, no commit");
}

#[test]
fn works_in_a_shallow_clone() {
    let origin = Fixture::committed("plain");
    initialized_and_squashed(&origin);
    origin.write("Dockerfile", &edit_dockerfile(&origin.read("Dockerfile")));
    origin.git(&["commit", "-q", "-am", "our edit"]);
    set_port(&origin, 4343);
    origin.git(&["commit", "-q", "-am", "a new port"]);

    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    git(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let dir = clone.path().join("shallow");
    assert_eq!(git(&dir, &["rev-list", "--count", "HEAD"]).trim(), "1");
    let mut cmd = assert_cmd::Command::cargo_bin("cargo-dockerize").unwrap();
    cmd.current_dir(&dir)
        .envs(crate::support::git_env())
        .args(["dockerize", "check"])
        .assert()
        .code(1);
    let mut cmd = assert_cmd::Command::cargo_bin("cargo-dockerize").unwrap();
    cmd.current_dir(&dir)
        .envs(crate::support::git_env())
        .args(["dockerize", "update", "--merge"])
        .assert()
        .success();
    let dockerfile = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    assert!(dockerfile.contains(TEAM_LINE) && dockerfile.contains("EXPOSE 4343"));
}

#[test]
fn overlapping_edits_are_conflicts_listed_and_not_merged() {
    let fx = Fixture::committed("settings");
    fx.git_cmd(&["init", "--yes", "--merge"]).assert().success();
    let edited = fx
        .read("Dockerfile")
        .replacen("EXPOSE 3000", "EXPOSE 3000 9090", 1);
    fx.write("Dockerfile", &edit_dockerfile(&edited));
    set_port(&fx, 4242);
    fx.git(&["commit", "-q", "-am", "expose the metrics port too"]);
    let head = fx.git(&["rev-parse", "HEAD"]);
    let hashes = fx.hashes();

    let assert = fx.git_cmd(&["update", "--merge"]).assert().code(1);
    let (stdout, stderr) = output_of(&assert);
    assert!(stdout.contains("Conflict Dockerfile"), "{stdout}");
    assert!(stdout.contains("not merged"), "{stdout}");
    assert!(
        stderr.contains("conflict markers") && stderr.contains("Dockerfile"),
        "{stderr}"
    );
    assert!(stderr.contains("help:"), "{stderr}");
    // The current branch and the working tree are untouched; the branch has the markers.
    assert_eq!(fx.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(hashes, fx.hashes());
    let dockerfile = fx.show("dockerize", "Dockerfile").unwrap();
    assert!(
        dockerfile.contains("<<<<<<< yours\n")
            && dockerfile.contains("EXPOSE 3000 9090\n=======\n")
            && dockerfile.contains("EXPOSE 4242\n>>>>>>> cargo-dockerize\n"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains(TEAM_LINE), "the clean hunk merged too");
    // Other files merged cleanly.
    assert!(fx.show("dockerize", "Makefile").unwrap().contains("4242"));
}

#[test]
fn a_deleted_file_stays_deleted() {
    let fx = Fixture::committed("plain");
    fx.git_cmd(&["init", "--yes", "--merge"]).assert().success();
    fx.git(&["rm", "-q", "Makefile", ".dockerignore"]);
    set_port(&fx, 4242);
    fx.git(&["commit", "-q", "-am", "we do not use make"]);
    let assert = fx.git_cmd(&["update", "--merge"]).assert().success();
    let (stdout, _) = output_of(&assert);
    // The Makefile's template output changed: reported. .dockerignore's did not: silent.
    assert!(
        stdout.contains("Makefile: you deleted it and its template changed; it stays deleted"),
        "{stdout}"
    );
    assert!(!stdout.contains(".dockerignore"), "{stdout}");
    assert!(!fx.file("Makefile").exists() && !fx.file(".dockerignore").exists());
    assert!(fx.read("Dockerfile").contains("EXPOSE 4242"));
}

#[test]
fn a_new_binary_flows_in() {
    let fx = Fixture::committed("plain");
    initialized_and_squashed(&fx);
    fx.write("src/bin/admin.rs", "fn main() {}\n");
    fx.git(&["add", "src/bin/admin.rs"]);
    fx.git(&["commit", "-q", "-m", "an admin tool"]);
    let assert = fx.git_cmd(&["update"]).assert().success();
    let (stdout, _) = output_of(&assert);
    assert!(stdout.contains("new binary `admin`"), "{stdout}");
    let dockerfile = fx.show("dockerize", "Dockerfile").unwrap();
    assert!(dockerfile.contains("production-admin"), "{dockerfile}");
}

#[test]
fn a_new_service_dependency_flows_in() {
    let fx = Fixture::committed("plain");
    fx.git_cmd(&["init", "--yes", "--merge"]).assert().success();
    let manifest = fx.read("Cargo.toml");
    fx.write(
        "Cargo.toml",
        &format!("{manifest}\n[package.metadata.dockerize]\nservices = [\"redis\"]\n"),
    );
    fx.git(&["commit", "-q", "-am", "we use redis now"]);
    let assert = fx.git_cmd(&["update"]).assert().success();
    let (stdout, _) = output_of(&assert);
    assert!(stdout.contains("new service `redis`"), "{stdout}");
    let compose = fx.show("dockerize", "compose.override.yaml").unwrap();
    assert!(compose.contains("image: redis:"), "{compose}");
}

#[test]
fn no_git_merges_into_the_workspace() {
    let fx = Fixture::new("plain");
    fx.cmd(&["init", "--yes", "--no-git"]).assert().success();
    fx.write("Dockerfile", &edit_dockerfile(&fx.read("Dockerfile")));
    set_port(&fx, 5151);
    let hashes = fx.hashes();
    let assert = fx.cmd(&["update", "--dry-run"]).assert().success();
    let (stdout, _) = output_of(&assert);
    assert!(stdout.contains("Would update Dockerfile"), "{stdout}");
    assert_eq!(hashes, fx.hashes(), "a dry run writes nothing");

    fx.cmd(&["update", "--no-git"]).assert().success();
    let dockerfile = fx.read("Dockerfile");
    assert!(dockerfile.contains(TEAM_LINE) && dockerfile.contains("EXPOSE 5151"));
    fx.cmd(&["check"]).assert().success();
    let assert = fx.cmd(&["update", "--no-git"]).assert().success();
    assert!(output_of(&assert).0.contains("No change"));
}

#[test]
fn update_before_init() {
    let fx = Fixture::committed("plain");
    let (state, hashes) = (git_state(fx.path()), fx.hashes());
    fx.git_cmd(&["update"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no docker/dockerize.lock at HEAD"))
        .stderr(predicate::str::contains(
            "help: run `cargo dockerize init` first",
        ));
    fx.git_cmd(&["update", "--no-git"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no docker/dockerize.lock in"));
    assert_eq!((state, hashes), (git_state(fx.path()), fx.hashes()));

    // Initialized on the branch but not merged: still nothing at HEAD.
    fx.git_cmd(&["init", "--yes"]).assert().success();
    fx.git_cmd(&["update"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("git merge dockerize"));
}

#[test]
fn an_unknown_template_set_is_a_clear_error() {
    let fx = Fixture::new("plain");
    fx.cmd(&["init", "--yes", "--no-git"]).assert().success();
    let lock = fx.read("docker/dockerize.lock").replace(
        &format!(
            "template-version = \"{}\"",
            cargo_dockerize::render::TEMPLATE_VERSION
        ),
        "template-version = \"99\"",
    );
    fx.write("docker/dockerize.lock", &lock);
    let hashes = fx.hashes();
    fx.cmd(&["update", "--no-git"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("template set 99"))
        .stderr(predicate::str::contains(
            "help: the lock was written by a newer",
        ));
    assert_eq!(hashes, fx.hashes());
}

#[test]
fn every_shipped_template_set_renders() {
    // A real configuration, as recorded in a lock.
    let fx = Fixture::new("shop");
    fx.cmd(&["init", "--yes", "--no-git", "--services", "postgres,redis"])
        .assert()
        .success();
    let lock = cargo_dockerize::lock::Lock::read(fx.path())
        .unwrap()
        .unwrap();
    let versions = cargo_dockerize::render::shipped_versions();
    assert!(versions.contains(&cargo_dockerize::render::TEMPLATE_VERSION.to_string()));
    for version in versions {
        let files = cargo_dockerize::render::render_version(&version, &lock.config())
            .unwrap_or_else(|e| panic!("template set {version}: {e}"));
        assert!(files.contains_key("Dockerfile"), "template set {version}");
        let header = files["Dockerfile"].contents.clone();
        assert!(
            header.contains(&format!("(template set {version})")),
            "template set {version} names itself"
        );
    }
}

/// xorshift64*: deterministic randomness without a dependency.
fn next(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// Random team edits to generated files, an update that changes other lines, a merge:
/// every team edit is in the result, or its file is reported as a conflict.
#[test]
fn property_random_edits_survive_an_update_or_are_reported() {
    let mut seed = 0x5EED_u64;
    for round in 0..6 {
        let fx = Fixture::new("plain");
        fx.cmd(&["init", "--yes", "--no-git"]).assert().success();
        let mut edits = Vec::new();
        for path in [
            "Dockerfile",
            "compose.override.yaml",
            "Makefile",
            "README.Docker.md",
        ] {
            let mut lines: Vec<String> = fx.read(path).lines().map(str::to_string).collect();
            for e in 0..1 + next(&mut seed) % 3 {
                let i = (next(&mut seed) as usize) % lines.len();
                let line = format!("# team edit {round}.{e}");
                // Never overwrite an earlier team edit: each one must survive or be reported.
                if next(&mut seed).is_multiple_of(2) && !lines[i].starts_with("# team edit") {
                    lines[i] = line.clone();
                } else {
                    lines.insert(i, line.clone());
                }
                edits.push((path, line));
            }
            fx.write(path, &(lines.join("\n") + "\n"));
        }
        set_port(&fx, 4000 + round);
        let assert = fx.cmd(&["update", "--no-git"]).assert();
        let (stdout, stderr) = output_of(&assert);
        let code = assert.get_output().status.code();
        for (path, line) in &edits {
            let text = fx.read(path);
            let kept = text.lines().any(|l| l == line);
            let reported = stdout.contains(&format!("Conflict {path}")) && code == Some(1);
            assert!(
                kept || reported,
                "round {round}: `{line}` in {path} was dropped silently\n{stdout}\n{stderr}"
            );
            if stdout.contains(&format!("Conflict {path}")) {
                assert!(stderr.contains(path), "{stderr}");
            }
        }
        assert!(matches!(code, Some(0) | Some(1)), "{stderr}");
    }
}
