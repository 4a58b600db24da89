//! Questions about the binaries: which to package, and the port of each.

use dialoguer::{Input, MultiSelect, theme::Theme};

use super::{Detected, interrupted};
use crate::config::Answers;
use crate::detect::Facts;
use crate::error::Result;

/// The binaries to package (asked only when there are several), the primary one first.
pub fn which(theme: &dyn Theme, facts: &Facts, current: &Answers) -> Result<Vec<String>> {
    let names: Vec<String> = facts.bins.iter().map(|b| b.name.clone()).collect();
    if names.len() < 2 {
        return Ok(names);
    }
    let chosen = current.bins.clone().unwrap_or_else(|| names.clone());
    let defaults: Vec<bool> = names.iter().map(|n| chosen.contains(n)).collect();
    loop {
        let picked = MultiSelect::with_theme(theme)
            .with_prompt("Binaries to package (space toggles, enter accepts)")
            .items(&names)
            .defaults(&defaults)
            .interact()
            .map_err(interrupted)?;
        if picked.is_empty() {
            eprintln!("  pick at least one binary");
            continue;
        }
        let mut picked: Vec<String> = picked.into_iter().map(|i| names[i].clone()).collect();
        // Keep the stored order (its first is the primary binary) for those still picked.
        picked.sort_by_key(|n| chosen.iter().position(|c| c == n).unwrap_or(usize::MAX));
        return Ok(picked);
    }
}

/// The port of each packaged binary; the others default to the ports after the primary's.
pub fn ports(
    theme: &dyn Theme,
    bins: &[String],
    current: &Answers,
    detected: &Detected,
) -> Result<Vec<u16>> {
    let mut out: Vec<u16> = Vec::new();
    for (i, name) in bins.iter().enumerate() {
        let stored = current.bin.get(name).and_then(|b| b.port);
        let default = match out.first() {
            None => stored.or(current.port).unwrap_or(detected.port),
            Some(primary) => stored.unwrap_or(primary.saturating_add(i as u16)),
        };
        let prompt = if bins.len() == 1 {
            "Port the server listens on".to_string()
        } else {
            format!("Port of `{name}`")
        };
        let port: u16 = Input::with_theme(theme)
            .with_prompt(prompt)
            .default(default)
            .validate_with(|p: &u16| {
                if *p == 0 {
                    Err("a port from 1 to 65535")
                } else {
                    Ok(())
                }
            })
            .interact_text()
            .map_err(interrupted)?;
        out.push(port);
    }
    Ok(out)
}
