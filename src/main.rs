//! Entry point: parse the command line, run it, report the error, exit.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cargo_dockerize::cli::parse();
    let ui = cargo_dockerize::ui::Ui::new(&cli.global);
    match cargo_dockerize::run(cli, &ui) {
        Ok(code) => code,
        Err(err) => {
            ui.error(&err);
            ExitCode::from(err.exit_code())
        }
    }
}
