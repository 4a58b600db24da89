//! End-to-end: the generated files built, run and linted by the real tools (Docker engine,
//! Compose, hadolint, check-jsonschema, shellcheck). Runs when `DOCKERIZE_E2E=1` (set by
//! `.ci/run` after `scripts/e2e-env.sh`); without it each test prints why it skips.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::Fixture;

mod kubernetes;
mod platforms;
mod presets;
mod roles;
mod shapes;
mod swarm;

/// Checks that an end-to-end test asked for (they are `#[ignore]`d, with the reason, unless
/// run with `--ignored`) has what it needs: `DOCKERIZE_E2E=1` and an engine; never skips.
fn enabled(test: &str) -> bool {
    assert_eq!(
        std::env::var("DOCKERIZE_E2E").as_deref(),
        Ok("1"),
        "{test} needs a Docker engine: run scripts/e2e-env.sh, then DOCKERIZE_E2E=1 cargo test -- --ignored"
    );
    let info = Command::new("docker").arg("info").output();
    assert!(
        info.is_ok_and(|o| o.status.success()),
        "DOCKERIZE_E2E=1 but `docker info` fails: run scripts/e2e-env.sh"
    );
    true
}

/// Runs a command in `dir`, panicking with its output when it fails.
fn run(dir: &Path, program: &str, args: &[&str], env: &[(&str, String)]) -> Output {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("{program}: {e}"));
    if !out.status.success() {
        panic!(
            "`{program} {}` failed ({}):\n{}\n{}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            tail(&String::from_utf8_lossy(&out.stderr), 80)
        );
    }
    out
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn tail(s: &str, lines: usize) -> String {
    let all: Vec<&str> = s.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A plain HTTP GET; the body, or `None` when nothing answers.
fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(2)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    head.starts_with("HTTP/1.1 200").then(|| body.to_string())
}

/// Polls until GET `path` answers with a body containing `want`; returns how long it took.
fn wait_for(
    port: u16,
    path: &str,
    want: &str,
    limit: Duration,
    logs: impl Fn() -> String,
) -> Duration {
    let start = Instant::now();
    let mut last = None;
    while start.elapsed() < limit {
        last = http_get(port, path);
        if last.as_deref().is_some_and(|b| b.contains(want)) {
            return start.elapsed();
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    panic!(
        "no `{want}` from :{port}{path} within {limit:?} (last answer: {last:?})\n{}",
        tail(&logs(), 60)
    );
}

fn inspect(target: &str, format: &str) -> String {
    let out = run(
        Path::new("."),
        "docker",
        &["inspect", "-f", format, target],
        &[],
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `docker run -d` hardened as in production (read-only, no capabilities), with `args` before the image.
fn run_hardened(dir: &Path, name: &str, image: &str, args: &[&str]) {
    let mut all = vec![
        "run",
        "-d",
        "--name",
        name,
        "--read-only",
        "--cap-drop",
        "ALL",
    ];
    all.extend_from_slice(args);
    all.push(image);
    run(dir, "docker", &all, &[]);
}

/// The logs of a container, for failure messages.
fn container_logs(name: String) -> impl Fn() -> String {
    move || {
        text(
            &Command::new("docker")
                .args(["logs", &name])
                .output()
                .unwrap(),
        )
    }
}

/// `docker build` of one target with plain progress output.
fn build(dir: &Path, target: &str, tag: &str) -> (String, Duration) {
    build_with(dir, target, tag, &[], &[])
}

/// `docker build --progress=plain --target <target> -t <tag> <extra> .`
fn build_args<'a>(target: &'a str, tag: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["build", "--progress=plain", "--target", target, "-t", tag];
    args.extend_from_slice(extra);
    args.push(".");
    args
}

/// `build` with more `docker build` arguments and environment.
fn build_with(
    dir: &Path,
    target: &str,
    tag: &str,
    extra: &[&str],
    env: &[(&str, String)],
) -> (String, Duration) {
    let start = Instant::now();
    let out = run(dir, "docker", &build_args(target, tag, extra), env);
    (text(&out), start.elapsed())
}

/// A build that must fail: its log, after asserting that it failed.
fn build_refused(dir: &Path, target: &str, tag: &str) -> String {
    let out = Command::new("docker")
        .current_dir(dir)
        .args(build_args(target, tag, &[]))
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !out.status.success(),
        "`docker build --target {target}` succeeded:\n{log}"
    );
    log
}

/// The plain-progress id (`#17`) of the build step running `needle`.
fn step_id<'a>(log: &'a str, needle: &str) -> Option<&'a str> {
    log.lines()
        .find(|l| l.contains(needle) && l.starts_with('#'))
        .and_then(|l| l.split_whitespace().next())
}

