//! `cargo dockerize completions SHELL`: the shell completion script, on stdout.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

/// The name completions are registered for: the binary cargo runs.
const BIN: &str = "cargo-dockerize";

/// Writes the completion script for the shell to `out`.
pub fn run(args: &CompletionsArgs, out: &mut dyn std::io::Write) {
    let mut command = Cli::command().bin_name(BIN);
    clap_complete::generate(args.shell, &mut command, BIN, out);
}
