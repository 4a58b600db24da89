//! End-to-end: workspaces shaped like real ones (a linker config, a static musl runtime, a run-time config folder
//! with a pinned toolchain, a git dependency) build their production images and start.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::{
    Cleanup, binary_from_image, build, build_refused, build_with, cleanup_for, container_logs,
    enabled, free_port, init_printing, init_printing_with, inspect, run, run_hardened, step_cached,
    step_log, text, wait_for,
};
use crate::support::{Fixture, commit_all, git, host_rustc_version};

/// A fixture initialised with `--yes`, hadolint clean; its Dockerfile.
fn init(fx: &Fixture) -> String {
    init_printing(fx);
    fx.read("Dockerfile")
}

/// Starts the image hardened (read-only, no capabilities, its own non-root user) and
/// waits for `want` on `/` at `port`, the port its code listens on.
fn serve(fx: &Fixture, cleanup: &mut Cleanup, image: &str, name: &str, port: u16, want: &str) {
    let host_port = free_port();
    cleanup.containers.push(name.to_string());
    let published = format!("127.0.0.1:{host_port}:{port}");
    run_hardened(fx.path(), name, image, &["-p", &published]);
    assert_eq!(inspect(image, "{{.Config.User}}"), "65532:65532");
    // The port its code listens on (3000 unless PORT says otherwise), exposed and set.
    assert_eq!(
        inspect(
            image,
            "{{range $p, $_ := .Config.ExposedPorts}}{{$p}}{{end}}"
        ),
        format!("{port}/tcp")
    );
    let took = wait_for(
        host_port,
        "/",
        want,
        Duration::from_secs(30),
        container_logs(name.to_string()),
    );
    eprintln!("{name} answered {took:.1?} after start");
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn linker_config_with_clang_and_lld_builds_and_starts() {
    if !enabled("linker_config_with_clang_and_lld_builds_and_starts") {
        return;
    }
    let fx = Fixture::new("linked");
    let mut cleanup = cleanup_for(&fx);
    let dockerfile = init(&fx);
    assert!(dockerfile.contains("apt-get install -y --no-install-recommends clang lld"));
    let config_copy = dockerfile
        .find("COPY .cargo/config.toml .cargo/config.toml")
        .expect("the cargo config is copied in");
    let cook = dockerfile.find("cargo chef cook --release").unwrap();
    assert!(config_copy < cook, "the cargo config must reach cook");

    let image = format!("e2e-linked-{}:e2e", std::process::id());
    cleanup.images.push(image.clone());
    let (_, took) = build(fx.path(), "production", &image);
    eprintln!("linked production build: {took:.1?}");
    let name = format!("e2e-linked-{}", std::process::id());
    // The greeting is compiled in from `[env]`: cook and build read the same config.
    serve(
        &fx,
        &mut cleanup,
        &image,
        &name,
        3000,
        "built with the [env] of .cargo/config.toml",
    );

    // The binary records the linker that produced it.
    let notes = comment_notes(fx.path(), &image, "/usr/local/bin/linked");
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("Linker: ") && n.contains("LLD")),
        "{notes:?}"
    );
}

/// The notes toolchains leave in a binary's `.comment` section (`Linker: LLD ...`,
/// `mold 2.x ...`, `rustc version ...`), read from `binary` in `image`.
fn comment_notes(dir: &Path, image: &str, binary: &str) -> Vec<String> {
    let bytes = binary_from_image(dir, image, binary);
    String::from_utf8_lossy(&bytes)
        .split('\0')
        .filter(|s| {
            ["Linker: ", "mold ", "rustc version "]
                .iter()
                .any(|p| s.starts_with(p))
        })
        .map(str::to_string)
        .collect()
}

