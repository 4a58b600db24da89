//! `cargo dockerize check`: compares the lock with the current templates and configuration.

use crate::cli::CheckArgs;
use crate::error::{Error, Result};
use crate::lock::Lock;
use crate::ops::resolve;

/// Ok when the generated files are current; [`Error::Drift`] names what changed.
pub fn run(args: &CheckArgs) -> Result<String> {
    let resolved = resolve::load(args.manifest_path.as_deref())?;
    let lock = Lock::read(&resolved.ws.root)?
        .ok_or_else(|| Error::NotInitialized(format!("in {}", resolved.ws.root.display())))?;
    let config = resolved.config(&resolved.stored)?;
    let drift = lock.drift(&config);
    if drift.is_empty() {
        Ok("The generated files are current.\n".into())
    } else {
        Err(Error::Drift(drift))
    }
}
