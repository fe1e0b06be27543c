//! The blog backend, declared in Rust.

#[amplify::backend]
pub mod backend {
    /// Blog users sign in with their e-mail address.
    #[auth(
        sign_in = [email],
        required_attributes = [email],
        password(min_length = 10, lowercase, uppercase, numbers, symbols),
        mfa = optional(totp),
        groups = [Admins, Editors],
        identity_pool(guest_access = true),
    )]
    pub struct BlogAuth;

    /// Posts, keyed by id, with an index by author.
    #[table(
        partition_key = id: string,
        index(name = byAuthor, partition_key = author: string),
    )]
    pub struct PostTable;

    /// Resolves `createPost` and `listPosts`.
    #[function(
        runtime = rust(package = "blog-posts-fn"),
        memory = 256,
        timeout = 10,
        env(LOG_LEVEL = "info"),
        grant(PostTable = [read, write]),
    )]
    pub struct PostsFn;

    /// The GraphQL API: the API key reads, signed-in users also write (see the directives
    /// in `schema.graphql`).
    #[api(
        schema = "schema.graphql",
        auth = api_key(expires_in_days = 30),
        additional_auth = [user_pool(BlogAuth)],
        data_sources = [PostsFn, PostTable],
        resolvers(
            Mutation::createPost = PostsFn,
            Query::listPosts = PostsFn,
            Query::getPost = PostTable(code = "resolvers/getPost.js"),
        ),
    )]
    pub struct BlogApi;

    /// Images attached to posts.
    #[bucket(
        authenticated = [read, write, delete],
        guest = [read],
        groups(Admins = [read, write, delete]),
    )]
    pub struct Photos;
}
