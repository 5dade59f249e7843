use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(fairscan::cli::run())
}
