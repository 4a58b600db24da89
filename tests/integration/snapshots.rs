//! One combined snapshot per scenario: every generated file's text.

use cargo_dockerize::families;
use cargo_dockerize::lock::{self, Lock};

use crate::assert_snapshot;
use crate::support::{Fixture, combined};

/// Every file the families make for the configuration the fixture's lock records, but the
/// lock itself (hashes of the others, which change with the Rust version).
fn generated(fx: &Fixture) -> Vec<String> {
    let lock = Lock::read(fx.path()).unwrap().expect("a lock after init");
    families::paths(&lock.config())
        .into_iter()
        .filter(|p| p != lock::PATH)
        .collect()
}

#[test]
fn shop_with_every_default() {
    let fx = Fixture::new("shop");
    fx.cmd(&["init", "--yes", "--no-git"]).assert().success();
    assert_snapshot!("shop_defaults", combined(&fx, &generated(&fx)));
}

#[test]
fn plain_tool_on_debian_with_a_custom_registry_and_port() {
    let fx = Fixture::new("plain");
    fx.cmd(&[
        "init",
        "--yes",
        "--no-git",
        "--runtime",
        "debian",
        "--registry",
        "registry.example.com/tools",
        "--port",
        "9090",
        "--features",
        "fast",
        "--no-default-features",
    ])
    .assert()
    .success();
    let mut paths = generated(&fx);
    paths.push("Cargo.toml".into());
    assert_snapshot!("plain_debian_registry", combined(&fx, &paths));
}

#[test]
fn static_runtime_with_c_code_built_for_musl() {
    let fx = Fixture::new("staticserve");
    fx.cmd(&["init", "--yes", "--no-git", "--runtime", "static"])
        .assert()
        .success();
    let paths = ["Dockerfile", "README.Docker.md"].map(String::from);
    assert_snapshot!("static_runtime_musl", combined(&fx, &paths));
}

#[test]
fn two_platforms_cross_compiled_with_a_linked_library() {
    let fx = Fixture::new("tlsversion");
    fx.cmd(&[
        "init",
        "--yes",
        "--no-git",
        "--platforms",
        "linux/amd64,linux/arm64",
    ])
    .assert()
    .success();
    let paths = [
        "Dockerfile",
        "README.Docker.md",
        ".github/workflows/docker.yml",
        "Cargo.toml",
    ]
    .map(String::from);
    assert_snapshot!("two_platforms_openssl", combined(&fx, &paths));
}

