#[amplify_runtime::backend(region = "eu-west-1")]
mod backend {}
fn main() {}
