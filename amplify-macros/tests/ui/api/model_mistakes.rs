// One mistake per backend module.

#[amplify_runtime::backend]
mod owner_rule_without_user_pool_auth {
    #[api(schema = "../../../../amplify-macros/tests/ui/model-mistakes.graphql", auth = api_key)]
    pub struct Api;
}

fn main() {}
