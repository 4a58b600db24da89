//! Questions about the production image: its runtime base and where it is pushed.

use dialoguer::{Input, Select, theme::Theme};

use super::{Detected, interrupted};
use crate::config::{self, Answers, Runtime};
use crate::error::Result;

/// The runtimes offered, each with its trade-off in one line.
const RUNTIMES: [(Runtime, &str); 3] = [
    (
        Runtime::Distroless,
        "distroless cc   glibc and libssl, no shell: small, little to attack",
    ),
    (
        Runtime::Static,
        "static (musl)   smallest; no libc, C dependencies must build for musl",
    ),
    (
        Runtime::Debian,
        "debian-slim     shell and apt, for libraries distroless lacks; bigger",
    ),
];

/// The production runtime.
pub fn runtime(theme: &dyn Theme, current: &Answers, detected: &Detected) -> Result<Runtime> {
    let start = current.runtime.unwrap_or(detected.runtime);
    let index = Select::with_theme(theme)
        .with_prompt("Production runtime image")
        .items(RUNTIMES.iter().map(|(_, text)| *text))
        .default(RUNTIMES.iter().position(|(r, _)| *r == start).unwrap_or(0))
        .interact()
        .map_err(interrupted)?;
    Ok(RUNTIMES[index].0)
}

/// The registry the images are pushed to (each image is named after its binary).
pub fn registry(
    theme: &dyn Theme,
    bins: &[String],
    current: &Answers,
    detected: &Detected,
) -> Result<String> {
    let images: Vec<String> = bins.iter().map(|b| format!("<registry>/{b}")).collect();
    let answer: String = Input::with_theme(theme)
        .with_prompt(format!("Registry (images: {})", images.join(", ")))
        .default(
            current
                .registry
                .clone()
                .unwrap_or_else(|| detected.registry.clone()),
        )
        .validate_with(|r: &String| config::validate_registry(r.trim()))
        .interact_text()
        .map_err(interrupted)?;
    Ok(answer.trim().to_string())
}
