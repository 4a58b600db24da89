//! End-to-end: a workspace rendered with the sample preset builds and runs on the mirror's base images.

use std::path::Path;
use std::time::Duration;

use super::{
    build, cleanup_for, container_logs, enabled, free_port, init_printing_with, run, run_hardened,
    wait_for,
};
use crate::support::Fixture;

/// The value of `ARG <name>=` in a Dockerfile.
fn arg(dockerfile: &str, name: &str) -> String {
    let prefix = format!("ARG {name}=");
    let line = dockerfile.lines().find(|l| l.starts_with(&prefix)).unwrap();
    line[prefix.len()..].to_string()
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn the_sample_preset_builds_and_runs_on_its_mirrored_base_images() {
    if !enabled("the_sample_preset_builds_and_runs_on_its_mirrored_base_images") {
        return;
    }
    let fx = Fixture::new("clapserve");
    let mut cleanup = cleanup_for(&fx);
    let preset = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/presets/acme");
    let printed = init_printing_with(&fx, &["--preset", &preset.to_string_lossy()]);
    assert!(printed.contains("Preset acme 1.0.0"), "{printed}");
    let dockerfile = fx.read("Dockerfile");
    // Each mirrored base image is the stand-in under the mirror's name, untagged afterwards.
    for name in ["RUST_IMAGE", "RUNTIME_IMAGE", "DEBUG_IMAGE"] {
        let mirrored = arg(&dockerfile, name);
        assert!(mirrored.starts_with("mirror.acme.internal/"), "{mirrored}");
        let upstream = mirrored
            .replace("mirror.acme.internal/library/", "")
            .replace("mirror.acme.internal/", "gcr.io/");
        run(fx.path(), "docker", &["tag", &upstream, &mirrored], &[]);
        cleanup.images.push(mirrored);
    }
    let image = format!("e2e-preset-{}:e2e", std::process::id());
    cleanup.images.push(image.clone());
    let (log, took) = build(fx.path(), "production", &image);
    eprintln!("clapserve with the acme preset, production build: {took:.1?}");
    assert!(
        log.contains("mirror.acme.internal/library/rust"),
        "the build used the mirror:\n{log}"
    );
    let name = format!("e2e-preset-{}", std::process::id());
    cleanup.containers.push(name.clone());
    let host_port = free_port();
    let published = format!("127.0.0.1:{host_port}:8080");
    run_hardened(fx.path(), &name, &image, &["-p", &published]);
    wait_for(
        host_port,
        "/",
        "clapserve up",
        Duration::from_secs(30),
        container_logs(name.clone()),
    );
}
