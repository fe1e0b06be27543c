//! The blog app: prints where its backend lives, read from the typed configuration that
//! `cargo amplify push` produced (`amplify_outputs.json`, embedded at build time;
//! `AMPLIFY_OUTPUTS=<file>` points a built binary at another environment).

mod cloud;

use amplify::ConfigError;
use cloud::backend::{self, BlogApi, BlogAuth, Photos, PostTable, PostsFn};

fn main() {
    if let Err(e) = print_config() {
        eprintln!("blog-example: {e}");
        std::process::exit(2);
    }
}

fn print_config() -> Result<(), ConfigError> {
    let outputs = backend::outputs()?;
    println!(
        "environment      {}",
        outputs.environment().unwrap_or("(not deployed)")
    );
    println!("user pool        {}", BlogAuth::user_pool_id()?);
    println!("web client       {}", BlogAuth::web_client_id()?);
    println!("identity pool    {}", BlogAuth::identity_pool_id()?);
    println!("graphql endpoint {}", BlogApi::endpoint()?);
    println!("graphql api key  {}", BlogApi::api_key()?);
    println!("posts table      {}", PostTable::table_name()?);
    println!("posts function   {}", PostsFn::function_name()?);
    println!("photos bucket    {}", Photos::bucket_name()?);
    Ok(())
}
