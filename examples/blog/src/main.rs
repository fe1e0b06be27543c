//! The blog app, end to end on its deployed backend, with everything it needs read from
//! the typed configuration `cargo amplify push` produced (`amplify_outputs.json`,
//! embedded at build time; `AMPLIFY_OUTPUTS=<file>` points a built binary at another
//! environment):
//!
//! 1. a new user signs up and signs in to the user pool (`BlogAuth`);
//! 2. `createPost` with the user's token: the Rust function `PostsFn` writes the post,
//!    authored by the caller, to `PostTable`;
//! 3. `listPosts` (API key) reads it back through the same function;
//! 4. `getPost` reads it through the table's JS resolver;
//! 5. comments and replies, `@model` types: a second user comments, the author
//!    replies, the API key pages through the post's comments and follows one to its
//!    replies, and the owner rules refuse what they must (see `comments.rs`);
//! 6. a photo goes to the `Photos` bucket and comes back byte for byte.
//!
//! The GraphQL calls are generated from `schema.graphql` (amplify-runtime's `graphql`
//! feature). `--json` prints what was created, for checking it from outside;
//! `blog-example config` only prints where the backend lives.

mod cloud;
mod comments;

use amplify::graphql::Auth;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, AuthFlowType};
use cloud::backend::{self, blog_api::PostInput, BlogApi, BlogAuth, Photos, PostTable, PostsFn};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// A 1×1 PNG: the photo.
const PHOTO: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];
const PASSWORD: &str = "Blog-Passw0rd!";

#[tokio::main]
async fn main() {
    let json = std::env::args().any(|a| a == "--json");
    if std::env::args().nth(1).as_deref() == Some("config") {
        if let Err(e) = print_config() {
            eprintln!("blog-example: {e}");
            std::process::exit(2);
        }
        return;
    }
    let result = round_trip(json).await;
    if let Err(e) = result {
        eprintln!("blog-example: {e}");
        let mut source = e.source();
        while let Some(cause) = source {
            eprintln!("  caused by: {cause}");
            source = cause.source();
        }
        std::process::exit(1);
    }
}

async fn round_trip(json: bool) -> Result<(), Error> {
    let say = |line: String| {
        if !json {
            println!("{line}");
        }
    };
    let outputs = backend::outputs()?;
    say(format!(
        "environment {}: GraphQL at {}",
        outputs.environment().unwrap_or("(not deployed)"),
        BlogApi::endpoint()?
    ));
    let sdk = sdk_config().await;

    let (email, id_token) = sign_up_and_in(&sdk, "reader").await?;
    say(format!(
        "signed up and signed in as {email} (user pool {})",
        BlogAuth::user_pool_id()?
    ));

    let writer = BlogApi::client_with(Auth::UserPool(id_token))?;
    let input = PostInput {
        id: None,
        title: "Hello from Rust".into(),
        content: "Written through AppSync by a Rust Lambda.".into(),
    };
    let post = BlogApi::create_post(&writer, input)
        .await?
        .ok_or("createPost returned no post")?;
    let author = post.author.clone().unwrap_or_default();
    say(format!(
        "createPost  -> post {} \"{}\" by {author}, stored in {}",
        post.id,
        post.title,
        PostTable::table_name()?
    ));

    let reader = BlogApi::client()?;
    let posts: Vec<_> = BlogApi::list_posts(&reader)
        .await?
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect();
    if !posts.iter().any(|p| p.id == post.id) {
        return Err(format!("listPosts did not return post {}", post.id).into());
    }
    say(format!(
        "listPosts   -> {} post(s), the new one among them",
        posts.len()
    ));

    let fetched = BlogApi::get_post(&reader, post.id.clone())
        .await?
        .ok_or_else(|| format!("getPost found no post {}", post.id))?;
    if fetched != post {
        return Err(format!("getPost returned {fetched:?}, not {post:?}").into());
    }
    say(format!(
        "getPost     -> \"{}\" (JS resolver)",
        fetched.title
    ));

    let (_, commenter_token) = sign_up_and_in(&sdk, "commenter").await?;
    let commenter = BlogApi::client_with(Auth::UserPool(commenter_token))?;
    let discussion = comments::round_trip(&post.id, &writer, &commenter, &reader, &say).await?;

    let key = format!("public/photos/{}.png", post.id);
    photo_round_trip(&sdk, &key).await?;
    say(format!(
        "photo       -> {} bytes to s3://{}/{key} and back",
        PHOTO.len(),
        Photos::bucket_name()?
    ));

    if json {
        let summary = serde_json::json!({
            "post": { "id": post.id, "title": post.title, "content": post.content, "author": author },
            "email": email,
            "table": PostTable::table_name()?,
            "bucket": Photos::bucket_name()?,
            "photo_key": key,
            "photo_bytes": PHOTO.len(),
            "comments": discussion.comments,
            "comment_pages": discussion.pages,
            "reply": discussion.reply,
        });
        println!("{summary}");
    }
    Ok(())
}

