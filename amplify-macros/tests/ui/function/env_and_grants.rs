#[amplify_runtime::backend]
mod env_bad_name {
    #[function(runtime = rust(package = "f"), env(_HIDDEN = "x"))]
    pub struct F;
}

#[amplify_runtime::backend]
mod env_twice {
    #[function(runtime = rust(package = "f"), env(MODE = "a", MODE = "b"))]
    pub struct F;
}

#[amplify_runtime::backend]
mod env_set_by_us {
    #[function(runtime = rust(package = "f"), env(ENV = "prod"))]
    pub struct F;
}

#[amplify_runtime::backend]
mod env_not_string {
    #[function(runtime = rust(package = "f"), env(PAGES = 40))]
    pub struct F;
}

#[amplify_runtime::backend]
mod env_access_key_value {
    #[function(runtime = rust(package = "f"), env(UPLOADER = "AKIAIOSFODNN7EXAMPLE"))]
    pub struct F;
}

#[amplify_runtime::backend]
mod empty_grant {
    #[function(runtime = rust(package = "f"), grant())]
    pub struct F;
}

#[amplify_runtime::backend]
mod grant_to_itself {
    #[function(runtime = rust(package = "f"), grant(F = [invoke]))]
    pub struct F;
}

#[amplify_runtime::backend]
mod grant_path_target {
    #[table(partition_key = id: string)]
    pub struct T;
    #[function(runtime = rust(package = "f"), grant(T::items = [read]))]
    pub struct F;
}

#[amplify_runtime::backend]
mod grant_permission_as_string {
    #[table(partition_key = id: string)]
    pub struct T;
    #[function(runtime = rust(package = "f"), grant(T = ["read"]))]
    pub struct F;
}

#[amplify_runtime::backend]
mod grant_not_a_list {
    #[table(partition_key = id: string)]
    pub struct T;
    #[function(runtime = rust(package = "f"), grant = T)]
    pub struct F;
}

#[amplify_runtime::backend]
mod function_cycle {
    #[function(runtime = rust(package = "a"), grant(B = [invoke]))]
    pub struct A;
    #[function(runtime = rust(package = "b"), grant(A = [invoke]))]
    pub struct B;
}

#[amplify_runtime::backend]
mod query_without_iam {
    #[function(runtime = rust(package = "f"))]
    pub struct F;
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", data_sources = [F], resolvers(Query::listPosts = F))]
    pub struct Api;
    #[function(runtime = rust(package = "g"), grant(Api = [query]))]
    pub struct Caller;
}

fn main() {}
