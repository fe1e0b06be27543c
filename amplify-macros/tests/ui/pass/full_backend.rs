#[amplify_runtime::backend]
pub mod backend {
    #[auth(sign_in = [email], groups = [Admins], identity_pool(guest_access = true), mfa = optional(totp))]
    pub struct Auth;

    #[table(partition_key = id: string, index(name = byTitle, partition_key = title: string))]
    pub struct Posts;

    #[function(runtime = rust(package = "posts-fn"), grant(Posts = [read, write]), env(MODE = "fast"))]
    pub struct PostsFn;

    #[api(
        schema = "../../../../amplify-macros/tests/ui/schema.graphql",
        auth = api_key(expires_in_days = 30),
        additional_auth = [user_pool(Auth), iam],
        data_sources = [PostsFn, Posts],
        resolvers(
            Query::listPosts = PostsFn,
            Mutation::createPost = PostsFn,
            Query::getPost = Posts(code = "../../../../amplify-macros/tests/ui/getPost.js"),
        ),
    )]
    pub struct Api;

    #[bucket(authenticated = [read, write], guest = [read], groups(Admins = [read, write, delete]))]
    pub struct Photos;

    /// Items that are not resources stay as written.
    pub fn helper() -> u32 {
        1
    }
}

fn main() {
    assert_eq!(backend::Posts::RESOURCE_NAME, "Posts");
    assert_eq!(backend::Posts::CATEGORY, "storage");
    assert_eq!(backend::helper(), 1);
    // Accessors exist for what each resource has; without an amplify build script
    // nothing is embedded, which they say instead of returning empty strings.
    let err = backend::Posts::table_name().unwrap_err();
    assert_eq!(err, amplify_runtime::ConfigError::NotConfigured);
    assert!(backend::Photos::bucket_name().is_err());
    assert!(backend::Api::api_key().is_err());
    assert!(backend::Auth::identity_pool_id().is_err());
    assert!(backend::outputs().is_err());
}
