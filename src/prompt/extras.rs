//! Questions about what comes with the images: backing services, the CI workflow, the Makefile.

use dialoguer::{Confirm, MultiSelect, theme::Theme};

use super::{Detected, interrupted};
use crate::config::Answers;
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

/// A yes/no question defaulting to the stored answer, else yes.
pub fn confirm(theme: &dyn Theme, prompt: &str, current: Option<bool>) -> Result<bool> {
    Confirm::with_theme(theme)
        .with_prompt(prompt)
        .default(current.unwrap_or(true))
        .interact()
        .map_err(interrupted)
}
