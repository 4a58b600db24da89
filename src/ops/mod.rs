//! The commands, composing workspace -> detection -> config -> render -> output.

pub mod answers;
pub mod check;
pub mod completions;
mod digests;
mod existing;
mod flags;
pub mod init;
mod next;
mod output;
mod resolve;
pub mod update;
