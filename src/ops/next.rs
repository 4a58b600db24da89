//! The "next steps" block printed after `init` and `update`, worded for where the files went.

use crate::config::Config;
use crate::detect::Role;
use crate::ops::output::{Plan, Style, Target};
use crate::ui::{Report, Tone};

/// Where the files went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered<'a> {
    /// Committed on a review branch, not merged.
    Branch(&'a str),
    /// In the working tree: written (`--no-git`) or merged (`--merge`).
    Workspace,
    /// Nowhere (`--dry-run`); `git` says whether a run would commit on a branch.
    DryRun { git: bool, branch: &'a str },
}

/// What to do next after `cargo dockerize <command>`, as a few commands with a word on each.
pub fn next_steps(delivered: Delivered<'_>, command: &str, config: &Config) -> Report {
    let mut out = Report::default();
    out.heading("Next steps:");
    let mut step = |command: &str, why: &str| out.text(format!("  {command:<32} {why}"));
    match delivered {
        Delivered::DryRun { git, branch } => {
            if git {
                step(
                    &format!("cargo dockerize {command}"),
                    &format!("without --dry-run: commit these files on branch `{branch}`"),
                );
            }
            step(
                &format!("cargo dockerize {command} --no-git"),
                "write them into the workspace instead",
            );
            return out;
        }
        Delivered::Branch(branch) => {
            step(&format!("git show --stat {branch}"), "review what changed");
            step(&format!("git diff HEAD {branch}"), "the full diff");
            step(&format!("git merge {branch}"), "bring it into your branch");
        }
        Delivered::Workspace => {}
    }
    let server = config.bins.iter().find(|b| b.role == Role::Server);
    let tool = config.bins.iter().find(|b| b.role == Role::Tool);
    match (server, tool) {
        (Some(server), _) => step(
            "docker compose up",
            &format!(
                "development stack with hot reload on localhost:{}",
                server.host_port
            ),
        ),
        (None, Some(tool)) => step(
            &format!("docker compose run --rm {} run", tool.name),
            "build and run the tool in the development image",
        ),
        (None, None) => step("docker compose up", "development stack with hot reload"),
    }
    if config.delivery.makefile {
        step(
            "make prod-local",
            "the production image against the development services",
        );
        step("make build", "build the production images");
    } else {
        step(
            "docker build --target production .",
            "build the production image",
        );
    }
    if config
        .delivery
        .deploy
        .contains(&crate::config::DeployTarget::Kubernetes)
    {
        let (secret, keys) = crate::families::kubernetes::secret(config);
        if !keys.is_empty() {
            let keys: Vec<&str> = keys.iter().map(|k| k.var.as_str()).collect();
            out.text(format!(
                "  Kubernetes reads {} from the Secret {secret}, created by hand in each namespace (README.Docker.md)",
                keys.join(", ")
            ));
        }
    }
    out.text("  see README.Docker.md for the rest");
    out
}

/// The report of a dry run: what would change, against what, and how to do it for real.
pub fn dry_run_report(
    plan: &Plan,
    target: &Target,
    branch: &str,
    command: &str,
    config: &Config,
) -> Report {
    let mut out = plan.report(Style::DryRun, true);
    out.status(
        "Dry run",
        Tone::Warn,
        format!("compared with {}; nothing was written", target.describe()),
    );
    out.append(next_steps(
        Delivered::DryRun {
            git: matches!(target, Target::Git(_)),
            branch,
        },
        command,
        config,
    ));
    out
}
