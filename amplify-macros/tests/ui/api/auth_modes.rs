#[amplify_runtime::backend]
mod no_schema {
    #[api]
    pub struct Api;
}

#[amplify_runtime::backend]
mod user_pool_without_name {
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", auth = user_pool)]
    pub struct Api;
}

#[amplify_runtime::backend]
mod iam_with_arguments {
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", auth = iam(strict))]
    pub struct Api;
}

#[amplify_runtime::backend]
mod unknown_mode {
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", auth = cognito)]
    pub struct Api;
}

#[amplify_runtime::backend]
mod key_expiry_too_long {
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", auth = api_key(expires_in_days = 400))]
    pub struct Api;
}

#[amplify_runtime::backend]
mod key_option_unknown {
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", auth = api_key(expires = 30))]
    pub struct Api;
}

#[amplify_runtime::backend]
mod default_repeated {
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", auth = api_key, additional_auth = [api_key])]
    pub struct Api;
}

#[amplify_runtime::backend]
mod mode_as_string {
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", auth = "API_KEY")]
    pub struct Api;
}

#[amplify_runtime::backend]
mod user_pool_missing {
    #[api(schema = "../../../../amplify-macros/tests/ui/schema.graphql", auth = user_pool(Users))]
    pub struct Api;
}

#[amplify_runtime::backend]
mod schema_not_a_string {
    #[api(schema = schema_graphql)]
    pub struct Api;
}

fn main() {}
