//! Entry point: parse the command line, run it, report the error, exit.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cargo_dockerize::cli::parse();
    match cargo_dockerize::run(cli) {
        Ok(code) => code,
        Err(err) => {
            err.report();
            ExitCode::from(err.exit_code())
        }
    }
}
