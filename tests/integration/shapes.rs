//! Workspace shapes real projects have (default members, excluded folders, binaries behind
//! features) and the files they carry, checked without an engine: what detection tells the
//! user and what lands in the generated files.

use predicates::prelude::*;

use crate::support::{Fixture, commit_all, git, git_env, output_of};

/// The flags of the Dockerfile's `cargo auditable build --release` line (the same as `cargo chef cook`'s).
fn build_flags(fx: &Fixture) -> String {
    let dockerfile = fx.read("Dockerfile");
    let build = dockerfile
        .lines()
        .find_map(|l| l.split_once("cargo auditable build --release "))
        .map(|(_, flags)| flags.trim().to_string())
        .expect("a cargo auditable build line");
    let cook = dockerfile
        .lines()
        .find_map(|l| l.split_once("cargo chef cook --release --recipe-path recipe.json "))
        .map(|(_, flags)| flags.trim().to_string())
        .expect("a cargo chef cook line");
    let build = build.split(" \\").next().unwrap().to_string();
    assert_eq!(cook, build, "cook and build take the same flags");
    build
}

/// Runs `cargo build <flags>` in the fixture (a debug build of small std-only crates).
fn cargo_build(fx: &Fixture, flags: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO"))
        .current_dir(fx.path())
        .arg("build")
        .arg("--quiet")
        .args(flags.split_whitespace())
        .env("CARGO_TARGET_DIR", fx.file("target"))
        .output()
        .unwrap()
}

#[test]
fn default_members_and_required_features_select_every_package() {
    let fx = Fixture::new("fleet");
    fx.cmd(&[
        "init", "--yes", "--no-git", "--bin", "gateway", "--bin", "jobs",
    ])
    .assert()
    .success();
    let flags = build_flags(&fx);
    assert_eq!(
        flags,
        "--features fleet-jobs/cron -p gateway -p fleet-jobs --bin gateway --bin jobs"
    );
    // cargo picks among the default members without -p: the shape is real.
    let plain = cargo_build(&fx, "--bin gateway");
    assert!(!plain.status.success());
    assert!(
        String::from_utf8_lossy(&plain.stderr).contains("no bin target named `gateway`"),
        "{}",
        String::from_utf8_lossy(&plain.stderr)
    );
    let built = cargo_build(&fx, &flags);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(fx.file("target/debug/gateway").exists());
    assert!(fx.file("target/debug/jobs").exists());

    // The development entrypoint runs each binary from its own package.
    let entrypoint = fx.read("docker/entrypoint.sh");
    assert!(
        entrypoint.contains("gateway) APP_PACKAGE=gateway RUN_FLAGS=\"\" ;;")
            && entrypoint.contains(
                "jobs) APP_PACKAGE=fleet-jobs RUN_FLAGS=\"--features fleet-jobs/cron\" ;;"
            ),
        "{entrypoint}"
    );
    assert!(
        entrypoint.contains(
            r#"cargo run $RUN_FLAGS ${APP_PACKAGE:+--package "$APP_PACKAGE"} --bin "$APP_BIN""#
        ),
        "{entrypoint}"
    );
    // Each binary's flags are ones cargo accepts for its package alone.
    for flags in [
        "-p gateway --bin gateway",
        "--features fleet-jobs/cron -p fleet-jobs --bin jobs",
    ] {
        let built = cargo_build(&fx, flags);
        assert!(
            built.status.success(),
            "{flags}: {}",
            String::from_utf8_lossy(&built.stderr)
        );
    }
    // The test stage covers the whole workspace, default members or not.
    assert!(
        fx.read("Dockerfile")
            .contains("cargo test --release --workspace --features fleet-jobs/cron"),
    );
}

#[test]
fn a_binary_behind_a_feature_outside_the_default_members_builds_alone() {
    let fx = Fixture::new("fleet");
    fx.cmd(&["init", "--yes", "--no-git", "--bin", "jobs"])
        .assert()
        .success();
    let flags = build_flags(&fx);
    assert_eq!(flags, "--features fleet-jobs/cron -p fleet-jobs --bin jobs");
    let built = cargo_build(&fx, &flags);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(fx.file("target/debug/jobs").exists());
    assert!(!fx.file("target/debug/gateway").exists());
}

#[test]
fn excluded_folders_are_neither_packaged_nor_scanned() {
    let fx = Fixture::new("fleet");
    let (stdout, _) = output_of(&fx.cmd(&["init", "--yes", "--no-git"]).assert().success());
    // crates/legacy has a binary bound to 127.0.0.1 and a migrations folder: none of it counts.
    assert!(!stdout.contains("legacy"), "{stdout}");
    assert!(!stdout.contains("loopback"), "{stdout}");
    for path in ["Dockerfile", "compose.yaml", "docker/dockerize.lock"] {
        assert!(!fx.read(path).contains("legacy"), "{path}");
    }
    let flags = build_flags(&fx);
    assert!(
        flags.contains("--bin gateway") && flags.contains("--bin jobs"),
        "{flags}"
    );
}

