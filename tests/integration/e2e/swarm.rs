//! End-to-end: `deploy/swarm/stack.yaml` deployed to a single-node swarm on the test engine: hardened tasks, secrets per service, a start-first rolling update.
//!
//! The routing mesh and overlay networks pass no traffic on these machines, so the server
//! is probed inside its task's own network namespace (`nsenter -t PID -n`); the stack
//! itself keeps its ingress ports, as real clusters want.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::{build, cleanup_for, enabled, init_printing_with, inspect, run, tail, text};
use crate::support::Fixture;

/// `docker ...`, its trimmed stdout; panics on failure.
fn docker(args: &[&str]) -> String {
    let out = run(Path::new("."), "docker", args, &[]);
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Leaves the engine as it was found: removes the stack, its secrets and the node label,
/// and leaves the swarm when the test created it.
struct SwarmGuard {
    created: bool,
    stack: String,
    secrets: Vec<String>,
    /// The label added to this node (its key), and the node.
    label: Option<(String, String)>,
}

impl Drop for SwarmGuard {
    fn drop(&mut self) {
        let quiet = |args: &[&str]| {
            let _ = Command::new("docker").args(args).output();
        };
        quiet(&["stack", "rm", &self.stack]);
        // Secrets in use cannot be removed: wait for the stack's containers to go.
        let filter = format!("label=com.docker.stack.namespace={}", self.stack);
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(60) {
            let out = Command::new("docker")
                .args(["ps", "-aq", "--filter", &filter])
                .output();
            if out.is_ok_and(|o| o.stdout.is_empty()) {
                break;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        for secret in &self.secrets {
            quiet(&["secret", "rm", secret]);
        }
        if let Some((label, node)) = &self.label {
            quiet(&["node", "update", "--label-rm", label, node]);
        }
        if self.created {
            quiet(&["swarm", "leave", "--force"]);
        }
    }
}

/// Joins a swarm: the engine's own, or a new single-node one left again afterwards.
fn swarm(stack: &str) -> SwarmGuard {
    let state = docker(&["info", "--format", "{{.Swarm.LocalNodeState}}"]);
    let created = state != "active";
    if created {
        docker(&["swarm", "init", "--advertise-addr", "127.0.0.1"]);
    }
    SwarmGuard {
        created,
        stack: stack.into(),
        secrets: Vec::new(),
        label: None,
    }
}

/// `docker secret create NAME -` with `value` on stdin.
fn create_secret(guard: &mut SwarmGuard, name: &str, value: &str) {
    use std::io::Write;
    let mut child = Command::new("docker")
        .args(["secret", "create", name, "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(value.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "secret {name}: {}", text(&out));
    guard.secrets.push(name.into());
}

/// The containers of a service (stopped ones too): task name (`stack_svc.1.id`) -> container id.
fn containers(service: &str) -> BTreeMap<String, String> {
    let filter = format!("label=com.docker.swarm.service.name={service}");
    docker(&[
        "ps",
        "-a",
        "--no-trunc",
        "--filter",
        &filter,
        "--format",
        "{{.Label \"com.docker.swarm.task.name\"}} {{.ID}}",
    ])
    .lines()
    .filter_map(|l| l.split_once(' '))
    .map(|(t, c)| (t.to_string(), c.to_string()))
    .collect()
}

/// The running containers of a service, waiting until `n` run.
fn running(service: &str, n: usize, limit: Duration) -> Vec<String> {
    let filter = format!("label=com.docker.swarm.service.name={service}");
    let start = Instant::now();
    loop {
        let ids = docker(&["ps", "-q", "--no-trunc", "--filter", &filter]);
        let ids: Vec<String> = ids.lines().map(String::from).collect();
        if ids.len() == n {
            return ids;
        }
        assert!(
            start.elapsed() < limit,
            "{service}: {} of {n} tasks running after {limit:?}\n{}",
            ids.len(),
            docker(&["service", "ps", "--no-trunc", service])
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// An HTTP GET from inside a container's network namespace (bash's /dev/tcp: no client in
/// the distroless image, none needed on the host).
fn get_inside(container: &str, port: u16, path: &str) -> Option<String> {
    let pid = inspect(container, "{{.State.Pid}}");
    let script = format!(
        "exec 3<>/dev/tcp/127.0.0.1/{port} && printf 'GET {path} HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n' >&3 && timeout 5 cat <&3"
    );
    let out = Command::new("nsenter")
        .args(["-t", &pid, "-n", "bash", "-c", &script])
        .output()
        .ok()?;
    let body = String::from_utf8_lossy(&out.stdout).into_owned();
    body.starts_with("HTTP/1.").then_some(body)
}

/// The mount of `point` in a process's mount table: (options, filesystem type).
fn mount(pid: &str, point: &str) -> Option<(String, String)> {
    let table = std::fs::read_to_string(format!("/proc/{pid}/mountinfo")).ok()?;
    table.lines().rev().find_map(|line| {
        let fields: Vec<&str> = line.split(' ').collect();
        let sep = fields.iter().position(|f| *f == "-")?;
        (fields.get(4) == Some(&point))
            .then(|| (fields[5].to_string(), fields[sep + 1].to_string()))
    })
}

/// An engine timestamp (`2026-11-25T10:00:01.123456789Z`) as nanoseconds since midnight,
/// enough to order events of one test.
fn nanos_of_day(stamp: &str) -> u128 {
    let time = stamp.split('T').nth(1).expect("an RFC 3339 time");
    let time = time.trim_end_matches('Z');
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut parts = hms.split(':').map(|p| p.parse::<u128>().unwrap());
    let (h, m, s) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let frac: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
    ((h * 60 + m) * 60 + s) * 1_000_000_000 + frac.parse::<u128>().unwrap()
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn swarm_stack_runs_hardened_with_secrets_and_rolls_start_first() {
    if !enabled("swarm_stack_runs_hardened_with_secrets_and_rolls_start_first") {
        return;
    }
    let fx = Fixture::new("shop");
    let dir = fx.path().to_path_buf();
    let id = std::process::id();
    let registry = format!("e2e.local/swarm{id}");
    let stack = format!("e2e-swarm-{id}");
    let mut cleanup = cleanup_for(&fx);
    init_printing_with(
        &fx,
        &[
            "--deploy",
            "compose,swarm",
            "--role",
            "worker=worker",
            "--prod-services",
            "bundled",
        ],
    );
    let file = "deploy/swarm/stack.yaml";
    let env = |tag: &str| {
        vec![
            ("REGISTRY", registry.clone()),
            ("IMAGE_TAG", tag.to_string()),
        ]
    };

    // a. Swarm's own schema, offline.
    let config = text(&run(
        &dir,
        "docker",
        &["stack", "config", "-c", file],
        &env("v1"),
    ));
    for part in ["order: start-first", "external: true", "read_only: true"] {
        assert!(config.contains(part), "{part}:\n{config}");
    }

    // b. The production images, v1, tagged v2 for the rolling update.
    for (target, image) in [("production", "shop"), ("production-worker", "shop-worker")] {
        let v1 = format!("{registry}/{image}:v1");
        let v2 = format!("{registry}/{image}:v2");
        build(&dir, target, &v1);
        docker(&["tag", &v1, &v2]);
        cleanup.images.extend([v1, v2]);
    }

    // c. A swarm, the stack's external secrets and the node label its data wants.
    let mut guard = swarm(&stack);
    let label = "shop.data=true";
    let node = docker(&["info", "--format", "{{.Swarm.NodeID}}"]);
    docker(&["node", "update", "--label-add", label, &node]);
    guard.label = Some(("shop.data".into(), node));
    create_secret(
        &mut guard,
        "shop-database-url",
        "postgres://app:e2e-password@postgres:5432/shop",
    );
    create_secret(&mut guard, "shop-postgres-password", "e2e-password");
    let deploy = |tag: &str| {
        let started = Instant::now();
        run(
            &dir,
            "docker",
            &[
                "stack",
                "deploy",
                "--resolve-image",
                "never",
                "-c",
                file,
                &stack,
            ],
            &env(tag),
        );
        started
    };
    deploy("v1");
    let (shop, worker, postgres) = (
        format!("{stack}_shop"),
        format!("{stack}_worker"),
        format!("{stack}_postgres"),
    );
    let limit = Duration::from_secs(120);
    let shops = running(&shop, 2, limit);
    let workers = running(&worker, 1, limit);
    let databases = running(&postgres, 1, limit);

    // d. The server answers on its port, inside its task's network namespace.
    let start = Instant::now();
    let answer = loop {
        if let Some(body) = get_inside(&shops[0], 3000, "/") {
            break body;
        }
        assert!(start.elapsed() < limit, "shop never answered on 3000");
        std::thread::sleep(Duration::from_millis(250));
    };
    assert!(answer.contains("shop v1"), "{answer}");
    eprintln!(
        "swarm: shop answered on :3000 in its task after {:?}",
        start.elapsed()
    );

    // e. Hardened as the stack says: uid 65532, read-only root, a writable tmpfs /tmp, no capabilities.
    for container in shops.iter().chain(&workers) {
        assert_eq!(inspect(container, "{{.Config.User}}"), "65532:65532");
        assert_eq!(inspect(container, "{{.HostConfig.ReadonlyRootfs}}"), "true");
        assert_eq!(
            inspect(container, "{{json .HostConfig.CapDrop}}"),
            "[\"ALL\"]"
        );
        let pid = inspect(container, "{{.State.Pid}}");
        let (root, _) = mount(&pid, "/").expect("a root mount");
        assert!(root.split(',').any(|o| o == "ro"), "root mounted {root}");
        let (tmp, fs) = mount(&pid, "/tmp").expect("a /tmp mount");
        assert_eq!(fs, "tmpfs");
        assert!(tmp.split(',').any(|o| o == "rw"), "/tmp mounted {tmp}");
        // Written by the app's uid through the container's own root.
        let probe = format!("/proc/{pid}/root/tmp/e2e-probe");
        let wrote = Command::new("setpriv")
            .args([
                "--reuid=65532",
                "--regid=65532",
                "--clear-groups",
                "touch",
                &probe,
            ])
            .output()
            .unwrap();
        assert!(
            wrote.status.success(),
            "uid 65532 cannot write /tmp: {}",
            text(&wrote)
        );
    }

    // f. Only servers publish: the worker has no port.
    let ports = |service: &str| {
        docker(&[
            "service",
            "inspect",
            "-f",
            "{{json .Endpoint.Ports}}",
            service,
        ])
    };
    assert!(
        ports(&shop).contains("\"TargetPort\":3000"),
        "{}",
        ports(&shop)
    );
    assert!(
        ["null", "[]"].contains(&ports(&worker).as_str()),
        "{}",
        ports(&worker)
    );

    // g. Each secret is mounted in its own services only.
    let secrets_of = |container: &str| {
        let pid = inspect(container, "{{.State.Pid}}");
        let mut names: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/root/run/secrets"))
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    assert_eq!(secrets_of(&shops[0]), ["database-url"]);
    assert_eq!(secrets_of(&workers[0]), ["database-url"]);
    assert_eq!(secrets_of(&databases[0]), ["postgres-password"]);
    let pid = inspect(&shops[0], "{{.State.Pid}}");
    let url =
        std::fs::read_to_string(format!("/proc/{pid}/root/run/secrets/database-url")).unwrap();
    assert!(url.contains("e2e-password"));
    let env = inspect(&shops[0], "{{json .Config.Env}}");
    assert!(
        env.contains("DATABASE_URL_FILE=/run/secrets/database-url"),
        "{env}"
    );
    assert!(
        !env.contains("e2e-password"),
        "the secret's value is in the environment: {env}"
    );

    // h. A rolling update to v2: each slot's new task runs before its old one stops.
    let before = containers(&shop);
    let started = deploy("v2");
    let mut seen_running: BTreeMap<String, Duration> = BTreeMap::new();
    let mut seen_stopped: BTreeMap<String, Duration> = BTreeMap::new();
    loop {
        let tasks = docker(&[
            "service",
            "ps",
            "--no-trunc",
            "--format",
            "{{.ID}}|{{.Name}}|{{.Image}}|{{.DesiredState}}|{{.CurrentState}}",
            &shop,
        ]);
        let now = started.elapsed();
        for line in tasks.lines() {
            let f: Vec<&str> = line.split('|').collect();
            let key = format!("{} {}", f[1].trim_start_matches("\\_ ").trim(), f[2]);
            let is_running = f[4].starts_with("Running");
            if f[2].ends_with(":v2") && is_running {
                seen_running.entry(key).or_insert(now);
            } else if f[2].ends_with(":v1") && !is_running && f[3] == "Shutdown" {
                seen_stopped.entry(key).or_insert(now);
            }
        }
        let state = docker(&["service", "inspect", "-f", "{{.UpdateStatus.State}}", &shop]);
        if state == "completed" && seen_stopped.len() == 2 {
            break;
        }
        assert!(
            !state.contains("rollback") && !state.contains("paused"),
            "update {state}:\n{tasks}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "update {state}:\n{tasks}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let after = containers(&shop);
    for slot in 1..=2 {
        let prefix = format!("{shop}.{slot}.");
        let old = before
            .iter()
            .find(|(task, _)| task.starts_with(&prefix))
            .map(|(_, c)| c.clone())
            .expect("the slot's v1 container");
        let new = after
            .iter()
            .find(|(task, c)| {
                task.starts_with(&prefix)
                    && **c != old
                    && inspect(c, "{{.Config.Image}}").ends_with(":v2")
            })
            .map(|(_, c)| c.clone())
            .expect("the slot's v2 container");
        let new_started = inspect(&new, "{{.State.StartedAt}}");
        let old_finished = inspect(&old, "{{.State.FinishedAt}}");
        let overlap_ms =
            (nanos_of_day(&old_finished) as i128 - nanos_of_day(&new_started) as i128) / 1_000_000;
        let name = format!("{shop}.{slot}");
        eprintln!(
            "swarm rolling update, slot {slot}: new task started at {new_started} (seen running +{:.1}s), old task stopped at {old_finished} (seen shut down +{:.1}s): both ran for {overlap_ms} ms",
            seen_running
                .get(&format!("{name} {registry}/shop:v2"))
                .map_or(f64::NAN, Duration::as_secs_f64),
            seen_stopped
                .get(&format!("{name} {registry}/shop:v1"))
                .map_or(f64::NAN, Duration::as_secs_f64),
        );
        assert!(
            overlap_ms > 0,
            "slot {slot}: the old task stopped ({old_finished}) before the new one started ({new_started})"
        );
    }
    eprintln!(
        "swarm rolling update of 2 tasks completed in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let shops = running(&shop, 2, limit);
    let answer = get_inside(&shops[0], 3000, "/").unwrap_or_default();
    assert!(
        answer.contains("shop v1"),
        "v2 (the same build) serves: {}",
        tail(&answer, 5)
    );
    drop(guard);
}
