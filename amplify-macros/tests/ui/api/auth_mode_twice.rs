#[amplify_runtime::backend]
mod backend {
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", additional_auth = [iam, iam])]
    pub struct Api;
}

fn main() {}
