#[amplify_runtime::backend]
mod backend {
    #[api(schema = "../../../../amplify-macros/tests/ui/broken.graphql")]
    pub struct Api;
}
fn main() {}
