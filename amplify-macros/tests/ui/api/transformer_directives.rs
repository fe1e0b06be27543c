// A schema written for Amplify's GraphQL transformer: each directive is named with its
// line and column, at the schema the declaration names.

#[amplify_runtime::backend]
mod gen1_schema {
    #[api(schema = "../../../../amplify-macros/tests/ui/transformer-schema.graphql")]
    pub struct Api;
}

fn main() {}
