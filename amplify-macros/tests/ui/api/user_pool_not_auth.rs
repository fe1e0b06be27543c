#[amplify_runtime::backend]
mod backend {
    #[table(partition_key = id: string)]
    pub struct Posts;
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", auth = user_pool(Posts))]
    pub struct Api;
}
fn main() {}
