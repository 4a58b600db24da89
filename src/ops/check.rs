//! `cargo dockerize check`: compares the lock with the current templates and configuration.

use crate::cli::CheckArgs;
use crate::error::{Error, Result};
use crate::lock::Lock;
use crate::ops::{digests, resolve};
use crate::ui::{Report, Tone, Ui};

/// Ok when the generated files are current; [`Error::Drift`] names what changed.
pub fn run(args: &CheckArgs, ui: &Ui) -> Result<Report> {
    let resolved = resolve::load(args.manifest_path.as_deref(), ui)?;
    let lock = Lock::read(&resolved.ws.root)?
        .ok_or_else(|| Error::NotInitialized(format!("in {}", resolved.ws.root.display())))?;
    let mut config = resolved.config_keeping_rust(resolved.stored(), Some(&lock))?;
    digests::pin(
        &mut config,
        digests::Source::Lock(&lock.config.image_digests),
    )?;
    let drift = lock.drift(&config, resolved.preset.as_ref());
    if drift.is_empty() {
        let mut out = Report::default();
        out.status(
            "Checked",
            Tone::Good,
            format!(
                "the generated files are current (template set {})",
                lock.template_version
            ),
        );
        Ok(out)
    } else {
        Err(Error::Drift(drift))
    }
}