/// The plain-progress lines of the build step running `needle`.
fn step_log(log: &str, needle: &str) -> String {
    let Some(id) = step_id(log, needle) else {
        return String::new();
    };
    log.lines()
        .filter(|l| l.split_whitespace().next() == Some(id))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether the build step running `needle` was taken from the cache.
fn step_cached(log: &str, needle: &str) -> bool {
    step_id(log, needle).is_some_and(|id| log.lines().any(|l| l.trim() == format!("{id} CACHED")))
}

/// The crates a build step compiled, from its plain-progress lines (`Compiling axum v0.8.9`).
fn compiled(log: &str, needle: &str) -> Vec<String> {
    step_log(log, needle)
        .lines()
        .filter_map(|l| l.split_once("Compiling ").map(|(_, c)| c))
        .filter_map(|c| c.split_whitespace().next().map(str::to_string))
        .collect()
}

/// The bytes of `binary` in `image`.
fn binary_from_image(dir: &Path, image: &str, binary: &str) -> Vec<u8> {
    let local = dir.join("binary-from-image");
    let created = run(dir, "docker", &["create", image], &[]);
    let id = text(&created).trim().to_string();
    let source = format!("{id}:{binary}");
    run(
        dir,
        "docker",
        &["cp", &source, local.to_str().unwrap()],
        &[],
    );
    run(dir, "docker", &["rm", &id], &[]);
    std::fs::read(&local).unwrap()
}

/// The section names of a 64-bit little-endian ELF file (what `readelf -S` lists).
fn elf_sections(elf: &[u8]) -> Vec<String> {
    assert_eq!(
        &elf[..6],
        b"\x7fELF\x02\x01",
        "not a 64-bit little-endian ELF file"
    );
    let u16_at = |at: usize| u16::from_le_bytes(elf[at..at + 2].try_into().unwrap()) as usize;
    let u64_at = |at: usize| u64::from_le_bytes(elf[at..at + 8].try_into().unwrap()) as usize;
    let (table, size, count, names) = (u64_at(0x28), u16_at(0x3a), u16_at(0x3c), u16_at(0x3e));
    let names_at = u64_at(table + names * size + 0x18);
    (0..count)
        .map(|i| {
            let start = names_at
                + u32::from_le_bytes(elf[table + i * size..][..4].try_into().unwrap()) as usize;
            let end = start + elf[start..].iter().position(|b| *b == 0).unwrap();
            String::from_utf8_lossy(&elf[start..end]).into_owned()
        })
        .collect()
}

/// `init --yes` without the `# syntax` line (no registry here for the frontend image), with
/// hadolint clean on the Dockerfile; returns what it printed.
fn init_printing(fx: &Fixture) -> String {
    init_printing_with(fx, &[])
}

/// As `init_printing`, with more flags.
fn init_printing_with(fx: &Fixture, flags: &[&str]) -> String {
    let mut args = vec!["init", "--yes", "--no-git", "--no-dockerfile-syntax"];
    args.extend(flags);
    let out = fx.cmd(&args).output().unwrap();
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    let hadolint = run(fx.path(), "hadolint", &["Dockerfile"], &[]);
    assert_eq!(text(&hadolint).trim(), "", "hadolint reported something");
    printed
}

/// Nothing to remove yet, in the fixture's folder.
fn cleanup_for(fx: &Fixture) -> Cleanup {
    Cleanup {
        dir: fx.path().to_path_buf(),
        projects: vec![],
        containers: vec![],
        images: vec![],
    }
}

/// Removes what a test started, whatever happens.
struct Cleanup {
    dir: std::path::PathBuf,
    projects: Vec<(String, Vec<String>)>,
    containers: Vec<String>,
    images: Vec<String>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        for name in &self.containers {
            let _ = Command::new("docker")
                .args(["rm", "-f", name])
                .stderr(Stdio::null())
                .output();
        }
        for (project, files) in &self.projects {
            let mut args = vec!["compose".to_string(), "-p".into(), project.clone()];
            for f in files {
                args.push("-f".into());
                args.push(f.clone());
            }
            args.extend(["down".into(), "-v".into(), "--remove-orphans".into()]);
            let _ = Command::new("docker")
                .args(&args)
                .current_dir(&self.dir)
                .env("GIT_SHA", "cleanup")
                .output();
        }
        for image in &self.images {
            let _ = Command::new("docker").args(["rmi", "-f", image]).output();
        }
    }
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn shop_builds_runs_reloads_and_deploys() {
    if !enabled("shop_builds_runs_reloads_and_deploys") {
        return;
    }
    let fx = Fixture::new("shop");
    let dir = fx.path().to_path_buf();
    let project = format!("e2e-shop-{}", std::process::id());
    let registry = "e2e.local/shop";
    let sha = format!("e2e{}", std::process::id());
    let mut cleanup = Cleanup {
        dir: dir.clone(),
        projects: vec![
            (project.clone(), vec![]),
            (
                format!("{project}-prod"),
                vec!["compose.yaml".into(), "compose.prod.yaml".into()],
            ),
        ],
        containers: vec![],
        images: vec![],
    };

    // a. Generate. No registry is reachable here, so the `# syntax` line (which pulls the
    // Dockerfile frontend image) is turned off with its answer.
    fx.cmd(&["init", "--yes", "--no-git", "--no-dockerfile-syntax"])
        .assert()
        .success();

    // h. Linters and schemas.
    let hadolint = run(&dir, "hadolint", &["Dockerfile"], &[]);
    assert_eq!(text(&hadolint).trim(), "", "hadolint reported something");
    for file in ["compose.yaml", "compose.override.yaml", "compose.prod.yaml"] {
        run(
            &dir,
            "check-jsonschema",
            &["--builtin-schema", "vendor.compose-spec", file],
            &[],
        );
    }
    run(
        &dir,
        "check-jsonschema",
        &[
            "--builtin-schema",
            "vendor.github-workflows",
            ".github/workflows/docker.yml",
        ],
        &[],
    );
    run(&dir, "sh", &["-n", "docker/entrypoint.sh"], &[]);
    run(&dir, "shellcheck", &["docker/entrypoint.sh"], &[]);

    // b. Production image: builds, runs as 65532 read-only with no capabilities, answers.
    let prod_tag = format!("{registry}/shop:{sha}");
    let worker_tag = format!("{registry}/worker:{sha}");
    // `make build` tags the worker under its image name, `<project>-<bin>`.
    cleanup.images.extend([
        prod_tag.clone(),
        worker_tag.clone(),
        format!("{registry}/shop-worker:{sha}"),
    ]);
    let (log, cold) = build(&dir, "production", &prod_tag);
    eprintln!("production build (cold or from the machine's cache): {cold:.1?}");
    // `cargo auditable build` wraps rustc for the workspace's crates only: the dependencies
    // cook compiled are reused, not compiled again.
    let auditable = "cargo auditable build --release";
    let rebuilt = compiled(&log, auditable);
    assert!(
        rebuilt.iter().all(|c| c == "shop"),
        "the build step compiled dependencies again: {rebuilt:?}\n{}",
        step_log(&log, auditable)
    );
    build(&dir, "production-worker", &worker_tag);
    let port = free_port();
    let name = format!("{project}-prod-run");
    cleanup.containers.push(name.clone());
    // The shop reads PORT, with a default passed in as an argument: the image sets PORT to
    // the port it exposes, and the app listens there.
    let exposed = inspect(
        &prod_tag,
        "{{range $p, $_ := .Config.ExposedPorts}}{{$p}}{{end}}",
    );
    let app_port = exposed.trim_end_matches("/tcp").to_string();
    assert!(
        inspect(&prod_tag, "{{json .Config.Env}}").contains(&format!("PORT={app_port}")),
        "{exposed}"
    );
    run_hardened(
        &dir,
        &name,
        &prod_tag,
        &["-p", &format!("127.0.0.1:{port}:{app_port}")],
    );
    wait_for(
        port,
        "/",
        "shop v1",
        Duration::from_secs(30),
        container_logs(name.clone()),
    );
    assert_eq!(inspect(&prod_tag, "{{.Config.User}}"), "65532:65532");
    let pid = inspect(&name, "{{.State.Pid}}");
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let uid_line = status
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .unwrap()
        .to_string();
    assert!(
        uid_line.split_whitespace().skip(1).all(|u| u == "65532"),
        "{uid_line}"
    );
    // The image's filesystem: the binary, no shell, no cargo, no source.
    let export = Command::new("sh")
        .args(["-c", &format!("docker export {name} | tar -t")])
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&export.stdout).to_string();
    assert!(
        listing.lines().any(|l| l == "usr/local/bin/shop"),
        "binary missing"
    );
    for forbidden in ["bin/sh", "usr/bin/sh", "bin/bash", "busybox/sh"] {
        assert!(
            !listing.lines().any(|l| l == forbidden),
            "{forbidden} in the production image"
        );
    }
    assert!(
        !listing
            .lines()
            .any(|l| l.ends_with("/cargo") || l.ends_with("/rustc")),
        "toolchain in the image"
    );
    assert!(
        !listing
            .lines()
            // /app is the (empty) working directory; no source lands in it.
            .any(|l| l.ends_with(".rs") || (l.starts_with("app/") && l != "app/")),
        "source in the image"
    );
    run(&dir, "docker", &["rm", "-f", &name], &[]);
    // The binary carries its crate list for scanners (cargo auditable's section).
    let binary = binary_from_image(&dir, &prod_tag, "/usr/local/bin/shop");
    std::fs::remove_file(dir.join("binary-from-image")).unwrap();
    let sections = elf_sections(&binary);
    assert!(
        sections.iter().any(|s| s == ".dep-v0"),
        "no .dep-v0 section: {sections:?}"
    );

    // f. One source file touched: the dependency layer (cook) comes from the cache.
    let main_rs = fx.file("src/main.rs");
    let mut source = std::fs::read_to_string(&main_rs).unwrap();
    // Unique per run: BuildKit's cache outlives a run and would recognise a repeated edit.
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    source.push_str(&format!("\n// touched {stamp}\n"));
    std::fs::write(&main_rs, &source).unwrap();
    let (log, warm) = build(&dir, "production", &prod_tag);
    assert!(
        step_cached(&log, "cargo chef cook --release"),
        "the cook step was rebuilt after a source change:\n{}",
        tail(&log, 60)
    );
    assert!(
        !step_cached(&log, auditable),
        "the build step should have run"
    );
    assert_eq!(
        compiled(&log, auditable),
        ["shop"],
        "{}",
        step_log(&log, auditable)
    );
    eprintln!("production rebuild after touching src/main.rs (cook CACHED): {warm:.1?}");

    // c. Development: plain `docker compose up`, the app answers, then hot reload.
    let (shop_port, worker_port, pg_port) = (free_port(), free_port(), free_port());
    let dev_env = vec![
        ("COMPOSE_PROJECT_NAME", project.clone()),
        ("SHOP_PORT", shop_port.to_string()),
        ("WORKER_PORT", worker_port.to_string()),
        ("POSTGRES_PORT", pg_port.to_string()),
    ];
    // The first `up` on a machine without the development image: one service carries
    // `build:`, so the image is built once and both binaries start from it.
    let _ = Command::new("docker")
        .args(["rmi", "-f", "shop-development:local"])
        .output();
    let start = Instant::now();
    run(&dir, "docker", &["compose", "up", "-d"], &dev_env);
    eprintln!(
        "docker compose up with no development image: {:.1?}",
        start.elapsed()
    );
    let compose_logs = {
        let dir = dir.clone();
        let env = dev_env.clone();
        move || {
            let mut cmd = Command::new("docker");
            cmd.current_dir(&dir)
                .args(["compose", "logs", "--no-color"]);
            for (k, v) in &env {
                cmd.env(k, v);
            }
            text(&cmd.output().unwrap())
        }
    };
    wait_for(
        shop_port,
        "/",
        "shop v1",
        Duration::from_secs(600),
        &compose_logs,
    );
    eprintln!(
        "development app answering {:.1?} after `docker compose up`",
        start.elapsed()
    );

    // e. Postgres was healthy before the app started, and the app reaches it with the dev profile.
    let pg = format!("{project}-postgres-1");
    let app = format!("{project}-shop-1");
    assert_eq!(inspect(&pg, "{{.State.Health.Status}}"), "healthy");
    let pg_started = inspect(&pg, "{{.State.StartedAt}}");
    let app_started = inspect(&app, "{{.State.StartedAt}}");
    assert!(
        app_started > pg_started,
        "app started {app_started}, postgres {pg_started}"
    );
    wait_for(
        shop_port,
        "/db",
        "db ok 1",
        Duration::from_secs(60),
        &compose_logs,
    );
    wait_for(
        worker_port,
        "/",
        "worker ok",
        Duration::from_secs(600),
        &compose_logs,
    );

    // A second developer with another uid uses the same image, no rebuild: the cooked
    // target/ and the registry on the shared volumes are writable for any uid.
    let other_uid = run(
        &dir,
        "docker",
        &[
            "compose",
            "run",
            "--rm",
            "--no-deps",
            "--user",
            "4321:4321",
            "shop",
            "sh",
            "-c",
            "touch target/written-by-4321 /usr/local/cargo/registry/written-by-4321 && id -u",
        ],
        &dev_env,
    );
    assert_eq!(String::from_utf8_lossy(&other_uid.stdout).trim(), "4321");

    let edit = Instant::now();
    std::fs::write(&main_rs, source.replace("shop v1", "shop v2")).unwrap();
    let reload = wait_for(
        shop_port,
        "/",
        "shop v2",
        Duration::from_secs(300),
        &compose_logs,
    );
    eprintln!(
        "hot reload: source edit to new answer in {reload:.1?} ({:.1?} wall)",
        edit.elapsed()
    );

    // g. `make prod-local`: the production image against the development services.
    let local_port = free_port();
    let mut make_env = dev_env.clone();
    make_env.extend([
        ("SHOP_PORT", local_port.to_string()),
        ("REGISTRY", registry.to_string()),
        ("GIT_SHA", sha.clone()),
    ]);
    let local_name = format!("{project}-prod-local");
    cleanup.containers.push(local_name.clone());
    let mut make = Command::new("make");
    make.current_dir(&dir)
        .arg("prod-local")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in &make_env {
        make.env(k, v);
    }
    let mut make = make.spawn().unwrap();
    wait_for(
        local_port,
        "/db",
        "db ok 1",
        Duration::from_secs(600),
        container_logs(local_name.clone()),
    );
    run(&dir, "docker", &["stop", &local_name], &[]);
    let _ = make.wait();

    // d. Production compose: no build, no backing service, only the app ports; hardened.
    std::fs::copy(
        fx.file("docker/env/prod.env.sh.example"),
        fx.file("docker/env/prod.env.sh"),
    )
    .unwrap();
    let (p_shop, p_worker) = (free_port(), free_port());
    let prod_env = vec![
        ("REGISTRY", registry.to_string()),
        ("GIT_SHA", sha.clone()),
        ("SHOP_PORT", p_shop.to_string()),
        ("WORKER_PORT", p_worker.to_string()),
    ];
    let prod_project = format!("{project}-prod");
    let prod_files = [
        "compose",
        "-p",
        &prod_project,
        "-f",
        "compose.yaml",
        "-f",
        "compose.prod.yaml",
    ];
    let config = text(&run(
        &dir,
        "docker",
        &[&prod_files[..], &["config"]].concat(),
        &prod_env,
    ));
    assert!(!config.contains("build:"), "{config}");
    assert!(!config.contains("postgres:"), "{config}");
    assert_eq!(
        config.matches("published:").count(),
        2,
        "only the two app ports:\n{config}"
    );
    run(
        &dir,
        "docker",
        &[&prod_files[..], &["up", "-d"]].concat(),
        &prod_env,
    );
    let prod_app = format!("{prod_project}-shop-1");
    wait_for(
        p_shop,
        "/",
        "shop v2",
        Duration::from_secs(60),
        container_logs(prod_app.clone()),
    );
    assert_eq!(inspect(&prod_app, "{{.HostConfig.ReadonlyRootfs}}"), "true");
    assert_eq!(inspect(&prod_app, "{{.HostConfig.CapDrop}}"), "[ALL]");
    assert_eq!(inspect(&prod_app, "{{.HostConfig.Init}}"), "true");
    assert_eq!(inspect(&prod_app, "{{.Config.User}}"), "65532:65532");
    assert_ne!(inspect(&prod_app, "{{.HostConfig.Memory}}"), "0");
    assert_ne!(inspect(&prod_app, "{{.HostConfig.NanoCpus}}"), "0");
    let stop = Instant::now();
    run(&dir, "docker", &["stop", "-t", "10", &prod_app], &[]);
    let stopped = stop.elapsed();
    eprintln!("docker stop of the production app: {stopped:.1?} (timeout 10 s)");
    assert!(
        stopped < Duration::from_secs(5),
        "SIGTERM did not stop the app: {stopped:?}"
    );
    assert_eq!(
        inspect(&prod_app, "{{.State.ExitCode}}"),
        "0",
        "graceful exit on SIGTERM"
    );
    run(
        &dir,
        "docker",
        &[&prod_files[..], &["down"]].concat(),
        &prod_env,
    );

    // prod-services = "bundled": a hardened Postgres next to the app, no published port.
    // Its password, with a `$` Compose would expand in an env file, comes from a secret
    // file; the app has it percent-encoded in DATABASE_URL in the prod profile.
    let bundled_start = Instant::now();
    fx.cmd(&["init", "--yes", "--no-git", "--prod-services", "bundled"])
        .assert()
        .success();
    let password = "e2e$ecret";
    std::fs::create_dir_all(fx.file("docker/env/secrets")).unwrap();
    let secret_file = fx.file("docker/env/secrets/postgres-password");
    std::fs::write(&secret_file, password).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&secret_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let profile = fx
        .read("docker/env/prod.env.sh.example")
        .replace("app:PASSWORD@", "app:e2e%24ecret@");
    assert!(!profile.contains("POSTGRES_PASSWORD"), "{profile}");
    std::fs::write(fx.file("docker/env/prod.env.sh"), profile).unwrap();
    let config = text(&run(
        &dir,
        "docker",
        &[&prod_files[..], &["config"]].concat(),
        &prod_env,
    ));
    assert!(config.contains("postgres:"), "{config}");
    assert_eq!(
        config.matches("published:").count(),
        2,
        "backing services stay unpublished:\n{config}"
    );
    run(
        &dir,
        "docker",
        &[&prod_files[..], &["up", "-d", "--wait"]].concat(),
        &prod_env,
    );
    wait_for(
        p_shop,
        "/db",
        "db ok 1",
        Duration::from_secs(60),
        container_logs(prod_app.clone()),
    );
    let bundled_pg = format!("{prod_project}-postgres-1");
    assert_eq!(
        inspect(&bundled_pg, "{{.HostConfig.RestartPolicy.Name}}"),
        "unless-stopped"
    );
    // Each container has only its own settings: the app the profile, Postgres its file.
    let pg_env = inspect(&bundled_pg, "{{json .Config.Env}}");
    assert!(
        pg_env.contains("POSTGRES_PASSWORD_FILE=/run/secrets/postgres-password")
            && !pg_env.contains("DATABASE_URL")
            && !pg_env.contains("RUST_LOG")
            && !pg_env.contains(password),
        "{pg_env}"
    );
    assert!(
        inspect(&prod_app, "{{json .Config.Env}}")
            .contains("DATABASE_URL=postgres://app:e2e%24ecret@postgres:5432/shop")
    );
    // The password is the file's, `$` included: what Compose would have made of it in an
    // env file (`$ecret` expanded to nothing) is refused over TCP.
    let psql = |pw: &str| {
        Command::new("docker")
            .args(["exec", "-e", &format!("PGPASSWORD={pw}"), &bundled_pg])
            .args([
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "app",
                "-d",
                "shop",
                "-tAc",
                "SELECT 1",
            ])
            .output()
            .unwrap()
    };
    assert!(psql(password).status.success(), "{}", text(&psql(password)));
    assert!(!psql("e2e").status.success());
    eprintln!(
        "bundled production with a secret file: {:.1?}",
        bundled_start.elapsed()
    );
}

