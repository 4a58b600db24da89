//! End-to-end: production images for linux/arm64 built on this amd64 machine from the
//! generated files, unmodified: the builder cross-compiles (no rustc under emulation), and
//! the binaries answer HTTP under qemu-user on the image's exported root filesystem.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{
    Cleanup, cleanup_for, enabled, free_port, init_printing_with, inspect, run, step_log, tail,
    text, wait_for,
};
use crate::support::Fixture;

/// The arm64 runtime image, as `scripts/e2e-env.sh` builds it (from Debian's arm64
/// packages), and the upstream name the generated Dockerfile uses.
const ARM64_RUNTIME: (&str, &str) = (
    "dockerize-e2e/arm64/gcr.io/distroless/cc-debian13:nonroot",
    "gcr.io/distroless/cc-debian13:nonroot",
);

/// While alive, the upstream runtime name points at the arm64 stand-in (the engine's image
/// store holds one platform per name); dropped, it points at the amd64 one again.
struct Arm64Runtime {
    amd64_id: String,
}

impl Arm64Runtime {
    fn tag(dir: &Path) -> Self {
        let (arm64, upstream) = ARM64_RUNTIME;
        assert_eq!(
            inspect(arm64, "{{.Architecture}}"),
            "arm64",
            "{arm64} is missing: run scripts/e2e-env.sh"
        );
        let amd64_id = inspect(upstream, "{{.Id}}");
        assert_eq!(inspect(upstream, "{{.Architecture}}"), "amd64");
        run(dir, "docker", &["tag", arm64, upstream], &[]);
        Arm64Runtime { amd64_id }
    }
}

impl Drop for Arm64Runtime {
    fn drop(&mut self) {
        let _ = Command::new("docker")
            .args(["tag", &self.amd64_id, ARM64_RUNTIME.1])
            .output();
    }
}

/// `docker buildx build --platform linux/arm64 --target production --load`; its log and time.
fn build_arm64(dir: &Path, tag: &str) -> (String, Duration) {
    // No binfmt_misc here: a RUN step for arm64 could not execute, so a finished build
    // proves every compiling step ran on the build platform.
    assert!(
        !Path::new("/proc/sys/fs/binfmt_misc/qemu-aarch64").exists(),
        "binfmt_misc runs arm64 binaries here: the build would not prove cross-compilation"
    );
    let runtime = Arm64Runtime::tag(dir);
    let start = Instant::now();
    let out = run(
        dir,
        "docker",
        &[
            "buildx",
            "build",
            "--progress=plain",
            "--platform",
            "linux/arm64",
            "--target",
            "production",
            "--load",
            "-t",
            tag,
            ".",
        ],
        &[],
    );
    let took = start.elapsed();
    drop(runtime);
    assert_eq!(inspect(ARM64_RUNTIME.1, "{{.Architecture}}"), "amd64");
    (text(&out), took)
}

/// The image's root filesystem, exported into `dir/rootfs`.
fn export_rootfs(dir: &Path, image: &str) -> std::path::PathBuf {
    let root = dir.join("rootfs");
    std::fs::create_dir_all(&root).unwrap();
    let created = run(
        dir,
        "docker",
        &["create", "--platform", "linux/arm64", image],
        &[],
    );
    let id = String::from_utf8_lossy(&created.stdout).trim().to_string();
    let tar = dir.join("rootfs.tar");
    run(
        dir,
        "docker",
        &["export", "-o", tar.to_str().unwrap(), &id],
        &[],
    );
    run(dir, "docker", &["rm", &id], &[]);
    run(
        dir,
        "tar",
        &["-xf", tar.to_str().unwrap(), "-C", root.to_str().unwrap()],
        &[],
    );
    root
}

/// ELF machine 183 (EM_AARCH64).
fn assert_aarch64(binary: &Path) {
    let elf = std::fs::read(binary).unwrap();
    assert_eq!(&elf[..4], b"\x7fELF", "{} is not ELF", binary.display());
    assert_eq!(
        u16::from_le_bytes([elf[18], elf[19]]),
        183,
        "{} is not an aarch64 binary",
        binary.display()
    );
}

