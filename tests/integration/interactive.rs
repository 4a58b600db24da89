//! `init` without `--yes`, driven through a real pseudo-terminal (expectrl): defaults, changed answers, Ctrl-C.

use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::{Eof, Expect, Session};

use crate::support::Fixture;

/// Keys as a terminal sends them.
const ENTER: &str = "\r";
const DOWN: &str = "\x1b[B";
const CTRL_C: &str = "\x03";

/// `cargo dockerize init --no-git` on a pseudo-terminal in the fixture.
fn spawn_init(fx: &Fixture) -> expectrl::session::OsSession {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("cargo-dockerize"));
    cmd.current_dir(fx.path())
        .args(["dockerize", "init", "--no-git"])
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR");
    let mut session = Session::spawn(cmd).expect("spawn on a pty");
    session.set_expect_timeout(Some(Duration::from_secs(60)));
    session
}

/// Waits for a question, then answers it with `keys`.
fn answer(session: &mut expectrl::session::OsSession, question: &str, keys: &str) {
    session
        .expect(question)
        .unwrap_or_else(|e| panic!("waiting for `{question}`: {e}"));
    // Let the prompt switch the terminal to raw mode before typing.
    std::thread::sleep(Duration::from_millis(500));
    session.send(keys).unwrap();
}

/// Reads everything up to the end of the output and returns the exit code.
fn finish(session: &mut expectrl::session::OsSession) -> (String, i32) {
    let rest = session.expect(Eof).expect("the command ends");
    let text = String::from_utf8_lossy(rest.as_bytes()).into_owned();
    match session.get_process().wait().unwrap() {
        WaitStatus::Exited(_, code) => (text, code),
        other => panic!("ended by {other:?}\n{text}"),
    }
}

#[test]
fn accepting_every_default_writes_what_init_yes_writes() {
    let fx = Fixture::new("shop");
    let mut s = spawn_init(&fx);
    s.expect("Detected").unwrap();
    s.expect("tokio-postgres").unwrap();
    answer(&mut s, "Binaries to package", ENTER);
    answer(&mut s, "How does `shop` run?", ENTER);
    answer(&mut s, "How does `worker` run?", ENTER);
    answer(&mut s, "Port of `shop`", ENTER);
    answer(&mut s, "Port of `worker`", ENTER);
    answer(&mut s, "Production runtime image", ENTER);
    answer(&mut s, "CPU platforms", ENTER);
    answer(&mut s, "Backing services", ENTER);
    answer(&mut s, "Registry", ENTER);
    answer(&mut s, "CI workflow", ENTER);
    answer(&mut s, "Makefile", ENTER);
    answer(&mut s, "Where does production run", ENTER);
    let (out, code) = finish(&mut s);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Next steps"), "{out}");

    let yes = Fixture::new("shop");
    yes.cmd(&["init", "--yes", "--no-git"]).assert().success();
    assert_eq!(fx.hashes(), yes.hashes(), "defaults differ from --yes");
}

#[test]
fn a_changed_port_and_runtime_are_written_and_stored() {
    let fx = Fixture::new("settings");
    let mut s = spawn_init(&fx);
    answer(&mut s, "How does `settings` run?", ENTER);
    answer(&mut s, "Port `settings` listens on", "9123\r");
    // distroless cc -> static (musl).
    answer(
        &mut s,
        "Production runtime image",
        &format!("{DOWN}{ENTER}"),
    );
    answer(&mut s, "Backing services", ENTER);
    answer(&mut s, "Folders the app reads at run time", ENTER);
    answer(&mut s, "Registry", ENTER);
    answer(&mut s, "CI workflow", ENTER);
    // No Makefile.
    answer(&mut s, "Makefile", "n");
    // Swarm besides Compose.
    answer(
        &mut s,
        "Where does production run",
        &format!("{DOWN} {ENTER}"),
    );
    let (out, code) = finish(&mut s);
    assert_eq!(code, 0, "{out}");

    let dockerfile = fx.read("Dockerfile");
    assert!(dockerfile.contains("EXPOSE 9123"), "{dockerfile}");
    assert!(
        dockerfile.contains("gcr.io/distroless/static-debian13:nonroot"),
        "{dockerfile}"
    );
    let manifest = fx.read("Cargo.toml");
    assert!(manifest.contains("port = 9123"), "{manifest}");
    assert!(
        manifest.contains("deploy = [\"compose\", \"swarm\"]"),
        "{manifest}"
    );
    assert!(manifest.contains("runtime = \"static\""), "{manifest}");
    assert!(manifest.contains("makefile = false"), "{manifest}");
    assert!(
        !manifest.contains("registry ="),
        "defaults are not stored:\n{manifest}"
    );
    assert!(!fx.file("Makefile").exists());
    assert!(fx.file(".github/workflows/docker.yml").exists());
}

