//! What detection found, in a few status lines shown before any question.

use super::report::{Report, Tone};
use crate::detect::{BinRun, Evidence, Facts, PortSource};

/// The detected binaries, services (with the crates that implied them), system packages,
/// port guess and Rust version; `has_lockfile` adds a warning when Cargo.lock is missing.
pub fn summary(facts: &Facts, has_lockfile: bool) -> Report {
    let mut out = Report::default();
    let detected = |out: &mut Report, text: String| out.status(DETECTED.0, DETECTED.1, text);
    let warn = |out: &mut Report, text: String| out.status(WARNING.0, WARNING.1, text);
    for bin in &facts.bins {
        let Some(run) = facts.runs.iter().find(|r| r.bin == bin.name) else {
            detected(&mut out, format!("binary {}", bin.name));
            continue;
        };
        detected(&mut out, format!("binary {}", describe_run(run)));
        let required: Vec<String> = run
            .required_env()
            .iter()
            .map(|s| format!("{} ({})", s.var, s.at))
            .collect();
        if !required.is_empty() {
            detected(
                &mut out,
                format!(
                    "{} needs at start: {} (in the env profiles)",
                    bin.name,
                    required.join(", ")
                ),
            );
        }
    }
    for service in &facts.services {
        detected(
            &mut out,
            format!(
                "service {} (from {})",
                service.kind.name(),
                service.crates.join(", ")
            ),
        );
    }
    let packages = &facts.system_packages;
    if !packages.crates.is_empty() {
        let list = |set: &std::collections::BTreeSet<String>| {
            set.iter().cloned().collect::<Vec<_>>().join(" ")
        };
        let run = if packages.runtime.is_empty() {
            String::new()
        } else {
            format!("; run {}", list(&packages.runtime))
        };
        detected(
            &mut out,
            format!(
                "system packages for {}: build {}{run}",
                packages.crates.join(", "),
                list(&packages.build),
            ),
        );
        if !packages.missing_from_distroless.is_empty() {
            detected(
                &mut out,
                format!(
                    "runtime debian-slim: distroless lacks {}",
                    list(&packages.missing_from_distroless)
                ),
            );
        }
    }
    detected(
        &mut out,
        format!("Rust {} (from {})", facts.rust.version, facts.rust.source),
    );
    let config = &facts.cargo_config;
    if !config.linkers.is_empty() {
        detected(
            &mut out,
            format!(
                "linker {} (from {})",
                config.linkers.join(" + "),
                config.files.join(", ")
            ),
        );
    }
    if let Some(target) = &config.build_target {
        detected(
            &mut out,
            format!("build target {target} (from .cargo/config.toml)"),
        );
    }
    naming(&mut out, DETECTED, &config.vendor_dirs, |dirs| {
        format!("vendored sources: {dirs}")
    });
    let scripts = &facts.build_scripts;
    naming(&mut out, DETECTED, &scripts.tools, |tools| {
        format!("build scripts run {tools}")
    });
    naming(&mut out, DETECTED, &facts.runtime_files.dirs, |dirs| {
        format!("run-time files: {dirs} (copied to /app in the images)")
    });
    for (dir, why) in &facts.runtime_files.left_out {
        detected(&mut out, format!("{dir}/ not copied: {why}"));
    }
    for (path, at) in &facts.runtime_files.missing {
        warn(
            &mut out,
            format!(
                "{at} serves `{path}`, which is not in the workspace (built by another tool?), so no image holds it: build it into the image or mount it"
            ),
        );
    }
    let sources = &facts.sources;
    if sources.has_git() {
        let names: Vec<&str> = sources.git.iter().map(|(n, _)| n.as_str()).collect();
        detected(
            &mut out,
            format!(
                "git dependencies: {} (fetched with the git-credentials build secret{})",
                names.join(", "),
                if sources.ssh {
                    " and the ssh agent"
                } else {
                    ""
                }
            ),
        );
    }
    naming(&mut out, DETECTED, &config.outside, |files| {
        format!(
            "cargo settings above the workspace root ({files}): copied to docker/cargo-config.toml, which the images read as $CARGO_HOME/config.toml"
        )
    });
    for path in &config.linker_paths {
        warn(
            &mut out,
            format!(
                "the cargo config names the linker {path}; the builder installs Debian's package, which lives in /usr/bin: name it by its bare name, or add it to the image at that path"
            ),
        );
    }
    naming(&mut out, WARNING, &config.outside_credentials, |keys| {
        format!(
            "left out of docker/cargo-config.toml, as no image may hold them: {keys}; registry tokens reach the build as secrets (README.Docker.md)"
        )
    });
    naming(&mut out, WARNING, &config.outside_vendor_dirs, |dirs| {
        format!(
            "vendored sources {dirs} are outside the Docker build context (the workspace root): the images fetch from the registries instead; vendor inside the workspace to build offline"
        )
    });
    if config.registries.is_empty() {
        naming(&mut out, WARNING, &sources.registries, |registries| {
            format!(
                "dependencies come from {registries}, which no .cargo/config.toml in the workspace names: add its [registries] entry there so the image build can reach it"
            )
        });
    }
    if !facts.sqlx_offline {
        naming(&mut out, WARNING, &facts.sqlx_checked_queries, |crates| {
            format!(
                "{crates} use sqlx's checked query macros but there is no offline data (.sqlx/): the image build stops until you run `cargo sqlx prepare --workspace` against a database and commit .sqlx/"
            )
        });
    }
    let dials = facts.loopback_dials.iter().map(|d| {
        let problem = format!("connects to {}, which inside a container is the container itself: read the address from a variable the profiles set", d.text);
        (d, problem)
    });
    let binds = facts.loopback_binds.iter().map(|b| {
        let problem = format!("binds to the loopback address, which nothing outside the container reaches; bind 0.0.0.0 (or [::]) instead: {}", b.text);
        (b, problem)
    });
    for (at, problem) in dials.chain(binds) {
        warn(&mut out, format!("{}:{} {problem}", at.file, at.line));
    }
    if !has_lockfile {
        warn(&mut out, "no Cargo.lock: builds are not reproducible until you commit one (`cargo generate-lockfile`)".into(),);
    }
    out
}

