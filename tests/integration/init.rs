//! `init` on fixture workspaces: what it writes, what it leaves alone.

use std::os::unix::fs::PermissionsExt;

use crate::support::Fixture;

#[test]
fn dry_run_lists_files_and_changes_nothing() {
    let fx = Fixture::new("shop");
    let before = fx.hashes();
    let out = fx.cmd(&["init", "--yes", "--dry-run"]).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("Would create Dockerfile ("), "{stdout}");
    assert!(
        stdout.contains("Would create docker/dockerize.lock"),
        "{stdout}"
    );
    assert!(stdout.contains("nothing was written"), "{stdout}");
    assert_eq!(before, fx.hashes(), "a dry run wrote into the workspace");
}

#[test]
fn inspection_never_creates_or_changes_cargo_lock() {
    // No Cargo.lock: cargo metadata would create one; the tool must not leave it behind.
    let fx = Fixture::new("plain");
    let before = fx.hashes();
    fx.cmd(&["init", "--yes", "--dry-run"]).assert().success();
    assert_eq!(before, fx.hashes());
    assert!(!fx.file("Cargo.lock").exists());

    // With a Cargo.lock: it is read with --locked, byte for byte unchanged.
    let shop = Fixture::new("shop");
    let lock = shop.read("Cargo.lock");
    shop.cmd(&["init", "--yes", "--no-git"]).assert().success();
    assert_eq!(lock, shop.read("Cargo.lock"));
}

#[test]
fn writes_the_file_set_with_an_executable_entrypoint() {
    let fx = Fixture::new("shop");
    fx.cmd(&["init", "--yes", "--no-git"]).assert().success();
    let mode = std::fs::metadata(fx.file("docker/entrypoint.sh"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o111, 0o111, "entrypoint is executable");
    let lock = fx.read("docker/dockerize.lock");
    assert!(
        lock.contains(&format!(
            "template-version = \"{}\"",
            cargo_dockerize::render::TEMPLATE_VERSION
        )),
        "{lock}"
    );
    assert!(
        lock.contains("\"Dockerfile\" = \"sha256:") || lock.contains("Dockerfile = \"sha256:"),
        "{lock}"
    );
    assert!(fx.read(".gitattributes").contains("*.sh text eol=lf"));
    // Nothing was answered: Cargo.toml is untouched.
    assert_eq!(
        fx.read("Cargo.toml"),
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/shop/Cargo.toml"
        ))
        .unwrap()
    );
}

#[test]
fn answers_are_stored_and_read_back_as_defaults() {
    let fx = Fixture::new("plain");
    let original = fx.read("Cargo.toml");
    fx.cmd(&[
        "init",
        "--yes",
        "--no-git",
        "--port",
        "9999",
        "--services",
        "redis",
    ])
    .assert()
    .success();
    let manifest = fx.read("Cargo.toml");
    assert!(
        manifest.starts_with(&original),
        "every byte before the answers is kept:\n{manifest}"
    );
    assert!(
        manifest.contains("[package.metadata.dockerize]"),
        "{manifest}"
    );
    assert!(manifest.contains("port = 9999"), "{manifest}");
    assert!(manifest.contains("services = [\"redis\"]"), "{manifest}");

    // A re-run without flags renders from the stored answers and changes nothing.
    let before = fx.hashes();
    fx.cmd(&["init", "--yes", "--no-git"]).assert().success();
    assert_eq!(before, fx.hashes());
    assert!(fx.read("compose.override.yaml").contains("image: redis:7"));
    assert!(fx.read("Dockerfile").contains("EXPOSE 9999"));
}

#[test]
fn a_rerun_after_a_change_updates_the_files_it_owns() {
    let fx = Fixture::new("plain");
    fx.cmd(&["init", "--yes", "--no-git"]).assert().success();
    let out = fx
        .cmd(&["init", "--yes", "--no-git", "--port", "7000"])
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("Updated Dockerfile"), "{stdout}");
    assert!(stdout.contains("Unchanged .dockerignore"), "{stdout}");
}

#[test]
fn workspace_manifest_stores_answers_in_the_workspace_table() {
    let fx = Fixture::new("plain");
    let mut manifest = fx.read("Cargo.toml");
    manifest.push_str("\n[workspace]\n");
    std::fs::write(fx.file("Cargo.toml"), &manifest).unwrap();
    fx.cmd(&["init", "--yes", "--no-git", "--port", "8123"])
        .assert()
        .success();
    let after = fx.read("Cargo.toml");
    assert!(after.starts_with(&manifest));
    assert!(
        after.contains("[workspace.metadata.dockerize]\n"),
        "{after}"
    );
}

#[test]
fn a_server_bound_to_loopback_is_warned_about() {
    let fx = Fixture::new("plain");
    std::fs::write(
        fx.file("src/main.rs"),
        "fn main() {\n    let _l = std::net::TcpListener::bind(\"127.0.0.1:8080\");\n}\n",
    )
    .unwrap();
    let out = fx.cmd(&["init", "--yes", "--dry-run"]).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("src/main.rs:2 binds to the loopback address"),
        "{stdout}"
    );
}

#[test]
fn optional_dependencies_named_only_by_weak_features_imply_nothing() {
    // sqlx's `migrate` feature names `sqlx-mysql?/migrate` and `sqlx-sqlite?/migrate`;
    // cargo metadata lists those crates, but no build compiles them.
    let fx = Fixture::new("ledger");
    let out = fx.cmd(&["init", "--yes", "--dry-run"]).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("service postgres (from sqlx-postgres)"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("mysql") && !stdout.contains("sqlite"),
        "{stdout}"
    );
    assert!(
        stdout.contains("system packages for openssl-sys"),
        "{stdout}"
    );
}

#[test]
fn sqlx_migrations_the_app_embeds_leave_the_cli_out_of_development() {
    let fx = Fixture::new("ledger");
    fx.cmd(&["init", "--yes", "--no-git"]).assert().success();
    let before = fx.read("Dockerfile");
    assert!(before.contains("COPY --from=migrate-cli /opt/migrate-cli/bin/sqlx /usr/local/bin/sqlx\nCOPY --chmod=0755 docker/entrypoint.sh"));

    // The api applies its migrations at start.
    let main = fx.read("crates/api/src/main.rs");
    fx.write(
        "crates/api/src/main.rs",
        &format!("{main}\n#[allow(dead_code)]\nasync fn migrate(pool: &sqlx::PgPool) {{\n    sqlx::migrate!(\"../../migrations\").run(pool).await.unwrap();\n}}\n"),
    );
    fx.cmd(&["update", "--no-git"]).assert().success();
    let dockerfile = fx.read("Dockerfile");
    let development = &dockerfile[dockerfile.find("AS development").unwrap()..];
    let development = &development[..development.find("\nFROM ").unwrap()];
    assert!(!development.contains("sqlx"), "{development}");
    // The production one-shot keeps the CLI.
    assert!(dockerfile.contains("FROM runtime AS migrate\n"));
    assert!(
        fx.read("docker/entrypoint.sh")
            .contains("the app applies crates/api/migrations/ itself when it starts")
    );
    assert!(!fx.read("Makefile").contains("\nmigrate:"));
}
