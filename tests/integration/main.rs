//! Integration tests: the binary run on fixture workspaces copied to temporary directories.

mod answers;
mod app_settings;
mod bad_input;
mod check;
mod ci_workflow;
mod e2e;
mod existing;
mod git;
mod init;
mod interactive;
mod presets;
mod secrets;
mod shapes;
mod snapshots;
mod support;
mod update;
mod ux;
