//! End-to-end: `--pin-digests` against a real registry (Debian's docker-registry on
//! loopback, holding the stand-ins under a preset's mirror names): the files name the
//! digests the registry serves, the image builds from them, `check` asks no registry, and
//! `update` moves a digest when its tag moves.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{Cleanup, build, cleanup_for, enabled, free_port, init_printing_with, run, text};
use predicates::prelude::*;

use crate::support::Fixture;

/// Where the registry keeps its blobs between runs, so unchanged layers are not pushed again.
const STORAGE: &str = "/var/cache/dockerize-e2e/registry";

/// `docker-registry serve` on 127.0.0.1:<port>, stopped when dropped.
struct Registry {
    child: Child,
    port: u16,
}

impl Registry {
    fn start(dir: &Path, port: u16) -> Registry {
        std::fs::create_dir_all(STORAGE).unwrap();
        let config = dir.join(format!("registry-{port}.yml"));
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {STORAGE}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{port}\n"
            ),
        )
        .unwrap();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("docker-registry (scripts/e2e-env.sh installs Debian's docker-registry)");
        let registry = Registry { child, port };
        let start = Instant::now();
        while registry.head("/v2/", "*/*").is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the registry did not answer"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        registry
    }

    /// The response head of a HEAD request, when one comes.
    fn head(&self, path: &str, accept: &str) -> Option<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        write!(
            stream,
            "HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n",
            self.port
        )
        .ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        response.starts_with("HTTP/1.1 200").then_some(response)
    }

    /// The digest the registry serves for `repository:tag` (its Docker-Content-Digest).
    fn digest(&self, repository: &str, tag: &str) -> String {
        let accept = "application/vnd.oci.image.index.v1+json, \
                      application/vnd.docker.distribution.manifest.list.v2+json, \
                      application/vnd.oci.image.manifest.v1+json, \
                      application/vnd.docker.distribution.manifest.v2+json";
        let head = self
            .head(&format!("/v2/{repository}/manifests/{tag}"), accept)
            .unwrap_or_else(|| panic!("{repository}:{tag} is not in the registry"));
        head.lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .starts_with("docker-content-digest:")
                    .then(|| l.split_once(':').unwrap().1.trim().to_string())
            })
            .expect("Docker-Content-Digest")
    }

    /// `local` pushed as `<registry>/<repository>:<tag>`; that name, which the engine keeps
    /// (a build finds the image there without pulling it back).
    fn push(&self, dir: &Path, local: &str, repository: &str, tag: &str) -> String {
        let remote = format!("127.0.0.1:{}/{repository}:{tag}", self.port);
        run(dir, "docker", &["tag", local, &remote], &[]);
        run(dir, "docker", &["push", "--quiet", &remote], &[]);
        remote
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The value of `ARG <name>=` in the Dockerfile.
fn arg(dockerfile: &str, name: &str) -> String {
    let prefix = format!("ARG {name}=");
    dockerfile
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {prefix} in the Dockerfile"))
        .to_string()
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn pinned_digests_are_the_registrys_build_and_move_only_with_update() {
    if !enabled("pinned_digests_are_the_registrys_build_and_move_only_with_update") {
        return;
    }
    let rust_tag = format!("{}-slim-trixie", crate::support::host_rustc_version());
    let fx = Fixture::new("plain");
    let mut cleanup: Cleanup = cleanup_for(&fx);
    let port = free_port();
    let mut registry = Registry::start(fx.path(), port);
    let images = [
        (format!("rust:{rust_tag}"), "mirror/rust", rust_tag.as_str()),
        (
            "gcr.io/distroless/cc-debian13:nonroot".to_string(),
            "mirror/cc-debian13",
            "nonroot",
        ),
        (
            "gcr.io/distroless/cc-debian13:debug-nonroot".to_string(),
            "mirror/cc-debian13",
            "debug-nonroot",
        ),
    ];
    for (local, repository, tag) in &images {
        let pushed = registry.push(fx.path(), local, repository, tag);
        cleanup.images.push(pushed);
    }
    let preset = fx.path().join("mirror-preset");
    std::fs::create_dir_all(&preset).unwrap();
    std::fs::write(
        preset.join("preset.toml"),
        format!(
            "name = \"loopback-mirror\"\nversion = \"1.0.0\"\n\n[images]\nrust = \"127.0.0.1:{port}/mirror/rust\"\n\"gcr.io/distroless/cc-debian13\" = \"127.0.0.1:{port}/mirror/cc-debian13\"\n"
        ),
    )
    .unwrap();

    // init: every image named with the digest the registry serves for its tag. The
    // workspace has no Cargo.lock, so the planner resolves one outside the registry cache.
    init_printing_with(&fx, &["--preset", "mirror-preset", "--pin-digests"]);
    let dockerfile = fx.read("Dockerfile");
    let rust_digest = registry.digest("mirror/rust", &rust_tag);
    let runtime_digest = registry.digest("mirror/cc-debian13", "nonroot");
    assert_eq!(
        arg(&dockerfile, "RUST_IMAGE"),
        format!("127.0.0.1:{port}/mirror/rust:{rust_tag}@{rust_digest}")
    );
    assert_eq!(
        arg(&dockerfile, "RUNTIME_IMAGE"),
        format!("127.0.0.1:{port}/mirror/cc-debian13:nonroot@{runtime_digest}")
    );
    assert!(
        arg(&dockerfile, "DEBUG_IMAGE")
            .ends_with(&registry.digest("mirror/cc-debian13", "debug-nonroot"))
    );
    assert!(fx.read("README.Docker.md").contains("pinned by digest"));

    // The engine builds from the pinned references, and the binary runs.
    let image = format!("e2e-pinned-{}:e2e", std::process::id());
    cleanup.images.push(image.clone());
    let (_, took) = build(fx.path(), "production", &image);
    eprintln!("production from pinned images: {took:.1?}");
    let ran = run(
        fx.path(),
        "docker",
        &["run", "--rm", "--read-only", "--cap-drop", "ALL", &image],
        &[],
    );
    assert!(
        text(&ran).contains("plain-tool would listen on"),
        "{}",
        text(&ran)
    );

    // check reads the digests from the lock: no registry needed.
    drop(registry);
    fx.cmd(&["check"]).assert().success();
    // update asks the registry: with none answering it stops, naming the image, and
    // writes nothing.
    let before = fx.hashes();
    fx.cmd(&["update", "--no-git"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "pin-digests: could not resolve `127.0.0.1:{port}/mirror/rust:{rust_tag}`"
        )));
    assert_eq!(before, fx.hashes());

    // The tag moves upstream; update brings the new digest, and only that line changes.
    registry = Registry::start(fx.path(), port);
    registry.push(
        fx.path(),
        "gcr.io/distroless/cc-debian13:debug-nonroot",
        "mirror/cc-debian13",
        "nonroot",
    );
    let moved = registry.digest("mirror/cc-debian13", "nonroot");
    assert_ne!(moved, runtime_digest);
    fx.cmd(&["check"]).assert().success();
    fx.cmd(&["update", "--no-git"]).assert().success();
    let updated = fx.read("Dockerfile");
    assert_eq!(
        arg(&updated, "RUNTIME_IMAGE"),
        format!("127.0.0.1:{port}/mirror/cc-debian13:nonroot@{moved}")
    );
    assert_eq!(arg(&updated, "RUST_IMAGE"), arg(&dockerfile, "RUST_IMAGE"));
    fx.cmd(&["check"]).assert().success();
    // Put the tag back for the next run.
    registry.push(
        fx.path(),
        "gcr.io/distroless/cc-debian13:nonroot",
        "mirror/cc-debian13",
        "nonroot",
    );
}
