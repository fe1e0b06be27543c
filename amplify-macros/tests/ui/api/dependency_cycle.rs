#[amplify_runtime::backend]
mod backend {
    #[function(runtime = rust(package = "f"), grant(Api = [query]))]
    pub struct Resolver;
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", data_sources = [Resolver], resolvers(Query::listPosts = Resolver))]
    pub struct Api;
}
fn main() {}
