//! The commands, composing workspace -> detection -> config -> render -> output.

pub mod check;
pub mod init;
mod output;
mod resolve;
pub mod update;
