#[amplify_runtime::backend]
pub struct Backend;

fn main() {}
