//! End-to-end: binaries that are not all web servers reading `PORT` (a TCP server with its
//! command-line client, a server configured by clap flags and their variables) build, run
//! where the generated files say, and the tools run once and exit.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::{
    build, cleanup_for, container_logs, enabled, free_port, init_printing, inspect, run,
    run_hardened, text, wait_for,
};
use crate::support::Fixture;

/// Sends one line over TCP and returns the reply line, or `None` while nothing answers.
fn ask_line(port: u16, line: &str) -> Option<String> {
    let mut stream =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(2)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    writeln!(stream, "{line}").ok()?;
    let mut reply = String::new();
    BufReader::new(stream).read_line(&mut reply).ok()?;
    Some(reply.trim().to_string())
}

/// The Dockerfile stage that starts with `FROM ... AS <name>`, up to the next one.
fn stage<'a>(dockerfile: &'a str, name: &str) -> &'a str {
    let start = dockerfile
        .find(&format!(" AS {name}\n"))
        .unwrap_or_else(|| panic!("no stage {name}"));
    let rest = &dockerfile[start..];
    let end = rest[1..].find("\nFROM ").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn a_tcp_server_and_its_command_line_client() {
    if !enabled("a_tcp_server_and_its_command_line_client") {
        return;
    }
    let fx = Fixture::new("kvstore");
    let mut cleanup = cleanup_for(&fx);
    let printed = init_printing(&fx);
    assert!(
        printed.contains("binary kv-server: server on port 6380"),
        "{printed}"
    );
    assert!(printed.contains("binary kv-cli: tool"), "{printed}");
    assert!(!printed.contains("loopback"), "{printed}");

    // Only the server listens: its port is exposed and published, the client's never.
    let dockerfile = fx.read("Dockerfile");
    assert!(stage(&dockerfile, "production").contains("EXPOSE 6380"));
    let client_stage = stage(&dockerfile, "production-kv-cli");
    assert!(!client_stage.contains("EXPOSE"), "{client_stage}");
    assert!(
        !dockerfile.contains("PORT="),
        "the app reads no PORT:\n{dockerfile}"
    );
    let dev = text(&run(
        fx.path(),
        "docker",
        &["compose", "--profile", "tools", "config"],
        &[],
    ));
    let client = &dev[dev.find("  kv-cli:").expect("the client service")..];
    let client = &client[..client[1..].find("\n  kv-").map_or(client.len(), |i| i + 1)];
    assert!(
        client.contains("- tools"),
        "a tool sits in a profile:\n{client}"
    );
    assert!(!client.contains("published"), "{client}");
    assert_eq!(dev.matches("published:").count(), 1, "{dev}");

    let id = std::process::id();
    let (server_image, client_image) = (
        format!("e2e-kv-server-{id}:e2e"),
        format!("e2e-kv-cli-{id}:e2e"),
    );
    cleanup
        .images
        .extend([server_image.clone(), client_image.clone()]);
    let (_, took) = build(fx.path(), "production", &server_image);
    eprintln!("kvstore production build: {took:.1?}");
    build(fx.path(), "production-kv-cli", &client_image);
    // The multi-line description became one label line, quotes kept.
    let description = inspect(
        &server_image,
        "{{index .Config.Labels \"org.opencontainers.image.description\"}}",
    );
    assert!(
        description.contains("line protocol.") && description.contains("\"kv-cli\""),
        "{description}"
    );

    let network = format!("e2e-kv-{id}");
    run(fx.path(), "docker", &["network", "create", &network], &[]);
    let server = format!("e2e-kv-server-{id}");
    cleanup.containers.push(server.clone());
    let host_port = free_port();
    let published = format!("127.0.0.1:{host_port}:6380");
    run_hardened(
        fx.path(),
        &server,
        &server_image,
        &["--network", &network, "-p", &published],
    );
    assert_eq!(inspect(&server_image, "{{.Config.User}}"), "65532:65532");
    let start = Instant::now();
    let mut reply = None;
    while start.elapsed() < Duration::from_secs(30) && reply.as_deref() != Some("PONG") {
        reply = ask_line(host_port, "PING");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(
        reply.as_deref(),
        Some("PONG"),
        "{}",
        container_logs(server.clone())()
    );

    // The client runs once, hardened, and exits 0 with the server's answer.
    let address = format!("{server}:6380");
    let out = run(
        fx.path(),
        "docker",
        &[
            "run",
            "--rm",
            "--read-only",
            "--cap-drop",
            "ALL",
            "--network",
            &network,
            &client_image,
            "--host",
            &address,
            "SET",
            "greeting",
            "hello",
        ],
        &[],
    );
    assert_eq!(text(&out).trim(), "OK");
    assert_eq!(
        ask_line(host_port, "GET greeting").as_deref(),
        Some("hello")
    );
    let _ = std::process::Command::new("docker")
        .args(["rm", "-f", &server])
        .output();
    let _ = std::process::Command::new("docker")
        .args(["network", "rm", &network])
        .output();
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn a_clap_configured_server_listens_where_its_variables_say() {
    if !enabled("a_clap_configured_server_listens_where_its_variables_say") {
        return;
    }
    let fx = Fixture::new("clapserve");
    let mut cleanup = cleanup_for(&fx);
    let printed = init_printing(&fx);
    assert!(
        printed.contains("binary clapserve: server on port 8080 set by SERVER_PORT"),
        "{printed}"
    );
    assert!(printed.contains("SERVER_HOST=0.0.0.0"), "{printed}");
    assert!(
        !printed.contains("loopback"),
        "the redirect host is no listen address: {printed}"
    );
    let base = fx.read("compose.yaml");
    assert!(base.contains("SERVER_PORT: \"8080\""), "{base}");
    assert!(!base.contains(" PORT:"), "the app reads no PORT:\n{base}");

    let image = format!("e2e-clapserve-{}:e2e", std::process::id());
    cleanup.images.push(image.clone());
    let (_, took) = build(fx.path(), "production", &image);
    eprintln!("clapserve production build: {took:.1?}");
    // The image itself carries the listen address: without SERVER_HOST=0.0.0.0 the
    // server would bind 127.0.0.1 and nothing outside the container would reach it.
    let name = format!("e2e-clapserve-{}", std::process::id());
    cleanup.containers.push(name.clone());
    let host_port = free_port();
    let published = format!("127.0.0.1:{host_port}:8080");
    run_hardened(
        fx.path(),
        &name,
        &image,
        &["--user", "65532:65532", "-p", &published],
    );
    wait_for(
        host_port,
        "/",
        "clapserve up",
        Duration::from_secs(30),
        container_logs(name.clone()),
    );
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn a_server_configured_by_yaml_files_listens_where_its_overrides_say() {
    if !enabled("a_server_configured_by_yaml_files_listens_where_its_overrides_say") {
        return;
    }
    let fx = Fixture::new("confserve");
    let mut cleanup = cleanup_for(&fx);
    let printed = init_printing(&fx);
    assert!(
        printed.contains("server on port 8000 set by APP_APPLICATION__PORT"),
        "{printed}"
    );
    assert!(
        printed.contains("APP_APPLICATION__HOST=0.0.0.0"),
        "{printed}"
    );
    assert!(
        fx.read("Dockerfile")
            .contains("COPY --chown=65532:65532 configuration /app/configuration"),
        "the settings files travel with the binary"
    );

    let image = format!("e2e-confserve-{}:e2e", std::process::id());
    cleanup.images.push(image.clone());
    let (_, took) = build(fx.path(), "production", &image);
    eprintln!("confserve production build: {took:.1?}");
    // base.yaml says 127.0.0.1 (the local default): the image's APP_APPLICATION__HOST is
    // what makes it reachable; APP_APPLICATION__PORT moves it like the config crate says.
    let name = format!("e2e-confserve-{}", std::process::id());
    cleanup.containers.push(name.clone());
    let host_port = free_port();
    let published = format!("127.0.0.1:{host_port}:9000");
    run_hardened(
        fx.path(),
        &name,
        &image,
        &["-e", "APP_APPLICATION__PORT=9000", "-p", &published],
    );
    wait_for(
        host_port,
        "/",
        "ok",
        Duration::from_secs(30),
        container_logs(name.clone()),
    );
}

/// bore's shape: one binary whose `server` subcommand runs the relay and whose `client`
/// subcommand has the port-like options; the relay listens on loopback unless `--bind`
/// says otherwise. The image starts the relay, reachable, by itself.
#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn a_server_behind_a_subcommand_starts_with_it() {
    if !enabled("a_server_behind_a_subcommand_starts_with_it") {
        return;
    }
    let fx = Fixture::new("tunnel");
    let mut cleanup = cleanup_for(&fx);
    let printed = init_printing(&fx);
    assert!(
        printed.contains(
            "binary tunnel: server as `tunnel server --bind 0.0.0.0` on port 7835 (no variable sets it)"
        ),
        "{printed}"
    );
    // The client's options are neither the relay's port nor settings it needs.
    assert!(!printed.contains("TUNNEL_"), "{printed}");
    assert!(!printed.contains("loopback"), "{printed}");
    let dockerfile = fx.read("Dockerfile");
    let production = stage(&dockerfile, "production");
    assert!(
        production.contains(
            "ENTRYPOINT [\"/usr/local/bin/tunnel\"]\nCMD [\"server\",\"--bind\",\"0.0.0.0\"]"
        ),
        "{production}"
    );
    let dev = text(&run(fx.path(), "docker", &["compose", "config"], &[]));
    assert!(
        dev.contains("command:\n      - watch\n      - server\n      - --bind\n      - 0.0.0.0\n"),
        "the development service runs the relay too:\n{dev}"
    );

    let id = std::process::id();
    let image = format!("e2e-tunnel-{id}:e2e");
    cleanup.images.push(image.clone());
    let (_, took) = build(fx.path(), "production", &image);
    eprintln!("tunnel production build: {took:.1?}");
    assert_eq!(
        inspect(&image, "{{json .Config.Cmd}}"),
        "[\"server\",\"--bind\",\"0.0.0.0\"]"
    );
    let name = format!("e2e-tunnel-{id}");
    cleanup.containers.push(name.clone());
    let host_port = free_port();
    let published = format!("127.0.0.1:{host_port}:7835");
    run_hardened(fx.path(), &name, &image, &["-p", &published]);
    let start = Instant::now();
    let mut reply = None;
    while start.elapsed() < Duration::from_secs(30) && reply.is_none() {
        reply = ask_line(host_port, "HELLO").filter(|r| !r.is_empty());
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(
        reply.as_deref(),
        Some("relay hands out ports from 1024"),
        "{}",
        container_logs(name.clone())()
    );
    eprintln!("tunnel server answered {:.1?} after start", start.elapsed());
}
