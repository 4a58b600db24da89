//! `cargo dockerize answers`: each answer's value and where it came from; writes nothing.

use crate::cli::AnswersArgs;
use crate::config::{Answers, BinAnswers, Config, DEFAULTS, Layer, Source};
use crate::detect::Role;
use crate::error::Result;
use crate::lock::Lock;
use crate::ops::{flags, resolve};
use crate::ui::{Report, Ui};

/// Resolves the answers as `init` would with the same flags (the Rust version as `update`
/// keeps it) and lists every value with its source, one `key = value   (source)` line each.
pub fn run(args: &AnswersArgs, ui: &Ui) -> Result<Report> {
    let flags = flags::layer(&args.answers, &[])?;
    let resolved = resolve::load_given(args.manifest_path.as_deref(), flags, ui)?;
    let lock = Lock::read(&resolved.ws.root)?;
    let answers = resolved.layers.answered();
    let config = resolved.config_keeping_rust(&answers, lock.as_ref())?;
    let rust_from_lock = lock.is_some() && !resolved.facts.rust.pinned_by_toolchain();
    let detected = Layer::new(detected(&config), |key| {
        if key == "rust-version" && rust_from_lock {
            Source::Locked
        } else {
            Source::Detected
        }
    });
    let lines: Vec<(String, Source)> = resolved
        .layers
        .values_over(&detected)
        .into_iter()
        .map(|(key, value, source)| (format!("{key} = {value}"), source))
        .collect();
    let width = lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    let mut out = Report::default();
    for (line, source) in lines {
        out.text(format!("{line:width$}   ({source})"));
    }
    Ok(out)
}

/// What the configuration resolved the unanswered keys to, as answers; the defaults left out.
fn detected(config: &Config) -> Answers {
    let mut answers = Answers {
        bins: Some(config.bins.iter().map(|b| b.name.clone()).collect()),
        runtime: Some(config.images.runtime).filter(|r| *r != DEFAULTS.runtime),
        rust_version: Some(config.images.rust_version.clone()),
        registry: Some(config.registry.clone()),
        image_prefix: Some(config.project.clone()),
        services: Some(config.services.iter().map(|s| s.name.clone()).collect()),
        features: Some(config.build.features.clone()).filter(|f| !f.is_empty()),
        runtime_files: Some(config.images.runtime_files.clone()),
        ..Answers::default()
    };
    for (i, bin) in config.bins.iter().enumerate() {
        let server = bin.role == Role::Server;
        if i == 0 && server {
            answers.port = Some(bin.port);
        }
        answers.bin.insert(
            bin.name.clone(),
            BinAnswers {
                port: Some(bin.port).filter(|_| server && i > 0),
                role: Some(bin.role),
                args: Some(bin.args.clone()).filter(|a| !a.is_empty()),
            },
        );
    }
    answers
}