/// Whether a 64-bit little-endian ELF file names a program interpreter (`PT_INTERP`):
/// every dynamically linked executable does, a static one does not.
fn elf_interpreter(elf: &[u8]) -> bool {
    assert_eq!(
        &elf[..6],
        b"\x7fELF\x02\x01",
        "a 64-bit little-endian ELF file"
    );
    let u16_at = |at: usize| u16::from_le_bytes([elf[at], elf[at + 1]]) as usize;
    let phoff = u64::from_le_bytes(elf[0x20..0x28].try_into().unwrap()) as usize;
    let (phentsize, phnum) = (u16_at(0x36), u16_at(0x38));
    (0..phnum).any(|i| {
        let at = phoff + i * phentsize;
        u32::from_le_bytes(elf[at..at + 4].try_into().unwrap()) == 3
    })
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn a_static_runtime_links_c_code_against_musl_and_starts() {
    if !enabled("a_static_runtime_links_c_code_against_musl_and_starts") {
        return;
    }
    let fx = Fixture::new("staticserve");
    let mut cleanup = cleanup_for(&fx);
    init_printing_with(&fx, &["--runtime", "static"]);
    let dockerfile = fx.read("Dockerfile");
    assert!(dockerfile.contains("ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian13:nonroot"));
    assert!(
        dockerfile.contains("musl-tools"),
        "musl-gcc for the build script's C code"
    );
    let target = "--target x86_64-unknown-linux-musl";
    for step in [
        "cargo chef cook --release",
        "cargo auditable build --release",
    ] {
        let line = dockerfile.lines().find(|l| l.contains(step)).unwrap();
        assert!(
            line.ends_with(target) || line.contains(&format!("{target} ")),
            "{line}"
        );
    }

    let image = format!("e2e-staticserve-{}:e2e", std::process::id());
    cleanup.images.push(image.clone());
    let (_, took) = build(fx.path(), "production", &image);
    eprintln!("staticserve production build (musl): {took:.1?}");
    let binary = binary_from_image(fx.path(), &image, "/usr/local/bin/staticserve");
    assert!(
        !elf_interpreter(&binary),
        "a static binary names no interpreter"
    );
    // On distroless static (no libc): the C code ran and a name was resolved.
    let name = format!("e2e-staticserve-{}", std::process::id());
    serve(
        &fx,
        &mut cleanup,
        &image,
        &name,
        8080,
        "answer from C; localhost resolves to ",
    );
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn a_cargo_config_above_the_workspace_reaches_the_build() {
    if !enabled("a_cargo_config_above_the_workspace_reaches_the_build") {
        return;
    }
    // The linker settings sit at the repository's top, two levels above the workspace.
    let fx = Fixture::nested("linked", "services/linked");
    git(fx.path(), &["init", "-q"]);
    std::fs::rename(fx.file("services/linked/.cargo"), fx.file(".cargo")).unwrap();
    let ws = fx.file("services/linked");
    let mut init = fx.cmd(&["init", "--yes", "--no-git", "--no-dockerfile-syntax"]);
    init.current_dir(&ws).assert().success();
    let dockerfile = std::fs::read_to_string(ws.join("Dockerfile")).unwrap();
    assert!(dockerfile.contains("COPY docker/cargo-config.toml /usr/local/cargo/config.toml"));
    let hadolint = run(&ws, "hadolint", &["Dockerfile"], &[]);
    assert_eq!(text(&hadolint).trim(), "", "hadolint reported something");

    let mut cleanup = cleanup_for(&fx);
    let image = format!("e2e-parent-config-{}:e2e", std::process::id());
    cleanup.images.push(image.clone());
    let (_, took) = build(&ws, "production", &image);
    eprintln!("production build with the parent's cargo config: {took:.1?}");
    let name = format!("e2e-parent-config-{}", std::process::id());
    serve(
        &fx,
        &mut cleanup,
        &image,
        &name,
        3000,
        "built with the [env] of .cargo/config.toml",
    );
    let notes = comment_notes(&ws, &image, "/usr/local/bin/linked");
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("Linker: ") && n.contains("LLD")),
        "{notes:?}"
    );
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn runtime_config_folder_and_pinned_toolchain_build_and_start() {
    if !enabled("runtime_config_folder_and_pinned_toolchain_build_and_start") {
        return;
    }
    let fx = Fixture::new("settings");
    // The toolchain file pins the host's version, which the Rust stand-in image carries.
    fx.write(
        "rust-toolchain.toml",
        &format!(
            "[toolchain]\nchannel = \"{}\"\ncomponents = [\"clippy\"]\n",
            host_rustc_version()
        ),
    );
    // A developer's local override, ignored by git, must not reach the image.
    fx.write(".gitignore", "/target\nconfig/local.toml\n");
    fx.write("config/local.toml", "password = \"local-only\"\n");
    let mut cleanup = cleanup_for(&fx);
    let dockerfile = init(&fx);
    assert!(
        fx.read(".dockerignore")
            .lines()
            .any(|l| l == "config/local.toml")
    );
    let toolchain = dockerfile
        .find("COPY rust-toolchain.toml ./")
        .expect("the toolchain file is copied in");
    assert!(dockerfile.contains("rustup component add clippy"));
    assert!(toolchain < dockerfile.find("FROM chef AS planner").unwrap());
    assert!(dockerfile.contains("COPY --chown=65532:65532 config /app/config"));
    assert!(dockerfile.contains("WORKDIR /app"));

    let image = format!("e2e-settings-{}:e2e", std::process::id());
    cleanup.images.push(image.clone());
    let (log, took) = build(fx.path(), "production", &image);
    eprintln!("settings production build: {took:.1?}");
    // cook compiled the dependency with the pinned toolchain; the build reuses it.
    let build_step = step_log(&log, "cargo auditable build --release");
    assert!(
        !build_step.contains("Compiling itoa"),
        "the build recompiled a dependency:\n{build_step}"
    );
    let name = format!("e2e-settings-{}", std::process::id());
    serve(
        &fx,
        &mut cleanup,
        &image,
        &name,
        3000,
        "settings from config/app.toml",
    );

    // The folder belongs to the app's user; the working directory is /app.
    let debug = format!("e2e-settings-{}:debug", std::process::id());
    cleanup.images.push(debug.clone());
    build(fx.path(), "production-debug", &debug);
    let out = run(
        fx.path(),
        "docker",
        &[
            "run",
            "--rm",
            "--read-only",
            "--entrypoint",
            "/busybox/sh",
            &debug,
            "-c",
            "pwd; stat -c %u config/app.toml; ls config",
        ],
        &[],
    );
    assert_eq!(text(&out).trim(), "/app\n65532\napp.toml");

    // An edit of the code keeps the dependency layer.
    let main = fx.read("src/main.rs");
    fx.write(
        "src/main.rs",
        &format!("{main}\n// edited {}\n", std::process::id()),
    );
    let (log, _) = build(fx.path(), "production", &image);
    assert!(step_cached(&log, "cargo chef cook --release"));
}

/// A private git server (tests/integration/e2e/git_http_server.py: git's smart HTTP
/// behind basic authentication) on the Docker bridge's gateway address, which both the
/// host (for Cargo.lock) and the build containers reach; stopped on drop.
struct GitServer(Child);

impl Drop for GitServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Git's settings that read credentials from a git-credentials file, as the image does
/// with its secret.
fn credential_env(file: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("GIT_TERMINAL_PROMPT", "0".into()),
        ("GIT_CONFIG_COUNT", "1".into()),
        ("GIT_CONFIG_KEY_0", "credential.helper".into()),
        (
            "GIT_CONFIG_VALUE_0",
            format!("store --file={}", file.display()),
        ),
    ]
}