#[test]
fn every_service_with_bundled_production_copies() {
    let fx = Fixture::every_service_bundled("seaweedfs");
    let paths: Vec<String> = [
        "Dockerfile",
        "compose.override.yaml",
        "compose.prod.yaml",
        "docker/env/dev.env.sh",
        "docker/env/prod.env.sh.example",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_snapshot!("every_service_bundled", combined(&fx, &paths));
}

#[test]
fn virtual_workspace_with_two_binaries_a_library_and_migrations() {
    let fx = Fixture::new("ledger");
    fx.cmd(&["init", "--yes", "--no-git"]).assert().success();
    // The workspace root is a temporary directory, which names the project: filter it.
    let project = fx
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_ascii_lowercase();
    let text = combined(&fx, &generated(&fx))
        .replace(&project, "[PROJECT]")
        .replace(&project.replace('-', "_"), "[PROJECT]");
    assert_snapshot!("ledger_virtual_workspace", text);
}

#[test]
fn real_world_shapes_linker_toolchain_vendor_build_script_and_runtime_files() {
    let fx = Fixture::new("realworld");
    fx.write(
        "rust-toolchain.toml",
        &format!(
            "[toolchain]\nchannel = \"{}\"\ncomponents = [\"clippy\", \"rustfmt\"]\ntargets = [\"wasm32-unknown-unknown\"]\n",
            crate::support::host_rustc_version()
        ),
    );
    let out = fx
        .cmd(&["init", "--yes", "--no-git"])
        .env("NO_COLOR", "1")
        .assert()
        .success();
    let (stdout, stderr) = crate::support::output_of(&out);
    let paths: Vec<String> = [
        "Dockerfile",
        ".dockerignore",
        "compose.override.yaml",
        ".github/workflows/docker.yml",
        "Makefile",
        "README.Docker.md",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let report = crate::support::without_sizes(
        &format!("{stdout}{stderr}")
            .replace(&crate::support::host_rustc_version(), "[RUST_VERSION]"),
    );
    assert_snapshot!(
        "real_world_shapes",
        format!("==== report ====\n{report}\n{}", combined(&fx, &paths))
    );
}

/// What `init --yes` says it detected (roles, ports, variables, services, warnings) and the
/// files where that lands, for workspaces in the shapes of real projects: a TCP server with
/// its command-line client, a server configured by clap options and their variables, one
/// configured by YAML files and APP_* overrides, sqlx 0.5's Postgres driver feature, and a
/// backend chosen among features.
#[test]
fn real_project_shapes_roles_ports_variables_and_services() {
    let version = crate::support::host_rustc_version();
    let mut out = String::new();
    for (fixture, extra) in [
        ("kvstore", &[][..]),
        ("clapserve", &[][..]),
        ("tunnel", &[][..]),
        ("confserve", &[][..]),
        ("oldsqlx", &[][..]),
        ("backends", &["--features", "backends/postgresql"][..]),
    ] {
        let fx = Fixture::new(fixture);
        let mut args = vec!["init", "--yes", "--no-git"];
        args.extend(extra);
        let assert = fx.cmd(&args).assert().success();
        let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        out.push_str(&format!("######## {fixture} {}\n", extra.join(" ")));
        for line in stdout.lines().filter(|l| {
            let l = l.trim_start();
            l.starts_with("Detected") || l.starts_with("Warning") || l.starts_with("Note")
        }) {
            out.push_str(&line.replace(&version, "[RUST_VERSION]"));
            out.push('\n');
        }
        let dockerfile = fx.read("Dockerfile");
        let last_stages = &dockerfile[dockerfile.find("\nFROM runtime AS ").unwrap()..];
        out.push_str("==== Dockerfile (the production stages) ====");
        out.push_str(last_stages);
        out.push_str(&combined(
            &fx,
            &["compose.yaml".into(), "docker/env/dev.env.sh".into()],
        ));
    }
    assert_snapshot!("real_project_shapes", out);
}

/// The shop deployed to Kubernetes too (its worker answered a worker): every manifest, each
/// overlay's settings, and the README's Kubernetes section.
#[test]
fn shop_on_kubernetes() {
    let fx = Fixture::new("shop");
    fx.cmd(crate::support::SHOP_ON_KUBERNETES)
        .assert()
        .success();
    let paths: Vec<String> = generated(&fx)
        .into_iter()
        .filter(|p| p.starts_with("deploy/kubernetes/"))
        .collect();
    let readme = fx.read("README.Docker.md");
    let start = readme.find("## Kubernetes").expect("a Kubernetes section");
    let end = start + readme[start..].find("\n## CI").unwrap();
    assert_snapshot!(
        "shop_kubernetes",
        format!(
            "{}==== README.Docker.md (Kubernetes) ====\n{}",
            combined(&fx, &paths),
            &readme[start..end]
        )
    );
}

/// The README's `## Docker Swarm` section, up to the next section.
fn swarm_section(readme: &str) -> String {
    let start = readme.find("## Docker Swarm").expect("a Swarm section");
    let rest = &readme[start..];
    let end = rest[1..].find("\n## ").map_or(rest.len(), |i| i + 1);
    rest[..end].to_string()
}

/// `--deploy compose,swarm` on a server, a worker and an external Postgres: the stack, the
/// README's Swarm section and the init note on how the app reads its secret.
#[test]
fn swarm_stack_for_a_server_a_worker_and_external_postgres() {
    let fx = Fixture::new("shop");
    let out = fx
        .cmd(&[
            "init",
            "--yes",
            "--no-git",
            "--deploy",
            "compose,swarm",
            "--role",
            "worker=worker",
        ])
        .env("NO_COLOR", "1")
        .assert()
        .success();
    let (stdout, _) = crate::support::output_of(&out);
    let notes: String = stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("Note"))
        .map(|l| format!("{}\n", l.trim()))
        .collect();
    let text = format!(
        "==== notes ====\n{notes}{}==== README.Docker.md (Swarm) ====\n{}",
        combined(&fx, &["deploy/swarm/stack.yaml".into()]),
        swarm_section(&fx.read("README.Docker.md"))
    );
    assert_snapshot!("swarm_shop", text);
}

/// Every service bundled (RustFS, with its bucket job) beside a server, on Swarm only.
#[test]
fn swarm_stack_with_every_service_bundled() {
    let fx = Fixture::every_service_bundled_with("rustfs", &["--deploy", "swarm"]);
    let text = format!(
        "{}==== README.Docker.md (Swarm) ====\n{}",
        combined(&fx, &["deploy/swarm/stack.yaml".into()]),
        swarm_section(&fx.read("README.Docker.md"))
    );
    assert_snapshot!("swarm_every_service_bundled", text);
}
