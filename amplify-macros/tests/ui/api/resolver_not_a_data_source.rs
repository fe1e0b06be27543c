#[amplify_runtime::backend]
mod backend {
    #[function(runtime = rust(package = "f"))]
    pub struct F;
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", resolvers(Query::listPosts = F))]
    pub struct Api;
}
fn main() {}
