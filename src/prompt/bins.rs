//! Questions about the binaries: which to package, how each runs, and each server's port.

use dialoguer::{Input, MultiSelect, Select, theme::Theme};

use super::{Detected, interrupted};
use crate::config::Answers;
use crate::detect::{Facts, Role};
use crate::error::Result;

/// The binaries to package (asked only when there are several), the primary one first.
pub fn which(theme: &dyn Theme, facts: &Facts, current: &Answers) -> Result<Vec<String>> {
    let names: Vec<String> = facts.bins.iter().map(|b| b.name.clone()).collect();
    if names.len() < 2 {
        return Ok(names);
    }
    let chosen = current.bins.clone().unwrap_or_else(|| {
        (facts.default_bins().iter())
            .map(|b| b.name.clone())
            .collect()
    });
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

/// The role of each packaged binary, defaulting to the stored answer, else the code's.
pub fn roles(
    theme: &dyn Theme,
    bins: &[String],
    current: &Answers,
    detected: &Detected,
) -> Result<Vec<Role>> {
    let mut out = Vec::new();
    for name in bins {
        let default = current
            .bin
            .get(name)
            .and_then(|b| b.role)
            .or_else(|| detected.roles.get(name).copied())
            .unwrap_or_default();
        let items: Vec<&str> = Role::ALL.iter().map(|r| describe(*r)).collect();
        let picked = Select::with_theme(theme)
            .with_prompt(format!("How does `{name}` run?"))
            .items(&items)
            .default(Role::ALL.iter().position(|r| *r == default).unwrap_or(0))
            .interact()
            .map_err(interrupted)?;
        out.push(Role::ALL[picked]);
    }
    Ok(out)
}

/// A role as offered on the terminal.
fn describe(role: Role) -> &'static str {
    match role {
        Role::Server => "server: listens on a port (published)",
        Role::Worker => "worker: long-running, no port (restarted)",
        Role::Tool => "tool: a command that exits (docker compose run --rm)",
        Role::Job => "job: one-shot, e.g. migrations (started on demand)",
    }
}

/// The port of each packaged server (`None` for the other roles), defaulting to the stored
/// answer, else the port its code listens on.
pub fn ports(
    theme: &dyn Theme,
    bins: &[String],
    roles: &[Role],
    current: &Answers,
    detected: &Detected,
) -> Result<Vec<Option<u16>>> {
    let servers = roles.iter().filter(|r| **r == Role::Server).count();
    let mut out = Vec::new();
    for (i, (name, role)) in bins.iter().zip(roles).enumerate() {
        if *role != Role::Server {
            out.push(None);
            continue;
        }
        let stored =
            current
                .bin
                .get(name)
                .and_then(|b| b.port)
                .or(if i == 0 { current.port } else { None });
        let default = stored
            .or_else(|| detected.ports.get(name).copied())
            .unwrap_or(8080);
        let prompt = if servers == 1 {
            format!("Port `{name}` listens on")
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
        out.push(Some(port));
    }
    Ok(out)
}
