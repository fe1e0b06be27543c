#[amplify_runtime::backend]
mod backend {
    #[bucket]
    pub struct Photos;
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", data_sources = [Photos])]
    pub struct Api;
}
fn main() {}
