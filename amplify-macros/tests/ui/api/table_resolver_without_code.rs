#[amplify_runtime::backend]
mod backend {
    #[table(partition_key = id: string)]
    pub struct Posts;
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", data_sources = [Posts], resolvers(Query::getPost = Posts))]
    pub struct Api;
}
fn main() {}
