//! Workspace shapes real projects have: default members, excluded folders, binaries behind features.

use crate::support::{Fixture, output_of};

/// The flags of the Dockerfile's `cargo build --release` line (the same as `cargo chef cook`'s).
fn build_flags(fx: &Fixture) -> String {
    let dockerfile = fx.read("Dockerfile");
    let build = dockerfile
        .lines()
        .find_map(|l| l.split_once("cargo build --release "))
        .map(|(_, flags)| flags.trim().to_string())
        .expect("a cargo build line");
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
        entrypoint.contains("gateway) APP_PACKAGE=gateway ;;")
            && entrypoint.contains("jobs) APP_PACKAGE=fleet-jobs ;;"),
        "{entrypoint}"
    );
    assert!(
        entrypoint.contains(
            r#"cargo run $CARGO_FLAGS ${APP_PACKAGE:+--package "$APP_PACKAGE"} --bin "$APP_BIN""#
        ),
        "{entrypoint}"
    );
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
