//! The `piimap` binary: parses arguments and hands over to [`cli::run`].

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A panic message can quote the text being scanned (a string slicing
    // panic shows the string), so only the location is ever printed. The
    // scan catches the panic and reports the file as an error entry. A
    // third-party parser's panic on a corrupt file is that file's error
    // entry alone: nothing is printed.
    std::panic::set_hook(Box::new(|info| {
        if piimap::read::in_guarded_parser() {
            return;
        }
        let at =
            info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("piimap: internal error{at} (details withheld: they may quote personal data)");
    }));
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // A closed pipe (`piimap scan | head`) is not an error.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("piimap: error: {err:#}");
            ExitCode::from(cli::EXIT_ERROR)
        }
    }
}