/// `cargo-dockerize dockerize <args>` run in `dir`, git isolated with a test identity.
fn run_in(dir: &std::path::Path, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("cargo-dockerize").unwrap();
    cmd.current_dir(dir)
        .envs(git_env())
        .env_remove("NO_COLOR")
        .arg("dockerize")
        .args(args);
    cmd
}

#[test]
fn a_workspace_below_the_repository_root_gets_its_workflow_at_the_root() {
    let fx = Fixture::nested("plain", "services/api");
    fx.write("README.md", "monorepo\n");
    commit_all(fx.path(), "initial");
    let ws = fx.file("services/api");
    let (stdout, _) = output_of(
        &run_in(&ws, &["init", "--yes", "--merge"])
            .assert()
            .success(),
    );
    assert!(
        stdout.contains("Created ../../.github/workflows/docker-plain-tool.yml"),
        "{stdout}"
    );
    let ls = fx.git(&["ls-tree", "-r", "--name-only", "HEAD"]);
    assert!(
        ls.lines()
            .any(|l| l == ".github/workflows/docker-plain-tool.yml"),
        "{ls}"
    );
    assert!(!ls.contains("services/api/.github"), "{ls}");
    assert!(ls.contains("services/api/Dockerfile\n"), "{ls}");
    assert_eq!(fx.git(&["status", "--porcelain"]), "", "merged cleanly");
    let lock = fx.read("services/api/docker/dockerize.lock");
    assert!(
        lock.contains(r#"repo_dir = "services/api""#)
            && lock.contains(r#"ci_workflow = ".github/workflows/docker-plain-tool.yml""#)
            && lock.contains(r#""../../.github/workflows/docker-plain-tool.yml" = "sha256:"#),
        "{lock}"
    );
    crate::assert_snapshot!(
        "subdirectory_workflow",
        fx.read(".github/workflows/docker-plain-tool.yml")
    );

    // check and update find the workflow through the lock: an edit to it survives an
    // update that changes it elsewhere.
    run_in(&ws, &["check"]).assert().success();
    let workflow = ".github/workflows/docker-plain-tool.yml";
    let edited = fx
        .read(workflow)
        .replace("runs-on: ubuntu-latest", "runs-on: ubuntu-24.04");
    fx.write(workflow, &edited);
    let mut manifest = fx.read("services/api/Cargo.toml");
    manifest.push_str("\n[package.metadata.dockerize]\nregistry = \"ghcr.io/acme\"\n");
    fx.write("services/api/Cargo.toml", &manifest);
    commit_all(fx.path(), "our runner, another registry");
    run_in(&ws, &["check"]).assert().code(1);
    run_in(&ws, &["update", "--merge"]).assert().success();
    let merged = fx.read(workflow);
    assert!(merged.contains("runs-on: ubuntu-24.04"), "{merged}");
    assert!(merged.contains("REGISTRY: ghcr.io/acme"), "{merged}");
    assert!(!fx.file("services/api/.github").exists());
    assert_eq!(fx.git(&["status", "--porcelain"]), "");
    run_in(&ws, &["check"]).assert().success();
}

#[test]
fn without_git_the_workflow_goes_to_the_repository_root_or_the_workspace() {
    // In a repository: at its root, where GitHub reads it.
    let fx = Fixture::nested("plain", "services/api");
    git(fx.path(), &["init", "-q", "-b", "main"]);
    let ws = fx.file("services/api");
    run_in(&ws, &["init", "--yes", "--no-git"])
        .assert()
        .success();
    let workflow = fx.read(".github/workflows/docker-plain-tool.yml");
    assert!(
        workflow.contains("working-directory: services/api"),
        "{workflow}"
    );
    assert!(!fx.file("services/api/.github").exists());

    // Outside any repository: the workspace is the top, as at a repository's root.
    let fx = Fixture::nested("plain", "services/api");
    let ws = fx.file("services/api");
    run_in(&ws, &["init", "--yes", "--no-git"])
        .assert()
        .success();
    let workflow = fx.read("services/api/.github/workflows/docker.yml");
    assert!(!workflow.contains("working-directory"), "{workflow}");
    assert!(workflow.contains("context: .\n"), "{workflow}");
}

#[test]
fn checked_sqlx_queries_without_offline_data_warn_and_stop_the_build_early() {
    let fx = Fixture::ledger_with_checked_query();
    fx.cmd(&["init", "--yes", "--no-git"])
        .env("NO_COLOR", "1")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "crates/api/src/queries.rs use sqlx's checked query macros but there is no offline data",
        ))
        .stdout(predicate::str::contains("cargo sqlx prepare --workspace"));
    let dockerfile = fx.read("Dockerfile");
    let check = dockerfile
        .find("-type d -name .sqlx -print")
        .expect("the planner checks for offline data");
    assert!(check < dockerfile.find("cargo chef prepare").unwrap());
    assert!(fx.read("README.Docker.md").contains("## sqlx offline data"));

    // With the offline data committed (where `cargo sqlx prepare` in the crate puts it),
    // the warning and the check go away.
    std::fs::create_dir(fx.file("crates/api/.sqlx")).unwrap();
    fx.write("crates/api/.sqlx/query-0.json", "{}");
    fx.cmd(&["update", "--no-git"])
        .env("NO_COLOR", "1")
        .assert()
        .success()
        .stdout(predicate::str::contains("but there is no offline data").not());
    let dockerfile = fx.read("Dockerfile");
    assert!(!dockerfile.contains("-name .sqlx"));
    assert!(dockerfile.contains("SQLX_OFFLINE=true"));
}

#[test]
fn a_cargo_config_above_the_workspace_is_copied_into_the_image() {
    // Settings above the workspace count up to the repository's top.
    let fx = Fixture::nested("plain", "services/plain");
    git(fx.path(), &["init", "-q"]);
    std::fs::create_dir(fx.file(".cargo")).unwrap();
    fx.write(
        ".cargo/config.toml",
        "[target.x86_64-unknown-linux-gnu]\nlinker = \"clang\"\n",
    );
    let ws = fx.file("services/plain");
    let mut cmd = fx.cmd(&["init", "--yes", "--no-git"]);
    cmd.current_dir(&ws)
        .env("NO_COLOR", "1")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "cargo settings above the workspace root (../../.cargo/config.toml): copied to docker/cargo-config.toml",
        ));
    let dockerfile = std::fs::read_to_string(ws.join("Dockerfile")).unwrap();
    assert!(dockerfile.contains("COPY docker/cargo-config.toml /usr/local/cargo/config.toml"));
    assert!(dockerfile.contains("--no-install-recommends clang"));
    let copy = std::fs::read_to_string(ws.join("docker/cargo-config.toml")).unwrap();
    assert!(copy.contains("linker = \"clang\""), "{copy}");

    // A changed parent config is due for an update, which refreshes the copy.
    fx.write(
        ".cargo/config.toml",
        "[target.x86_64-unknown-linux-gnu]\nlinker = \"clang\"\nrustflags = [\"-C\", \"link-arg=-fuse-ld=lld\"]\n",
    );
    let mut check = fx.cmd(&["check"]);
    check.current_dir(&ws).assert().code(1);
    let mut update = fx.cmd(&["update", "--no-git"]);
    update.current_dir(&ws).assert().success();
    let copy = std::fs::read_to_string(ws.join("docker/cargo-config.toml")).unwrap();
    assert!(copy.contains("-fuse-ld=lld"), "{copy}");
}

