//! The jobs app: a queue declared with a third-party category, a function allowed to
//! send to it, and typed accessors for both, read from the configuration that
//! `cargo amplify push` produced.

mod cloud;

use amplify::ConfigError;
use cloud::backend::{Enqueue, Jobs, Priorities};

fn main() {
    if let Err(e) = print_config() {
        eprintln!("jobs-example: {e}");
        std::process::exit(2);
    }
}

fn print_config() -> Result<(), ConfigError> {
    println!("jobs queue url   {}", Jobs::queue_url()?);
    println!("jobs queue arn   {}", Jobs::queue_arn()?);
    println!("dead letters     {}", Jobs::dead_letter_queue_url()?);
    println!("enqueue function {}", Enqueue::function_name()?);
    println!("priorities table {}", Priorities::table_name()?);
    Ok(())
}