#[test]
fn the_detected_default_replaces_a_different_stored_answer() {
    let fx = Fixture::new("settings");
    fx.cmd(&["init", "--yes", "--no-git", "--port", "7000"])
        .assert()
        .success();
    let mut s = spawn_init(&fx);
    // The stored 7000 is offered; the 3000 of the code is typed back in.
    answer(&mut s, "How does `settings` run?", ENTER);
    answer(&mut s, "Port `settings` listens on", "3000\r");
    answer(&mut s, "Production runtime image", ENTER);
    // linux/arm64 besides linux/amd64.
    answer(&mut s, "CPU platforms", &format!("{DOWN} {ENTER}"));
    answer(&mut s, "Backing services", ENTER);
    answer(&mut s, "Folders the app reads at run time", ENTER);
    answer(&mut s, "Registry", ENTER);
    answer(&mut s, "CI workflow", ENTER);
    answer(&mut s, "Makefile", ENTER);
    answer(&mut s, "Where does production run", ENTER);
    let (out, code) = finish(&mut s);
    assert_eq!(code, 0, "{out}");
    let dockerfile = fx.read("Dockerfile");
    assert!(dockerfile.contains("EXPOSE 3000"));
    assert!(
        dockerfile.contains("FROM chef AS cross-arm64"),
        "{dockerfile}"
    );
    let manifest = fx.read("Cargo.toml");
    assert!(!manifest.contains("port ="), "{manifest}");
    assert!(
        manifest.contains("platforms = [\"linux/amd64\", \"linux/arm64\"]"),
        "{manifest}"
    );
}

#[test]
fn ctrl_c_midway_exits_130_and_writes_nothing() {
    let fx = Fixture::new("shop");
    let before = fx.hashes();
    let mut s = spawn_init(&fx);
    answer(&mut s, "Binaries to package", ENTER);
    answer(&mut s, "How does `shop` run?", ENTER);
    answer(&mut s, "How does `worker` run?", ENTER);
    answer(&mut s, "Port of `shop`", ENTER);
    answer(&mut s, "Port of `worker`", ENTER);
    answer(&mut s, "Production runtime image", CTRL_C);
    let (out, code) = finish(&mut s);
    assert_eq!(code, 130, "{out}");
    assert!(out.contains("nothing was written"), "{out}");
    // dialoguer hid the cursor for the selection: it is shown again.
    assert!(out.contains("\x1b[?25h"), "{out:?}");
    assert_eq!(before, fx.hashes(), "Ctrl-C wrote into the workspace");
}

#[test]
fn one_question_per_existing_file_with_a_default_that_loses_nothing() {
    let fx = Fixture::new("plain");
    fx.write("docker-compose.yml", "services: {}\n");
    fx.write("Makefile", "all:\n\ttrue\n");
    let mut s = spawn_init(&fx);
    // A program that prints and exits: a tool, so no port is asked.
    answer(&mut s, "How does `plain-tool` run?", ENTER);
    answer(&mut s, "Production runtime image", ENTER);
    answer(&mut s, "CPU platforms", ENTER);
    answer(&mut s, "Backing services", ENTER);
    answer(&mut s, "Registry", ENTER);
    answer(&mut s, "CI workflow", ENTER);
    answer(&mut s, "Makefile?", ENTER);
    answer(&mut s, "Where does production run", ENTER);
    // Defaults: adopt the compose file in use, keep the Makefile.
    answer(&mut s, "docker-compose.yml exists", ENTER);
    answer(&mut s, "Makefile exists", ENTER);
    let (out, code) = finish(&mut s);
    assert_eq!(code, 0, "{out}");
    assert!(fx.read("docker-compose.yml").contains("init: true"));
    assert_eq!(fx.read("docker-compose.yml.orig"), "services: {}\n");
    assert_eq!(fx.read("Makefile"), "all:\n\ttrue\n");
    let manifest = fx.read("Cargo.toml");
    assert!(
        manifest.contains(
            "existing-files = { Makefile = \"skip\", \"docker-compose.yml\" = \"adopt\" }"
        ),
        "{manifest}"
    );
}

#[test]
fn run_time_folders_are_offered_with_the_detected_ones_ticked() {
    let fx = Fixture::new("settings");
    std::fs::create_dir(fx.file("templates")).unwrap();
    fx.write("templates/page.html", "<p>{{ message }}</p>");
    let mut s = spawn_init(&fx);
    answer(&mut s, "How does `settings` run?", ENTER);
    answer(&mut s, "Port `settings` listens on", ENTER);
    answer(&mut s, "Production runtime image", ENTER);
    answer(&mut s, "CPU platforms", ENTER);
    answer(&mut s, "Backing services", ENTER);
    // config/ and templates/ are ticked; untick templates/ (the second item).
    s.expect("Folders the app reads at run time").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    s.send(format!("{DOWN} {ENTER}")).unwrap();
    answer(&mut s, "Registry", ENTER);
    answer(&mut s, "CI workflow", ENTER);
    answer(&mut s, "Makefile", ENTER);
    answer(&mut s, "Where does production run", ENTER);
    let (out, code) = finish(&mut s);
    assert_eq!(code, 0, "{out}");
    let dockerfile = fx.read("Dockerfile");
    assert!(dockerfile.contains("COPY --chown=65532:65532 config /app/config"));
    assert!(!dockerfile.contains("/app/templates"), "{dockerfile}");
    let manifest = fx.read("Cargo.toml");
    assert!(
        manifest.contains("runtime-files = [\"config\"]"),
        "{manifest}"
    );
}