/// The binary run by qemu-user with the image's root filesystem as its library root.
struct Emulated(Child);

impl Drop for Emulated {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `/usr/local/bin/<bin>` of `root` under `qemu-aarch64-static` with `PORT`, as the
/// image's user would (its working directory, its environment), and waits for `want`.
fn serve_emulated(root: &Path, bin: &str, port_env: &str, want: &str) {
    let port = free_port();
    let log = root.join(format!("../{bin}-qemu.log"));
    let child = Command::new("qemu-aarch64-static")
        .args(["-L", root.to_str().unwrap()])
        .arg(root.join("usr/local/bin").join(bin))
        .current_dir(root.join("app"))
        .env_clear()
        .env(port_env, port.to_string())
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .expect("qemu-aarch64-static (scripts/e2e-env.sh installs qemu-user-static)");
    let _running = Emulated(child);
    let took = wait_for(port, "/", want, Duration::from_secs(60), || {
        std::fs::read_to_string(&log).unwrap_or_default()
    });
    eprintln!("{bin} (aarch64, under qemu-user) answered {took:.1?} after start");
}

/// The arm64 cross stage ran, and the release build used the arm64 target cache.
fn cross_steps_ran(log: &str) {
    assert!(
        log.contains("[cross-arm64 "),
        "the cross stage for arm64 did not run:\n{}",
        tail(log, 60)
    );
    assert!(
        step_log(log, "cargo auditable build").contains("-target-release-arm64,"),
        "the arm64 build has its own target cache"
    );
}

/// `fixture` initialised for both platforms, its production image built for linux/arm64
/// (the cross stage and the release build on the build platform, with the arm64 target
/// cache), and `bin` from the image's exported root filesystem answering `want` under
/// qemu-user. `check` sees the Dockerfile before the build.
fn cross_build_and_serve(fixture: &str, bin: &str, want: &str, check: impl Fn(&str)) {
    let fx = Fixture::new(fixture);
    let mut cleanup: Cleanup = cleanup_for(&fx);
    init_printing_with(&fx, &["--platforms", "linux/amd64,linux/arm64"]);
    let dockerfile = fx.read("Dockerfile");
    assert!(dockerfile.contains("FROM --platform=$BUILDPLATFORM ${RUST_IMAGE} AS rust-tools"));
    assert!(dockerfile.contains("FROM cross-${TARGETARCH} AS cross"));
    check(&dockerfile);
    let image = format!("e2e-{fixture}-arm64-{}:e2e", std::process::id());
    cleanup.images.push(image.clone());
    let (log, took) = build_arm64(fx.path(), &image);
    eprintln!("{fixture} production for linux/arm64 (cross-compiled): {took:.1?}");
    cross_steps_ran(&log);
    assert_eq!(inspect(&image, "{{.Architecture}}"), "arm64");
    assert_eq!(inspect(&image, "{{.Config.User}}"), "65532:65532");

    let root = export_rootfs(fx.path(), &image);
    assert_aarch64(&root.join("usr/local/bin").join(bin));
    serve_emulated(&root, bin, "PORT", want);
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn the_sample_workspace_cross_compiles_for_arm64_and_answers_under_qemu() {
    if !enabled("the_sample_workspace_cross_compiles_for_arm64_and_answers_under_qemu") {
        return;
    }
    cross_build_and_serve("shop", "shop", "shop v1", |_| {});
}

#[test]
#[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
fn openssl_sys_cross_compiles_for_arm64_against_the_arm64_libssl() {
    if !enabled("openssl_sys_cross_compiles_for_arm64_against_the_arm64_libssl") {
        return;
    }
    // The answer comes from the arm64 libssl of the runtime image, loaded at start.
    cross_build_and_serve(
        "tlsversion",
        "tlsversion",
        "linked against OpenSSL 3.",
        |dockerfile| {
            assert!(
                dockerfile.contains("gcc-aarch64-linux-gnu libc6-dev-arm64-cross libssl-dev:arm64"),
                "the arm64 OpenSSL headers and pkg-config file"
            );
        },
    );
}
