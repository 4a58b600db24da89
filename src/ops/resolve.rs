//! Shared first half of every command: load the workspace, check it can be built, read the answers, detect, resolve.

use std::path::Path;

use crate::config::{self, Answers, Config};
use crate::detect::{self, Facts};
use crate::error::{Error, Result};
use crate::existing;
use crate::manifest::Manifest;
use crate::ui::Ui;
use crate::workspace::{self, Workspace};

/// The workspace with what was read and derived from it.
pub struct Resolved {
    pub ws: Workspace,
    pub manifest: Manifest,
    pub stored: Answers,
    pub facts: Facts,
}

/// Loads and detects; changes no file. A spinner runs meanwhile on a terminal.
pub fn load(manifest_path: Option<&Path>, ui: &Ui) -> Result<Resolved> {
    let log = |line: &str| ui.verbose("Running", &format!("`{line}`"));
    let ws = ui.spin("Reading the workspace (cargo metadata)", || {
        workspace::load(manifest_path, &log)
    })?;
    detect::context::check(&ws)?;
    let manifest = Manifest::read(&ws.root_manifest)?;
    let stored = manifest.answers(&ws.root_manifest)?;
    // A bad `existing-files` answer is reported before anything is asked.
    existing::decide(&stored.existing_files).map_err(|message| Error::Answers {
        path: ws.root_manifest.clone(),
        table: manifest.table.name().into(),
        message: format!("existing-files: {message}"),
    })?;
    let facts = detect::detect(&ws);
    Ok(Resolved {
        ws,
        manifest,
        stored,
        facts,
    })
}

impl Resolved {
    /// The configuration for the given answers.
    pub fn config(&self, answers: &Answers) -> Result<Config> {
        config::resolve(&self.ws, &self.facts, answers)
    }
}
