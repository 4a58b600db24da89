//! Every question asked on the terminal (dialoguer), each defaulting to the stored or detected value.

mod bins;
mod existing;
mod extras;
mod image;
mod interrupt;
mod settle;

use dialoguer::theme::ColorfulTheme;

pub use existing::{Question, existing};
pub use extras::feature;
pub use settle::{Detected, Prompted, settle};

use crate::config::Answers;
use crate::detect::Facts;
use crate::error::{Error, Result};

/// Asks the questions that have a real choice, starting from `current` (stored answers and
/// flags overlaid); returns the answers to store: see [`settle`].
pub fn ask(facts: &Facts, current: &Answers, detected: &Detected) -> Result<Answers> {
    let _asking = interrupt::Asking::start();
    let theme = ColorfulTheme::default();
    let bins = bins::which(&theme, facts, current)?;
    let roles = bins::roles(&theme, &bins, current, detected)?;
    let ports = bins::ports(&theme, &bins, &roles, current, detected)?;
    let runtime = image::runtime(&theme, current, detected)?;
    let platforms = extras::platforms(&theme, current, runtime)?;
    let services = extras::services(&theme, facts, current, detected)?;
    let runtime_files = extras::runtime_files(&theme, facts, current, detected)?;
    let registry = image::registry(&theme, &bins, current, detected)?;
    let ci = extras::confirm(
        &theme,
        "Generate the CI workflow (.github/workflows/docker.yml)?",
        current.ci(),
    )?;
    let makefile = extras::confirm(&theme, "Generate the Makefile?", current.makefile())?;
    let deploy = extras::deploy(&theme, current)?;
    let prompted = Prompted {
        bins,
        roles,
        ports,
        runtime,
        services,
        registry,
        runtime_files,
        ci,
        makefile,
        deploy,
        platforms,
    };
    Ok(settle(current, &prompted, detected))
}

/// Maps dialoguer's errors: Ctrl-C in raw mode arrives as an `Interrupted` I/O error.
fn interrupted(err: dialoguer::Error) -> Error {
    let dialoguer::Error::IO(io) = err;
    // Put the cursor back: dialoguer hides it while a selection is shown.
    let _ = dialoguer::console::Term::stderr().show_cursor();
    if io.kind() == std::io::ErrorKind::Interrupted {
        interrupt::interrupted_at_a_question();
        Error::Interrupted
    } else {
        Error::io("reading the answer", io)
    }
}
