//! Real-world shapes without an engine: what detection tells the user, and what lands in the files.

use predicates::prelude::*;

use crate::support::Fixture;

#[test]
fn checked_sqlx_queries_without_offline_data_warn_and_stop_the_build_early() {
    let fx = Fixture::new("ledger");
    let main = fx.read("crates/api/src/main.rs");
    fx.write(
        "crates/api/src/queries.rs",
        "pub async fn count(pool: &sqlx::PgPool) -> i64 {\n    sqlx::query_scalar!(\"select count(*) from accounts\").fetch_one(pool).await.unwrap().unwrap_or(0)\n}\n",
    );
    fx.write("crates/api/src/main.rs", &format!("mod queries;\n{main}"));
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
        .find("if [ ! -d .sqlx ] && [ ! -f sqlx-data.json ]")
        .expect("the planner checks for offline data");
    assert!(check < dockerfile.find("cargo chef prepare").unwrap());
    assert!(fx.read("README.Docker.md").contains("## sqlx offline data"));

    // With the offline data committed, the warning and the check go away.
    std::fs::create_dir(fx.file(".sqlx")).unwrap();
    fx.write(".sqlx/query-0.json", "{}");
    fx.cmd(&["update", "--no-git"])
        .env("NO_COLOR", "1")
        .assert()
        .success()
        .stdout(predicate::str::contains("but there is no offline data").not());
    let dockerfile = fx.read("Dockerfile");
    assert!(!dockerfile.contains("[ ! -d .sqlx ]"));
    assert!(dockerfile.contains("SQLX_OFFLINE=true"));
}

#[test]
fn a_cargo_config_above_the_workspace_is_named_as_outside_the_build_context() {
    let fx = Fixture::nested("plain", "services/plain");
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
            "../../.cargo/config.toml is above the workspace root, outside the Docker build context",
        ));
    let dockerfile = std::fs::read_to_string(ws.join("Dockerfile")).unwrap();
    assert!(!dockerfile.contains("COPY .cargo"));
    assert!(!dockerfile.contains("clang"));
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
