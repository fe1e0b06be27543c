#[amplify_runtime::backend]
mod key_not_type_field {
    #[function(runtime = rust(package = "f"))]
    pub struct F;
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", data_sources = [F], resolvers(listPosts = F))]
    pub struct Api;
}

#[amplify_runtime::backend]
mod two_resolvers {
    #[function(runtime = rust(package = "f"))]
    pub struct F;
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", data_sources = [F], resolvers(Query::listPosts = F, Query::listPosts = F))]
    pub struct Api;
}

#[amplify_runtime::backend]
mod function_with_code {
    #[function(runtime = rust(package = "f"))]
    pub struct F;
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", data_sources = [F], resolvers(Query::listPosts = F(code = "../../../../amplify-macros/tests/ui/getPost.js")))]
    pub struct Api;
}

#[amplify_runtime::backend]
mod unreadable_code {
    #[table(partition_key = id: string)]
    pub struct Posts;
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", data_sources = [Posts], resolvers(Query::getPost = Posts(code = "missing.js")))]
    pub struct Api;
}

#[amplify_runtime::backend]
mod resolver_option_unknown {
    #[table(partition_key = id: string)]
    pub struct Posts;
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", data_sources = [Posts], resolvers(Query::getPost = Posts(cod = "../../../../amplify-macros/tests/ui/getPost.js")))]
    pub struct Api;
}

#[amplify_runtime::backend]
mod target_as_string {
    #[function(runtime = rust(package = "f"))]
    pub struct F;
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", data_sources = [F], resolvers(Query::listPosts = "F"))]
    pub struct Api;
}

#[amplify_runtime::backend]
mod data_source_twice {
    #[function(runtime = rust(package = "f"))]
    pub struct F;
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", data_sources = [F, F])]
    pub struct Api;
}

#[amplify_runtime::backend]
mod data_source_as_string {
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", data_sources = ["F"])]
    pub struct Api;
}

#[amplify_runtime::backend]
mod data_source_missing {
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", data_sources = [Nowhere])]
    pub struct Api;
}

fn main() {}