/// The verb and tone of a line saying what was found.
const DETECTED: (&str, Tone) = ("Detected", Tone::Note);
/// The verb and tone of a line warning of a problem.
const WARNING: (&str, Tone) = ("Warning", Tone::Warn);

/// A status line naming `items` (joined by commas) in `text`, when there are any.
fn naming(
    out: &mut Report,
    (verb, tone): (&str, Tone),
    items: &[String],
    text: impl FnOnce(String) -> String,
) {
    if !items.is_empty() {
        out.status(verb, tone, text(items.join(", ")));
    }
}

/// `api: server on port 8080 set by SERVER_PORT (clap argument, src/main.rs:12); binds ...`.
fn describe_run(run: &BinRun) -> String {
    let mut text = format!("{}: {}", run.bin, run.role.name());
    if !run.args.is_empty() {
        text.push_str(&format!(" as `{} {}`", run.bin, run.args.join(" ")));
    }
    if let Some(port) = &run.port {
        text.push_str(&format!(" on port {}", port.port));
        match &port.env {
            Some(var) => text.push_str(&format!(" set by {var}")),
            None if port.source != PortSource::Assumed => text.push_str(" (no variable sets it)"),
            None => {}
        }
        text.push_str(&format!(" ({})", evidence(&port.evidence)));
    }
    let others: Vec<String> = run
        .env
        .iter()
        .filter(|(k, _)| run.port.as_ref().and_then(|p| p.env.as_ref()) != Some(k))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if !others.is_empty() {
        text.push_str(&format!(", with {}", others.join(" ")));
    }
    text.push_str(&format!("; {}", evidence(&run.role_evidence)));
    if let Some(toolkit) = &run.desktop {
        text.push_str(&format!(
            "; a desktop app (links {toolkit}): not packaged unless the `bins` answer names it"
        ));
    }
    if let Some(health) = &run.health {
        let mut paths: Vec<&str> = [&health.readiness, &health.liveness]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        paths.dedup();
        text.push_str(&format!(
            "; health route {} ({})",
            paths.join(", "),
            health.at
        ));
    }
    text
}

/// `reason (file:line)`, or the reason alone.
fn evidence(e: &Evidence) -> String {
    match &e.at {
        Some(at) => format!("{}, {at}", e.reason),
        None => e.reason.clone(),
    }
}

/// What the app must read on Swarm, where the stack gives it a secret as a file.
pub fn swarm_secrets(config: &crate::config::Config) -> Report {
    let mut out = Report::default();
    for line in crate::families::swarm::app_side_lines(config) {
        out.status("Note", Tone::Note, line);
    }
    out
}
