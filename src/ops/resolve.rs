//! Shared first half of every command: load the workspace, check it can be built, read the answers, detect, resolve.

use std::path::Path;

use crate::config::{self, Answers, Config, Layer, Layers, Refusal};
use crate::detect::{self, Facts};
use crate::error::{Error, Result};
use crate::lock::{self, Lock};
use crate::manifest::Manifest;
use crate::ops::flags;
use crate::preset::Preset;
use crate::ui::Ui;
use crate::workspace::{self, FeatureSelection, Workspace};

/// The workspace with what was read and derived from it.
pub struct Resolved {
    pub ws: Workspace,
    pub manifest: Manifest,
    /// The answers by layer (defaults, Cargo.toml, flags), each value with its source.
    pub layers: Layers,
    pub facts: Facts,
    /// The team preset the answers name, loaded.
    pub preset: Option<Preset>,
    /// Where the machine's default preset was named, when that is the one used.
    pub preset_default: Option<String>,
}

/// Loads and detects; changes no file. A spinner runs meanwhile on a terminal. The graph is
/// resolved once, for the features the stored answers select, so the services follow the
/// features built.
pub fn load(manifest_path: Option<&Path>, ui: &Ui) -> Result<Resolved> {
    load_given(manifest_path, Layer::empty(), ui)
}

/// [`load`] with the `flags` layer over the stored answers; the graph follows the features
/// they select together.
pub fn load_given(manifest_path: Option<&Path>, flags: Layer, ui: &Ui) -> Result<Resolved> {
    load_with(manifest_path, flags, None, ui)
}

/// [`load_given`]; `default` (a preset source and where it was named) is the preset of a
/// workspace with no lock whose answers name none.
pub fn load_with(
    manifest_path: Option<&Path>,
    mut flags: Layer,
    default: Option<(String, String)>,
    ui: &Ui,
) -> Result<Resolved> {
    let log = |line: &str| ui.verbose("Running", &format!("`{line}`"));
    let start = workspace::start(manifest_path, &log)?;
    let manifest = Manifest::read(&start.root_manifest)?;
    let stored = manifest.answers(&start.root_manifest)?;
    let root = start.root_manifest.parent().unwrap_or(Path::new("."));
    let mut preset_default = None;
    if let Some((source, named_by)) = default.filter(|_| {
        stored.preset.is_none()
            && flags.answers().preset.is_none()
            && !root.join(lock::PATH).exists()
    }) {
        let mut answers = flags.answers().clone();
        answers.preset = Some(source);
        flags = flags::layer_of(answers);
        preset_default = Some(named_by);
    }
    let mut layers = Layers::new(
        stored,
        start.root_manifest.clone(),
        manifest.table.name(),
        flags,
    );
    let preset = match layers.answered().preset {
        Some(source) => Some(Preset::load(&source, root)?),
        None => None,
    };
    if let Some(preset) = &preset {
        layers = layers.with_preset(preset.answers().clone(), &preset.label());
        layers.enforce(&preset.toml.enforce.keys)?;
    }
    let selection = selection(&layers.preset().overlay(layers.answered()));
    let ws = ui
        .spin("Reading the workspace (cargo metadata)", || {
            workspace::load_with(&start, &selection, &log)
        })
        .map_err(|e| features_refused(e, &layers))?;
    detect::context::check(&ws)?;
    let facts = detect::detect(&ws);
    Ok(Resolved {
        ws,
        manifest,
        layers,
        facts,
        preset,
        preset_default,
    })
}

/// cargo refusing the features selected (one no package has): blamed on the answer that
/// selected them, a flag or a Cargo.toml key.
fn features_refused(err: Error, layers: &Layers) -> Error {
    match err {
        Error::Metadata(message)
            if message.contains("feature") && layers.source("features").is_some() =>
        {
            let message = message.trim_start_matches("error: ").to_string();
            layers.refuse(Refusal::new("features", message))
        }
        e => e,
    }
}

/// The feature selection the answers make.
fn selection(answers: &Answers) -> FeatureSelection {
    FeatureSelection {
        features: answers.features.clone().unwrap_or_default(),
        no_default_features: answers.no_default_features(),
    }
}

impl Resolved {
    /// The configuration for `answers` with the Rust version the files were made with (the
    /// lock's) unless an answer moves it or rust-toolchain.toml decides it: another rustc on
    /// this machine is no drift. Without a lock, the local rustc's.
    pub fn config_keeping_rust(&self, answers: &Answers, lock: Option<&Lock>) -> Result<Config> {
        let mut answers = answers.clone();
        if answers.rust_version.is_none() && !self.facts.rust.pinned_by_toolchain() {
            answers.rust_version = lock.map(|l| l.config.rust_version.clone());
        }
        self.config(&answers)
    }

    /// The answers stored in Cargo.toml.
    pub fn stored(&self) -> &Answers {
        self.layers.stored()
    }

    /// The configuration for the given answers; a value refused is reported as coming from
    /// its layer (a flag, a Cargo.toml key).
    pub fn config(&self, answers: &Answers) -> Result<Config> {
        let answers = self.layers.preset().overlay(answers.clone());
        self.check_runtime_files(&answers)?;
        let mut config = config::resolve_from(&self.ws, &self.facts, &answers, &self.layers)?;
        if let Some(preset) = &self.preset {
            preset.mirror(&mut config);
        }
        Ok(config)
    }
}

impl Resolved {
    /// The answered run-time folders exist in the workspace (configuration reads no disk:
    /// the check is made here, and a missing folder is blamed on the flag or key naming it).
    fn check_runtime_files(&self, answers: &Answers) -> Result<()> {
        for entry in answers.runtime_files.iter().flatten() {
            // An entry outside the workspace is refused by the configuration itself.
            let missing =
                config::runtime_dir(entry).is_some_and(|dir| !self.ws.root.join(dir).exists());
            if missing {
                return Err(self.layers.refuse(Refusal::new(
                    "runtime-files",
                    format!(
                        "runtime-files entry `{entry}` does not exist under {}",
                        self.ws.root.display()
                    ),
                )));
            }
        }
        Ok(())
    }
}
