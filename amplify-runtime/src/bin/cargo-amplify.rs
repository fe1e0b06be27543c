//! `cargo amplify`: see `amplify_runtime::cli`.

fn main() -> std::process::ExitCode {
    amplify_runtime::cli::main()
}
