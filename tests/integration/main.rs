//! Integration tests: the binary (and the library in-process) run on fixture workspaces copied to temporary directories.

mod answers;
mod app_settings;
mod bad_input;
mod check;
mod ci_workflow;
mod e2e;
mod existing;
mod git;
mod in_process;
mod init;
mod interactive;
mod kubernetes;
mod presets;
mod secrets;
mod shapes;
mod snapshots;
mod support;
mod update;
mod ux;
