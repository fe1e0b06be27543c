// Each mistake in a schema's `@model` types is one error naming its line and column.

#[amplify_runtime::backend]
mod mistakes_in_models {
    #[api(schema = "../../../../amplify-macros/tests/ui/model-mistakes.graphql", auth = api_key)]
    pub struct Api;
}

fn main() {}
