//! Shared first half of every command: load the workspace, check it can be built, read the answers, detect, resolve.

use std::path::Path;

use crate::config::{self, Answers, Config};
use crate::detect::{self, Facts};
use crate::error::{Error, Result};
use crate::existing;
use crate::manifest::Manifest;
use crate::ui::Ui;
use crate::workspace::{self, FeatureSelection, Workspace};

/// The workspace with what was read and derived from it.
pub struct Resolved {
    pub ws: Workspace,
    pub manifest: Manifest,
    pub stored: Answers,
    pub facts: Facts,
}

/// Loads and detects; changes no file. A spinner runs meanwhile on a terminal. The graph is
/// resolved once, for the features the stored answers select, so the services follow the
/// features built.
pub fn load(manifest_path: Option<&Path>, ui: &Ui) -> Result<Resolved> {
    load_given(manifest_path, &Answers::default(), ui)
}

/// [`load`] for the features the stored answers overlaid with `given` (flags) select.
pub fn load_given(manifest_path: Option<&Path>, given: &Answers, ui: &Ui) -> Result<Resolved> {
    let log = |line: &str| ui.verbose("Running", &format!("`{line}`"));
    let start = workspace::start(manifest_path, &log)?;
    let manifest = Manifest::read(&start.root_manifest)?;
    let stored = manifest.answers(&start.root_manifest)?;
    let selection = selection(&stored.clone().overlay(given.clone()));
    let ws = ui.spin("Reading the workspace (cargo metadata)", || {
        workspace::load_with(&start, &selection, &log)
    })?;
    detect::context::check(&ws)?;
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

/// The feature selection the answers make.
fn selection(answers: &Answers) -> FeatureSelection {
    FeatureSelection {
        features: answers.features.clone().unwrap_or_default(),
        no_default_features: answers.no_default_features.unwrap_or(false),
    }
}

impl Resolved {
    /// The configuration for `answers` with the Rust version the files were made with (the
    /// lock's) unless an answer moves it or rust-toolchain.toml decides it: another rustc on
    /// this machine is no drift. Without a lock, the local rustc's.
    pub fn config_keeping_rust(
        &self,
        answers: &Answers,
        locked: Option<&Config>,
    ) -> Result<Config> {
        let mut answers = answers.clone();
        if answers.rust_version.is_none() && !self.facts.rust.pinned_by_toolchain() {
            answers.rust_version = locked.map(|c| c.rust_version.clone());
        }
        self.config(&answers)
    }

    /// The configuration for the given answers.
    pub fn config(&self, answers: &Answers) -> Result<Config> {
        config::resolve(&self.ws, &self.facts, answers).map_err(|e| match e {
            // Named as the user sees it: `[package.metadata.dockerize]` or the workspace's.
            Error::Answers { path, message, .. } => Error::Answers {
                path,
                table: self.manifest.table.name().into(),
                message,
            },
            e => e,
        })
    }
}
