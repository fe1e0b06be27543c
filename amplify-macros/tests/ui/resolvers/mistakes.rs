#[amplify_runtime::resolvers(schema = "does/not/exist.graphql")]
mod missing_schema {}

#[amplify_runtime::resolvers(schema = "../../../../amplify-macros/tests/ui/broken.graphql")]
mod broken_schema {}

#[amplify_runtime::resolvers(shema = "schema.graphql")]
mod misspelt_key {}

#[amplify_runtime::resolvers(schema = "../../../../amplify-macros/tests/ui/schema.graphql")]
mod a_field_the_schema_lacks {
    fn answer(call: Call) {
        match call {
            Call::DeletePost(_) => {}
            _ => {}
        }
    }
}

fn main() {}