/// A virtual workspace: sqlx over rustls against Postgres, and a binary linking OpenSSL
/// (native-tls), whose build packages and runtime library come from detection.
#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn ledger_links_openssl_and_reaches_postgres_through_sqlx() {
    if !enabled("ledger_links_openssl_and_reaches_postgres_through_sqlx") {
        return;
    }
    let fx = Fixture::new("ledger");
    let dir = fx.path().to_path_buf();
    let project = format!("e2e-ledger-{}", std::process::id());
    let mut cleanup = Cleanup {
        dir: dir.clone(),
        projects: vec![(project.clone(), vec![])],
        containers: vec![],
        images: vec![],
    };
    fx.cmd(&["init", "--yes", "--no-git", "--no-dockerfile-syntax"])
        .assert()
        .success();
    let dockerfile = fx.read("Dockerfile");
    assert!(
        dockerfile.contains("libssl-dev"),
        "openssl-sys needs its headers in the builder"
    );
    assert!(dockerfile.contains("ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian13:nonroot"));
    assert!(dockerfile.contains("FROM runtime AS production-ledger-notify"));
    assert!(
        fx.read("compose.override.yaml")
            .contains("image: postgres:17")
    );
    let hadolint = run(&dir, "hadolint", &["Dockerfile"], &[]);
    assert_eq!(text(&hadolint).trim(), "", "hadolint reported something");

    let api = format!("{project}/ledger-api:e2e");
    let notify = format!("{project}/ledger-notify:e2e");
    cleanup.images.extend([api.clone(), notify.clone()]);
    let (_, took) = build(&dir, "production", &api);
    eprintln!("ledger production build: {took:.1?}");
    build(&dir, "production-ledger-notify", &notify);

    // The API against the development Postgres, over the compose network, with the dev profile.
    let env = vec![
        ("COMPOSE_PROJECT_NAME", project.clone()),
        ("POSTGRES_PORT", free_port().to_string()),
    ];
    run(
        &dir,
        "docker",
        &["compose", "up", "-d", "--wait", "postgres"],
        &env,
    );
    let (api_port, notify_port) = (free_port(), free_port());
    let api_name = format!("{project}-api");
    let notify_name = format!("{project}-notify");
    cleanup
        .containers
        .extend([api_name.clone(), notify_name.clone()]);
    let network = format!("{project}_default");
    let dev_profile = ["--network", &network, "--env-file", "docker/env/dev.env.sh"];
    let published = format!("127.0.0.1:{api_port}:8080");
    run_hardened(
        &dir,
        &api_name,
        &api,
        &[&dev_profile[..], &["-p", &published]].concat(),
    );
    wait_for(
        api_port,
        "/db",
        "db ok 42",
        Duration::from_secs(60),
        container_logs(api_name.clone()),
    );

    // Migrations: the `migrate` image (sqlx-cli on the runtime image) as a one-shot against
    // the same database, then the table they create answers.
    let migrate = format!("{project}/migrate:e2e");
    cleanup.images.push(migrate.clone());
    build(&dir, "migrate", &migrate);
    let one_shot = [
        &["run", "--rm", "--read-only", "--cap-drop", "ALL"][..],
        &dev_profile,
        &[&migrate],
    ];
    let out = run(&dir, "docker", &one_shot.concat(), &[]);
    assert!(
        text(&out).contains("Applied 20260101000000"),
        "{}",
        text(&out)
    );
    wait_for(
        api_port,
        "/accounts",
        "accounts 2",
        Duration::from_secs(30),
        container_logs(api_name.clone()),
    );
    let prod = fx.read("compose.prod.yaml");
    assert!(
        prod.contains("  migrate:\n") && prod.contains("profiles: [\"migrate\"]"),
        "{prod}"
    );

    // The notifier loads libssl from distroless cc at run time.
    let published = format!("127.0.0.1:{notify_port}:8081");
    run_hardened(&dir, &notify_name, &notify, &["-p", &published]);
    wait_for(
        notify_port,
        "/",
        "tls ok",
        Duration::from_secs(30),
        container_logs(notify_name.clone()),
    );
    assert_eq!(inspect(&notify, "{{.Config.User}}"), "65532:65532");
}

