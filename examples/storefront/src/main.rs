//! The storefront app: prints where its site is served from and where order alerts go,
//! through the typed accessors of the configuration `cargo amplify publish` produced.

mod cloud;

use amplify::ConfigError;
use cloud::backend::{Alerts, Clicks, Storefront};

fn main() {
    if let Err(e) = print_config() {
        eprintln!("storefront-example: {e}");
        std::process::exit(2);
    }
}

fn print_config() -> Result<(), ConfigError> {
    println!("site url         {}", Storefront::url()?);
    println!("site bucket      {}", Storefront::bucket_name()?);
    println!("distribution     {}", Storefront::distribution_id()?);
    println!("alerts topic     {}", Alerts::topic_arn()?);
    println!("clicks stream    {}", Clicks::stream_name()?);
    Ok(())
}
