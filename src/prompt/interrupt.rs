//! Ctrl-C while questions are asked: the cursor is restored and the process exits 130, writing nothing.
//!
//! console (under dialoguer) raises SIGINT itself when it reads Ctrl-C in raw mode; with a
//! handler installed, dialoguer then returns an `Interrupted` error, which the caller turns
//! into [`crate::Error::Interrupted`]. A SIGINT that arrives between two key reads is
//! handled here directly.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static ASKING: AtomicBool = AtomicBool::new(false);
/// Set when a question returned the Ctrl-C as an error: the caller reports it.
static ANSWERED_BY_ERROR: AtomicBool = AtomicBool::new(false);

/// Records that a question returned a Ctrl-C as an error (see [`ANSWERED_BY_ERROR`]).
pub fn interrupted_at_a_question() {
    ANSWERED_BY_ERROR.store(true, Ordering::SeqCst);
}
static INSTALL: Once = Once::new();

/// Marks the time questions are asked; installs the Ctrl-C handler the first time.
pub struct Asking(());

impl Asking {
    /// Starts asking.
    pub fn start() -> Self {
        INSTALL.call_once(|| {
            // Without a handler, Ctrl-C keeps its default: the process ends at once.
            let _ = ctrlc::set_handler(on_interrupt);
        });
        ASKING.store(true, Ordering::SeqCst);
        Asking(())
    }
}

impl Drop for Asking {
    fn drop(&mut self) {
        ASKING.store(false, Ordering::SeqCst);
    }
}

fn on_interrupt() {
    let _ = dialoguer::console::Term::stderr().show_cursor();
    if ANSWERED_BY_ERROR.load(Ordering::SeqCst) {
        // The question just read the Ctrl-C and its error is on its way to being printed:
        // let the command end by itself rather than cut that message off.
        std::thread::sleep(Duration::from_millis(1000));
    } else if ASKING.load(Ordering::SeqCst) {
        // The question being read reports it as an error and the command ends by itself;
        // this only covers a Ctrl-C that arrived while no key was being read.
        std::thread::sleep(Duration::from_millis(500));
        eprintln!("\ninterrupted: nothing was written");
    }
    std::process::exit(130);
}