/// Where the backend lives, from the typed configuration alone.
fn print_config() -> Result<(), amplify::ConfigError> {
    let outputs = backend::outputs()?;
    println!(
        "environment      {}",
        outputs.environment().unwrap_or("(not deployed)")
    );
    println!("user pool        {}", BlogAuth::user_pool_id()?);
    println!("web client       {}", BlogAuth::web_client_id()?);
    println!("identity pool    {}", BlogAuth::identity_pool_id()?);
    println!("graphql endpoint {}", BlogApi::endpoint()?);
    println!("graphql api key  {}", BlogApi::api_key()?);
    println!("posts table      {}", PostTable::table_name()?);
    println!("posts function   {}", PostsFn::function_name()?);
    println!("photos bucket    {}", Photos::bucket_name()?);
    Ok(())
}

/// The AWS SDK's configuration from the environment (credentials, region, and
/// `AWS_ENDPOINT_URL` for a local cloud), with rustls on ring.
async fn sdk_config() -> aws_config::SdkConfig {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest()).http_client(http);
    // The local cloud the backend was pushed to (`cargo amplify local`), unless
    // AWS_ENDPOINT_URL names an endpoint itself.
    let local_cloud = backend::outputs().ok().and_then(|o| o.local_cloud());
    if let (None, Some(url)) = (std::env::var_os("AWS_ENDPOINT_URL"), local_cloud) {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

/// A fresh user: sign-up, confirmation (as the account's administrator would; a real
/// user confirms with the code Cognito e-mails), sign-in. Returns the e-mail and the
/// ID token.
async fn sign_up_and_in(sdk: &aws_config::SdkConfig, who: &str) -> Result<(String, String), Error> {
    let cognito = aws_sdk_cognitoidentityprovider::Client::new(sdk);
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_nanos();
    let email = format!("{who}-{nonce}@example.com");
    // The native client: it allows USER_PASSWORD_AUTH (the web client keeps to SRP).
    let client_id = BlogAuth::native_client_id()?;
    cognito
        .sign_up()
        .client_id(client_id)
        .username(&email)
        .password(PASSWORD)
        .user_attributes(
            AttributeType::builder()
                .name("email")
                .value(&email)
                .build()?,
        )
        .send()
        .await?;
    cognito
        .admin_confirm_sign_up()
        .user_pool_id(BlogAuth::user_pool_id()?)
        .username(&email)
        .send()
        .await?;
    let signed_in = cognito
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", &email)
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await?;
    let token = signed_in
        .authentication_result()
        .and_then(|r| r.id_token())
        .ok_or("sign-in returned no ID token")?;
    Ok((email, token.to_owned()))
}

async fn photo_round_trip(sdk: &aws_config::SdkConfig, key: &str) -> Result<(), Error> {
    // A local cloud serves buckets by path, not by host name.
    let local = std::env::var_os("AWS_ENDPOINT_URL").is_some();
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(sdk)
            .force_path_style(local)
            .build(),
    );
    let bucket = Photos::bucket_name()?;
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .content_type("image/png")
        .body(PHOTO.to_vec().into())
        .send()
        .await?;
    let back = s3
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await?
        .body
        .collect()
        .await?
        .into_bytes();
    if back.as_ref() != PHOTO {
        return Err(format!("s3://{bucket}/{key} came back changed").into());
    }
    Ok(())
}
