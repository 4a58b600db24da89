//! Every question asked on the terminal (dialoguer), each defaulting to the detected value.

use dialoguer::{Input, MultiSelect, Select, theme::ColorfulTheme};

use crate::config::{Answers, Runtime};
use crate::detect::{Facts, ServiceKind};
use crate::error::{Error, Result};

/// Maps dialoguer's errors: Ctrl-C in raw mode arrives as an `Interrupted` I/O error.
fn interrupted(err: dialoguer::Error) -> Error {
    let dialoguer::Error::IO(io) = err;
    // Put the cursor back: dialoguer hides it while a selection is shown.
    let _ = dialoguer::console::Term::stderr().show_cursor();
    if io.kind() == std::io::ErrorKind::Interrupted {
        Error::Interrupted
    } else {
        Error::io("reading the answer", io)
    }
}

/// Asks what cannot be inferred, starting from `current` (stored answers and flags); returns
/// the answers that differ from the detected defaults.
pub fn ask(facts: &Facts, current: &Answers) -> Result<Answers> {
    let theme = ColorfulTheme::default();
    let mut out = Answers::default();

    let names: Vec<&str> = facts.bins.iter().map(|b| b.name.as_str()).collect();
    if names.len() > 1 {
        let chosen = current
            .bins
            .clone()
            .unwrap_or_else(|| names.iter().map(|s| s.to_string()).collect());
        let defaults: Vec<bool> = names
            .iter()
            .map(|n| chosen.iter().any(|c| c == n))
            .collect();
        let picked = MultiSelect::with_theme(&theme)
            .with_prompt("Binaries to package (space toggles, enter accepts)")
            .items(&names)
            .defaults(&defaults)
            .interact()
            .map_err(interrupted)?;
        let picked: Vec<String> = picked.into_iter().map(|i| names[i].to_string()).collect();
        if picked.len() != names.len() {
            out.bins = Some(picked);
        }
    }

    let detected_port = facts.port.port;
    let port: u16 = Input::with_theme(&theme)
        .with_prompt("Port of the primary binary")
        .default(current.port.unwrap_or(detected_port))
        .interact_text()
        .map_err(interrupted)?;
    if port != detected_port {
        out.port = Some(port);
    }

    let runtimes = [
        (
            Runtime::Distroless,
            "distroless cc: glibc and libssl, no shell; small and safe (default)",
        ),
        (
            Runtime::Static,
            "static: musl binary on distroless static; smallest, slower allocator",
        ),
        (
            Runtime::Debian,
            "debian slim: has apt and a shell; for libraries distroless lacks",
        ),
    ];
    let detected_runtime = if facts.system_packages.missing_from_distroless.is_empty() {
        Runtime::Distroless
    } else {
        Runtime::Debian
    };
    let start = current.runtime.unwrap_or(detected_runtime);
    let index = Select::with_theme(&theme)
        .with_prompt("Production runtime")
        .items(runtimes.iter().map(|(_, text)| *text))
        .default(runtimes.iter().position(|(r, _)| *r == start).unwrap_or(0))
        .interact()
        .map_err(interrupted)?;
    if runtimes[index].0 != detected_runtime {
        out.runtime = Some(runtimes[index].0);
    }

    let kinds = ServiceKind::ALL;
    let detected: Vec<&str> = facts.services.iter().map(|s| s.kind.name()).collect();
    let chosen: Vec<String> = current
        .services
        .clone()
        .unwrap_or_else(|| detected.iter().map(|s| s.to_string()).collect());
    let picked = MultiSelect::with_theme(&theme)
        .with_prompt("Backing services for development")
        .items(kinds.iter().map(|k| k.name()))
        .defaults(&kinds.map(|k| chosen.iter().any(|c| c == k.name())))
        .interact()
        .map_err(interrupted)?;
    let picked: Vec<String> = picked
        .into_iter()
        .map(|i| kinds[i].name().to_string())
        .collect();
    if picked != detected {
        out.services = Some(picked);
    }

    if let Some(registry) = &current.registry {
        let answer: String = Input::with_theme(&theme)
            .with_prompt("Registry (images are <registry>/<bin>)")
            .default(registry.clone())
            .interact_text()
            .map_err(interrupted)?;
        out.registry = Some(answer);
    } else {
        let answer: String = Input::with_theme(&theme)
            .with_prompt("Registry (images are <registry>/<bin>; empty keeps the default)")
            .allow_empty(true)
            .interact_text()
            .map_err(interrupted)?;
        if !answer.trim().is_empty() {
            out.registry = Some(answer.trim().to_string());
        }
    }
    Ok(out)
}
