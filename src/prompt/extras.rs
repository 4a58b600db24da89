//! Questions about what comes with the images: platforms, backing services, run-time folders, the CI workflow, the Makefile, deploy targets.

use dialoguer::{Confirm, MultiSelect, theme::Theme};

use super::{Detected, interrupted};
use crate::config::{Answers, DeployTarget, Platform, Runtime};
use crate::detect::{Facts, ServiceKind};
use crate::error::Result;

/// The backing services run in development, each labelled with the crates that implied it.
pub fn services(
    theme: &dyn Theme,
    facts: &Facts,
    current: &Answers,
    detected: &Detected,
) -> Result<Vec<String>> {
    let kinds = ServiceKind::ALL;
    let chosen = current
        .services
        .clone()
        .unwrap_or_else(|| detected.services.clone());
    let labels: Vec<String> = kinds
        .iter()
        .map(|k| match facts.services.iter().find(|s| s.kind == *k) {
            Some(s) => format!("{} (used by {})", k.name(), s.crates.join(", ")),
            None => k.name().to_string(),
        })
        .collect();
    let picked = MultiSelect::with_theme(theme)
        .with_prompt("Backing services for development (space toggles, enter accepts)")
        .items(&labels)
        .defaults(&kinds.map(|k| chosen.iter().any(|c| c == k.name())))
        .interact()
        .map_err(interrupted)?;
    Ok(picked
        .into_iter()
        .map(|i| kinds[i].name().to_string())
        .collect())
}

/// The folders copied into the production images, asked only when the workspace has any
/// of the usual run-time folders (or an answer names some).
pub fn runtime_files(
    theme: &dyn Theme,
    facts: &Facts,
    current: &Answers,
    detected: &Detected,
) -> Result<Vec<String>> {
    let chosen = current
        .runtime_files
        .clone()
        .unwrap_or_else(|| detected.runtime_files.clone());
    let found = &facts.runtime_files;
    let mut dirs: Vec<String> = found.dirs.clone();
    let mut labels: Vec<String> = found.dirs.iter().map(|d| format!("{d}/")).collect();
    for (dir, why) in &found.left_out {
        dirs.push(dir.clone());
        labels.push(format!("{dir}/ ({why})"));
    }
    for dir in &chosen {
        if !dirs.contains(dir) {
            dirs.push(dir.clone());
            labels.push(format!("{dir}/"));
        }
    }
    if dirs.is_empty() {
        return Ok(chosen);
    }
    let picked = MultiSelect::with_theme(theme)
        .with_prompt("Folders the app reads at run time, copied to /app in the images")
        .items(&labels)
        .defaults(&dirs.iter().map(|d| chosen.contains(d)).collect::<Vec<_>>())
        .interact()
        .map_err(interrupted)?;
    Ok(picked.into_iter().map(|i| dirs[i].clone()).collect())
}

/// A yes/no question defaulting to the current answer (stored, given or built in).
pub fn confirm(theme: &dyn Theme, prompt: &str, current: bool) -> Result<bool> {
    Confirm::with_theme(theme)
        .with_prompt(prompt)
        .default(current)
        .interact()
        .map_err(interrupted)
}

/// Which of a feature choice's options to build with (the build fails without one).
pub fn feature(choice: &crate::detect::FeatureChoice) -> Result<String> {
    let _asking = super::interrupt::Asking::start();
    let theme = dialoguer::theme::ColorfulTheme::default();
    let picked = dialoguer::Select::with_theme(&theme)
        .with_prompt(format!(
            "`{}` builds only with one of these features ({})",
            choice.package, choice.evidence
        ))
        .items(choice.described())
        .default(0)
        .interact()
        .map_err(super::interrupted)?;
    Ok(choice.options[picked].name.clone())
}

/// Where production runs; at least one target (Compose when none is picked).
pub fn deploy(theme: &dyn Theme, current: &Answers) -> Result<Vec<DeployTarget>> {
    pick_some(
        theme,
        "Where does production run?",
        &DeployTarget::ALL,
        &current.deploy(),
        |t| match t {
            DeployTarget::Compose => "compose     one Docker host (compose.prod.yaml)",
            DeployTarget::Swarm => "swarm       a Docker Swarm stack (deploy/swarm/)",
            DeployTarget::Kubernetes => {
                "kubernetes  kustomize base and overlays (deploy/kubernetes/)"
            }
        },
    )
}

/// The CPU platforms of the production images (not asked for a static runtime, which is
/// built for linux/amd64 only); linux/amd64 when none is picked.
pub fn platforms(theme: &dyn Theme, current: &Answers, runtime: Runtime) -> Result<Vec<Platform>> {
    if runtime == Runtime::Static {
        return Ok(vec![Platform::Amd64]);
    }
    pick_some(
        theme,
        "CPU platforms of the production images",
        &Platform::ALL,
        &current.platforms(),
        |p| match p {
            Platform::Amd64 => "linux/amd64  x86-64 servers",
            Platform::Arm64 => "linux/arm64  Arm servers (Graviton, Ampere), cross-compiled",
        },
    )
}

/// A multiple choice among `all` with `chosen` ticked; the first of `all` when none is picked.
fn pick_some<T: Copy + PartialEq>(
    theme: &dyn Theme,
    question: &str,
    all: &[T],
    chosen: &[T],
    label: impl Fn(T) -> &'static str,
) -> Result<Vec<T>> {
    let defaults: Vec<bool> = all.iter().map(|t| chosen.contains(t)).collect();
    let picked = MultiSelect::with_theme(theme)
        .with_prompt(format!("{question} (space toggles, enter accepts)"))
        .items(all.iter().map(|&t| label(t)))
        .defaults(&defaults)
        .interact()
        .map_err(interrupted)?;
    if picked.is_empty() {
        return Ok(vec![all[0]]);
    }
    Ok(picked.into_iter().map(|i| all[i]).collect())
}