/// Serves the repositories under `base`; returns the server, the base URL and the
/// git-credentials line that opens it.
fn serve_private_repositories(base: &Path) -> (GitServer, String, String) {
    let out = run(
        base,
        "docker",
        &[
            "network",
            "inspect",
            "bridge",
            "-f",
            "{{(index .IPAM.Config 0).Gateway}}",
        ],
        &[],
    );
    let gateway = text(&out).trim().to_string();
    let port = free_port().to_string();
    let token = format!("e2e-token-{}", std::process::id());
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/integration/e2e/git_http_server.py"
    );
    let server = Command::new("python3")
        .args([
            script,
            base.to_str().unwrap(),
            &gateway,
            &port,
            "builder",
            &token,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 git_http_server.py");
    let server = GitServer(server);
    let url = format!("http://{gateway}:{port}");
    let credentials = format!("http://builder:{token}@{gateway}:{port}");
    let authed = format!("{credentials}/greeting");
    for _ in 0..50 {
        let listed = Command::new("git")
            .args(["ls-remote", &authed])
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .is_ok_and(|o| o.status.success());
        if listed {
            return (server, url, credentials);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("the git server does not answer at {url}");
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn private_git_dependency_builds_with_the_credentials_secret_only() {
    if !enabled("private_git_dependency_builds_with_the_credentials_secret_only") {
        return;
    }
    // The dependency: a repository behind basic authentication (no forge is reachable).
    let upstream = Fixture::new("gitdep-greeting");
    let repo = upstream.path().join("greeting");
    std::fs::create_dir(&repo).unwrap();
    for entry in ["Cargo.toml", "src"] {
        std::fs::rename(upstream.file(entry), repo.join(entry)).unwrap();
    }
    commit_all(&repo, "greeting");
    let (_server, base_url, credentials) = serve_private_repositories(upstream.path());
    let token = credentials
        .split(':')
        .nth(2)
        .and_then(|t| t.split('@').next())
        .unwrap()
        .to_string();

    // Cargo.lock is made on the host with the same credentials, from a git-credentials file.
    let fx = Fixture::new("gitdep");
    let url = format!("{base_url}/greeting");
    let manifest = fx.read("Cargo.toml.in").replace("@GREETING_GIT_URL@", &url);
    std::fs::remove_file(fx.file("Cargo.toml.in")).unwrap();
    fx.write("Cargo.toml", &manifest);
    let credentials_file = upstream.path().join("git-credentials");
    std::fs::write(&credentials_file, format!("{credentials}\n")).unwrap();
    let mut host_env = credential_env(&credentials_file);
    host_env.push(("CARGO_NET_GIT_FETCH_WITH_CLI", "true".into()));
    run(fx.path(), "cargo", &["generate-lockfile"], &host_env);

    let mut cleanup = cleanup_for(&fx);
    let dockerfile = init(&fx);
    assert!(dockerfile.contains("CARGO_NET_GIT_FETCH_WITH_CLI=true"));
    assert!(dockerfile.contains("--no-install-recommends git"));
    assert!(dockerfile.contains("--mount=type=secret,id=git-credentials,mode=0444"));
    assert!(
        fx.read("README.Docker.md")
            .contains("## Private dependencies")
    );

    // Without the secret the repository refuses the build.
    let image = format!("e2e-gitdep-{}:e2e", std::process::id());
    cleanup.images.push(image.clone());
    let refusal = build_refused(fx.path(), "production", &image);
    assert!(
        refusal.contains("could not read Username") || refusal.contains("Authentication failed"),
        "the build failed for another reason:\n{refusal}"
    );

    // With it the build fetches the dependency, and no layer keeps the token.
    let (_, took) = build_with(
        fx.path(),
        "production",
        &image,
        &["--secret", "id=git-credentials,env=GIT_CREDENTIALS"],
        &[("GIT_CREDENTIALS", credentials)],
    );
    eprintln!("private git dependency production build: {took:.1?}");
    let history = run(fx.path(), "docker", &["history", "--no-trunc", &image], &[]);
    let config = run(fx.path(), "docker", &["inspect", &image], &[]);
    assert!(!text(&history).contains(&token) && !text(&config).contains(&token));

    let name = format!("e2e-gitdep-{}", std::process::id());
    serve(
        &fx,
        &mut cleanup,
        &image,
        &name,
        3000,
        "hello from a git dependency",
    );
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn mold_build_script_tools_and_a_private_registry_build_and_run() {
    if !enabled("mold_build_script_tools_and_a_private_registry_build_and_run") {
        return;
    }
    // A repository, so the build script's `git rev-parse` has a commit to name.
    let fx = Fixture::committed("realworld");
    let sha = git(fx.path(), &["rev-parse", "--short", "HEAD"])
        .trim()
        .to_string();
    let dockerfile = init(&fx);
    assert!(dockerfile.contains("--no-install-recommends clang git mold protobuf-compiler"));
    assert!(
        !fx.read(".dockerignore")
            .lines()
            .any(|l| l.trim() == ".git/")
    );
    assert!(dockerfile.contains("--mount=type=secret,id=cargo-registry-acme,mode=0444"));
    for file in ["compose.yaml", "compose.override.yaml"] {
        run(
            fx.path(),
            "check-jsonschema",
            &["--builtin-schema", "vendor.compose-spec", file],
            &[],
        );
    }
    run(
        fx.path(),
        "check-jsonschema",
        &[
            "--builtin-schema",
            "vendor.github-workflows",
            ".github/workflows/docker.yml",
        ],
        &[],
    );
    // Compose reads the registry token from the environment, as the build secret.
    let token = [("CARGO_REGISTRIES_ACME_TOKEN", "e2e-token".to_string())];
    let dev = text(&run(fx.path(), "docker", &["compose", "config"], &token));
    assert!(dev.contains("cargo-registry-acme"), "{dev}");
    // The Makefile passes the secret only when the variable is set.
    let with = text(&run(fx.path(), "make", &["-n", "build"], &token));
    assert!(
        with.contains("--secret id=cargo-registry-acme,env=CARGO_REGISTRIES_ACME_TOKEN"),
        "{with}"
    );
    let without = text(&run(fx.path(), "make", &["-n", "build"], &[]));
    assert!(!without.contains("--secret"), "{without}");

    // The build links with mold, runs git and protoc from the build script, and mounts
    // the registry's secret (absent here, which the build tolerates).
    let mut cleanup = cleanup_for(&fx);
    let image = format!("e2e-realworld-{}:e2e", std::process::id());
    cleanup.images.push(image.clone());
    let (_, took) = build(fx.path(), "production", &image);
    eprintln!("realworld production build: {took:.1?}");
    let notes = comment_notes(fx.path(), &image, "/usr/local/bin/realworld");
    assert!(notes.iter().any(|n| n.starts_with("mold ")), "{notes:?}");
    // It prints the commit its build script read and the size of config/app.toml, read
    // from the working directory.
    let out = run(
        fx.path(),
        "docker",
        &["run", "--rm", "--read-only", "--cap-drop", "ALL", &image],
        &[],
    );
    let printed = text(&out);
    let config_len = fx.read("config/app.toml").len();
    assert_eq!(printed.trim(), format!("{sha} {config_len}"));
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn vendored_sources_build_with_cargo_offline() {
    if !enabled("vendored_sources_build_with_cargo_offline") {
        return;
    }
    let fx = Fixture::new("settings");
    // Its own name: the build's target/ cache is per project, and this one's dependency
    // comes from another source than the settings test's.
    for file in ["Cargo.toml", "Cargo.lock"] {
        let text = fx
            .read(file)
            .replace("name = \"settings\"", "name = \"vendored\"");
        fx.write(file, &text);
    }
    // `cargo vendor` writes the dependency sources and prints the source replacement;
    // `net.offline` makes any cargo call in the image that reaches for the network fail.
    let vendored = run(fx.path(), "cargo", &["vendor", "--locked", "vendor"], &[]);
    std::fs::create_dir(fx.file(".cargo")).unwrap();
    fx.write(
        ".cargo/config.toml",
        &format!(
            "{}\n[net]\noffline = true\n",
            String::from_utf8_lossy(&vendored.stdout)
        ),
    );
    assert!(
        fx.read(".cargo/config.toml")
            .contains("directory = \"vendor\"")
    );
    let mut cleanup = cleanup_for(&fx);
    let dockerfile = init(&fx);
    let copy = dockerfile
        .find("COPY vendor vendor")
        .expect("vendor is copied in");
    assert!(copy < dockerfile.find("cargo chef cook --release").unwrap());

    let image = format!("e2e-vendored-{}:e2e", std::process::id());
    cleanup.images.push(image.clone());
    let (log, took) = build(fx.path(), "production", &image);
    eprintln!("vendored production build, cargo offline: {took:.1?}");
    // With `net.offline`, cargo fails rather than fetch; nothing reached for an index.
    assert!(!log.contains("Updating crates.io index"), "{log}");
    let name = format!("e2e-vendored-{}", std::process::id());
    serve(
        &fx,
        &mut cleanup,
        &image,
        &name,
        3000,
        "settings from config/app.toml",
    );
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn checked_sqlx_queries_without_offline_data_stop_the_build_at_the_planner() {
    if !enabled("checked_sqlx_queries_without_offline_data_stop_the_build_at_the_planner") {
        return;
    }
    let fx = Fixture::ledger_with_checked_query();
    let _ = init(&fx);
    let mut cleanup = cleanup_for(&fx);
    let image = format!("e2e-sqlx-check-{}:planner", std::process::id());
    cleanup.images.push(image.clone());

    // No offline data: the planner stops with the fix, before any dependency compiles.
    let log = build_refused(fx.path(), "planner", &image);
    assert!(
        log.contains("sqlx query macros need offline data: run 'cargo sqlx prepare --workspace'"),
        "{log}"
    );
    assert!(!log.contains("Compiling"), "{log}");

    // With `.sqlx/` where `cargo sqlx prepare` puts it, the same Dockerfile goes on.
    std::fs::create_dir(fx.file("crates/api/.sqlx")).unwrap();
    fx.write("crates/api/.sqlx/query-0.json", "{}");
    build(fx.path(), "planner", &image);
}