/// Every known service, in development and bundled in production. Only Postgres and Redis
/// have stand-in images here (no registry; MongoDB, Kafka, SeaweedFS and Mailpit are not in
/// Debian), so these files are checked by `docker compose config` and the Compose schema only.
#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn services_without_debian_images_pass_compose_config_and_schema_only() {
    if !enabled("services_without_debian_images_pass_compose_config_and_schema_only") {
        return;
    }
    for s3_server in ["seaweedfs", "rustfs"] {
        every_service_with(s3_server);
    }
}

fn every_service_with(s3_server: &str) {
    let fx = Fixture::every_service_bundled(s3_server);
    let dir = fx.path().to_path_buf();
    // A marker in the app's profile: only the app may receive it (Compose inlines
    // env_file values into `environment` in `config`).
    let profile = fx.read("docker/env/prod.env.sh.example").replace(
        "\nRUST_LOG=info\n",
        "\nRUST_LOG=info\nPROFILE_MARKER=app-only\n",
    );
    std::fs::write(fx.file("docker/env/prod.env.sh"), profile).unwrap();
    for file in ["compose.yaml", "compose.override.yaml", "compose.prod.yaml"] {
        run(
            &dir,
            "check-jsonschema",
            &["--builtin-schema", "vendor.compose-spec", file],
            &[],
        );
    }
    let dev = text(&run(&dir, "docker", &["compose", "config"], &[]));
    for service in [
        "postgres:",
        "mysql:",
        "rabbitmq:",
        "kafka:",
        "nats:",
        "mongodb:",
        "s3:",
        "smtp:",
    ] {
        assert!(dev.contains(service), "{service} missing:\n{dev}");
    }
    let prod = text(&run(
        &dir,
        "docker",
        &[
            "compose",
            "-f",
            "compose.yaml",
            "-f",
            "compose.prod.yaml",
            "config",
        ],
        &[("GIT_SHA", "e2e".to_string())],
    ));
    assert!(!prod.contains("build:"), "{prod}");
    assert_eq!(
        prod.matches("published:").count(),
        1,
        "only the app port:\n{prod}"
    );
    assert_eq!(
        prod.matches("PROFILE_MARKER: app-only").count(),
        1,
        "the prod profile reaches a bundled service:\n{prod}"
    );
    for secret in [
        "postgres-password",
        "mysql-root-password",
        "mongodb-password",
        "s3-secret-key",
    ] {
        assert!(
            prod.contains(&format!("target: /run/secrets/{secret}")),
            "{secret}:\n{prod}"
        );
    }
    let hadolint = run(&dir, "hadolint", &["Dockerfile"], &[]);
    assert_eq!(text(&hadolint).trim(), "");
}
