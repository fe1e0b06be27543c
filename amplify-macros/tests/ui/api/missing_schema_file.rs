#[amplify_runtime::backend]
mod backend {
    #[api(schema = "does/not/exist.graphql")]
    pub struct Api;
}
fn main() {}
