//! What detection found, in a few status lines shown before any question.

use super::report::{Report, Tone};
use crate::detect::Facts;

/// The detected binaries, services (with the crates that implied them), system packages,
/// port guess and Rust version; `has_lockfile` adds a warning when Cargo.lock is missing.
pub fn summary(facts: &Facts, has_lockfile: bool) -> Report {
    let mut out = Report::default();
    let detected = |out: &mut Report, text: String| out.status("Detected", Tone::Note, text);
    let bins: Vec<&str> = facts.bins.iter().map(|b| b.name.as_str()).collect();
    let noun = if bins.len() == 1 {
        "binary"
    } else {
        "binaries"
    };
    detected(&mut out, format!("{noun}: {}", bins.join(", ")));
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
        detected(
            &mut out,
            format!(
                "system packages for {}: build {}; run {}",
                packages.crates.join(", "),
                list(&packages.build),
                list(&packages.runtime)
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
    let why = match &facts.port.framework {
        Some(f) => format!("{f}'s default"),
        None => "no web framework found; a common default".into(),
    };
    detected(&mut out, format!("port {} ({why})", facts.port.port));
    detected(
        &mut out,
        format!("Rust {} (from {})", facts.rust.version, facts.rust.source),
    );
    for bind in &facts.loopback_binds {
        out.status(
            "Warning",
            Tone::Warn,
            format!(
                "{}:{} binds to the loopback address, which nothing outside the container reaches; bind 0.0.0.0 (or [::]) instead: {}",
                bind.file, bind.line, bind.text
            ),
        );
    }
    if !has_lockfile {
        out.status(
            "Warning",
            Tone::Warn,
            "no Cargo.lock: builds are not reproducible until you commit one (`cargo generate-lockfile`)",
        );
    }
    out
}
