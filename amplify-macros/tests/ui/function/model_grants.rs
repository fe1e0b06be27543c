// Grants on a part of a resource (a `@model` type's table): the part must exist and
// take the permission.
#[amplify_runtime::backend]
mod unknown_model {
    #[api(schema = "../../../../amplify-macros/tests/ui/grant-models.graphql", auth = api_key)]
    pub struct Api;
    #[function(runtime = rust(package = "f"), grant(Api::Todos = [read]))]
    pub struct F;
}

#[amplify_runtime::backend]
mod table_permission_on_a_model {
    #[api(schema = "../../../../amplify-macros/tests/ui/grant-models.graphql", auth = api_key)]
    pub struct Api;
    #[function(runtime = rust(package = "f"), grant(Api::Todo = [write]))]
    pub struct F;
}

#[amplify_runtime::backend]
mod a_resource_without_parts {
    #[table(partition_key = id: string)]
    pub struct Notes;
    #[function(runtime = rust(package = "f"), grant(Notes::Todo = [read]))]
    pub struct F;
}

fn main() {}