#[test]
fn runtime_files_answer_replaces_the_detected_folders_and_is_stored() {
    let fx = Fixture::new("settings");
    std::fs::create_dir(fx.file("assets")).unwrap();
    fx.write("assets/logo.svg", "<svg/>");
    fx.cmd(&["init", "--yes", "--no-git", "--runtime-files", "assets"])
        .assert()
        .success();
    let dockerfile = fx.read("Dockerfile");
    assert!(dockerfile.contains("COPY --chown=65532:65532 assets /app/assets"));
    assert!(!dockerfile.contains("/app/config"));
    assert!(
        fx.read("Cargo.toml")
            .contains("runtime-files = [\"assets\"]")
    );

    fx.cmd(&[
        "init",
        "--yes",
        "--no-git",
        "--force",
        "--runtime-files",
        "none",
    ])
    .assert()
    .success();
    assert!(!fx.read("Dockerfile").contains("COPY --chown=65532:65532"));
}

#[test]
fn outside_a_repository_the_users_own_cargo_settings_stay_out() {
    // A folder above the workspace, no repository: like the user's home with its
    // ~/.cargo/config.toml, which may hold a registry token.
    let fx = Fixture::nested("plain", "work/plain");
    std::fs::create_dir(fx.file(".cargo")).unwrap();
    fx.write(".cargo/config.toml", "[registry]\ntoken = \"cio_secret\"\n");
    let ws = fx.file("work/plain");
    let mut cmd = fx.cmd(&["init", "--yes", "--no-git"]);
    cmd.current_dir(&ws).assert().success();
    assert!(!ws.join("docker/cargo-config.toml").exists());
    let mut stack = vec![ws.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                assert!(!text.contains("cio_secret"), "{}", path.display());
            }
        }
    }
}
