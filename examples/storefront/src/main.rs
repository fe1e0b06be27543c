//! The storefront app, on the configuration `cargo amplify push` produced:
//!
//! - `storefront-example` prints where its site is served from, where order alerts go and
//!   where its APIs are, through the typed accessors;
//! - `storefront-example shop` calls the REST APIs through their typed routes: the open
//!   catalogue, orders refused without a signature and answered with the caller's IAM
//!   credentials (from the environment), and the account API refused without a
//!   user-pool token and answered with a new user's.

mod cloud;

use amplify::rest::{self, Auth, Credentials};
use aws_sdk_cognitoidentityprovider::types::{AttributeType, AuthFlowType};
use cloud::backend::{self, AccountApi, Alerts, Clicks, Orders, ShopApi, ShopAuth, Storefront};

type Error = Box<dyn std::error::Error + Send + Sync>;

const PASSWORD: &str = "Shop-Passw0rd!";

#[tokio::main]
async fn main() {
    let result = match std::env::args().nth(1).as_deref() {
        Some("shop") => shop().await,
        _ => print_config(),
    };
    if let Err(e) = result {
        eprintln!("storefront-example: {e}");
        std::process::exit(2);
    }
}

fn print_config() -> Result<(), Error> {
    println!("site url         {}", Storefront::url()?);
    println!("site bucket      {}", Storefront::bucket_name()?);
    println!("distribution     {}", Storefront::distribution_id()?);
    println!("alerts topic     {}", Alerts::topic_arn()?);
    println!("clicks stream    {}", Clicks::stream_name()?);
    println!("shop api         {}", ShopApi::endpoint()?);
    println!("account api      {}", AccountApi::endpoint()?);
    println!("orders function  {}", Orders::function_name()?);
    Ok(())
}

async fn shop() -> Result<(), Error> {
    let open = ShopApi::client()?;
    let products = ShopApi::products(&open).query("page", "1").get().await?;
    println!("products         {} {}", products.status, products.text());
    let refused = ShopApi::orders(&open).get().await;
    println!("unsigned orders  {}", refusal(refused));

    let signed = open.with_auth(Auth::Iam {
        credentials: env_credentials()?,
        region: open.region().unwrap_or("us-east-1").to_owned(),
    });
    let created = ShopApi::orders(&signed)
        .post(&serde_json::json!({"item": "tea", "quantity": 2}))
        .await?;
    println!("order created    {} {}", created.status, created.text());
    let order = ShopApi::orders_by_id(&signed, "A-17 b").get().await?;
    let order: serde_json::Value = order.json()?;
    println!("order read       {}", order["order"]);

    let account = AccountApi::client()?;
    println!(
        "account no token {}",
        refusal(AccountApi::me(&account).get().await)
    );
    let (email, token) = sign_up_and_in().await?;
    let forged = account.with_auth(Auth::UserPool(forge(&token)));
    println!(
        "account forged   {}",
        refusal(AccountApi::me(&forged).get().await)
    );
    let mine = account.with_auth(Auth::UserPool(token));
    let me: serde_json::Value = AccountApi::me(&mine).get().await?.json()?;
    println!("account caller   {} (signed up as {email})", me["caller"]);
    println!(
        "account delete   {}",
        refusal(AccountApi::me(&mine).delete().await)
    );
    Ok(())
}

/// The status of a call that should have been refused, or what it answered instead.
fn refusal(result: Result<rest::Response, rest::Error>) -> String {
    match result {
        Err(rest::Error::Status { status, .. }) => format!("refused {status}"),
        Err(e) => format!("failed: {e}"),
        Ok(r) => format!("ANSWERED {}: {}", r.status, r.text()),
    }
}

/// A token whose payload was changed after signing: its signature no longer holds.
fn forge(token: &str) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    if let Some(payload) = parts.get_mut(1) {
        let flipped = if payload.ends_with('A') { 'B' } else { 'A' };
        payload.pop();
        payload.push(flipped);
    }
    parts.join(".")
}

/// The app's own IAM credentials, from the environment (a browser app would use the
/// identity pool's credentials of its signed-in user or guest).
fn env_credentials() -> Result<Credentials, Error> {
    let key = std::env::var("AWS_ACCESS_KEY_ID").map_err(|_| "AWS_ACCESS_KEY_ID is not set")?;
    let secret =
        std::env::var("AWS_SECRET_ACCESS_KEY").map_err(|_| "AWS_SECRET_ACCESS_KEY is not set")?;
    let session = std::env::var("AWS_SESSION_TOKEN").ok();
    Ok(Credentials::new(key, secret, session, None, "environment"))
}

/// A fresh user: sign-up, confirmation (as the shop's administrator would), sign-in.
/// Returns the e-mail and the ID token.
async fn sign_up_and_in() -> Result<(String, String), Error> {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest()).http_client(http);
    let local_cloud = backend::outputs().ok().and_then(|o| o.local_cloud());
    if let (None, Some(url)) = (std::env::var_os("AWS_ENDPOINT_URL"), local_cloud) {
        loader = loader.endpoint_url(url);
    }
    let cognito = aws_sdk_cognitoidentityprovider::Client::new(&loader.load().await);
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_nanos();
    let email = format!("shopper-{nonce}@example.com");
    let client_id = ShopAuth::native_client_id()?;
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
        .user_pool_id(ShopAuth::user_pool_id()?)
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
