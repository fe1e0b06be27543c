//! One `SdkConfig` for the run, CloudFormation and S3 clients built from it, and the
//! mapping of SDK errors to messages that name what was being done.

pub(crate) mod credentials;
pub(crate) mod stack;

use std::sync::{Arc, Mutex};

use aws_config::BehaviorVersion;
use aws_sdk_s3::config::{Intercept, ProvideCredentials};
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::cli::error::{CliError, Kind, Result};
use credentials::ProfileOrigin;

/// AWS settings from flags; everything else comes from the standard chain
/// (environment, profiles).
#[derive(Debug, Clone, Default)]
pub struct AwsSettings {
    /// `--profile`, or the one recorded for the environment.
    pub profile: Option<String>,
    /// Where [`AwsSettings::profile`] was named, for the messages about it.
    pub profile_origin: ProfileOrigin,
    /// `--region`
    pub region: Option<String>,
    /// `--endpoint-url` (otherwise `AWS_ENDPOINT_URL`)
    pub endpoint_url: Option<String>,
    /// `--role-arn`: a role to assume with the credentials found (a target account's
    /// deployment role).
    pub role_arn: Option<String>,
}

/// The clients of one run, and the log of every API call they made.
#[derive(Clone)]
pub struct Aws {
    /// STS (who the credentials belong to).
    pub sts: aws_sdk_sts::Client,
    /// CloudFormation.
    pub cfn: aws_sdk_cloudformation::Client,
    /// S3 (path-style when an endpoint is set).
    pub s3: aws_sdk_s3::Client,
    /// CloudFront (invalidations after a published folder changed).
    pub cloudfront: aws_sdk_cloudfront::Client,
    /// The resolved region.
    pub region: String,
    /// `Service.Operation` of every call, in order.
    pub calls: CallLog,
    /// The credentials in use (after `--role-arn`), for programs push runs.
    pub credentials: aws_credential_types::provider::SharedCredentialsProvider,
    /// The endpoint override, if any.
    pub endpoint: Option<String>,
}

impl Aws {
    /// The credentials in use, resolved.
    pub async fn resolved_credentials(&self) -> Result<aws_credential_types::Credentials> {
        self.credentials
            .provide_credentials()
            .await
            .map_err(|e| no_credentials().help(e.to_string()))
    }

    /// The environment variables that give a program push runs the same AWS settings:
    /// region, endpoint and the credentials in use (whatever profile or role produced
    /// them).
    pub async fn program_environment(&self) -> Result<Vec<(String, String)>> {
        let credentials = self
            .credentials
            .provide_credentials()
            .await
            .map_err(|e| no_credentials().help(e.to_string()))?;
        let mut vars = vec![
            ("AWS_REGION".to_owned(), self.region.clone()),
            ("AWS_DEFAULT_REGION".to_owned(), self.region.clone()),
            (
                "AWS_ACCESS_KEY_ID".to_owned(),
                credentials.access_key_id().to_owned(),
            ),
            (
                "AWS_SECRET_ACCESS_KEY".to_owned(),
                credentials.secret_access_key().to_owned(),
            ),
        ];
        if let Some(token) = credentials.session_token() {
            vars.push(("AWS_SESSION_TOKEN".to_owned(), token.to_owned()));
        }
        if let Some(endpoint) = &self.endpoint {
            vars.push(("AWS_ENDPOINT_URL".to_owned(), endpoint.clone()));
        }
        Ok(vars)
    }

    /// The account the credentials belong to.
    pub async fn account_id(&self) -> Result<String> {
        Ok(self.caller().await?.0)
    }

    /// The account and ARN of the identity in use (a role's session after `--role-arn`).
    pub async fn caller(&self) -> Result<(String, String)> {
        let me =
            self.sts.get_caller_identity().send().await.map_err(|e| {
                sdk_error("cannot tell which AWS account the credentials belong to", e)
            })?;
        Ok((
            me.account().unwrap_or_default().to_owned(),
            me.arn().unwrap_or_default().to_owned(),
        ))
    }
}

/// Records every API call (an interceptor on every client).
#[derive(Debug, Clone, Default)]
pub struct CallLog(Arc<Mutex<Vec<String>>>);

impl CallLog {
    /// The calls so far.
    pub fn calls(&self) -> Vec<String> {
        self.0.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "amplify-rs call log"
    }

    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &aws_sdk_s3::config::RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> std::result::Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        if let Some(meta) = cfg.load::<Metadata>() {
            tracing::debug!(
                service = meta.service(),
                operation = meta.name(),
                "AWS call"
            );
            if let Ok(mut calls) = self.0.lock() {
                calls.push(format!("{}.{}", meta.service(), meta.name()));
            }
        }
        Ok(())
    }
}

impl AwsSettings {
    /// The endpoint the run will call: `--endpoint-url` (or the environment's recorded
    /// local cloud), else `AWS_ENDPOINT_URL`; `None` is AWS.
    pub fn endpoint(&self) -> Option<String> {
        self.endpoint_url.clone().or_else(|| {
            std::env::var("AWS_ENDPOINT_URL")
                .ok()
                .filter(|u| !u.is_empty())
        })
    }

    /// Whether the run calls a local cloud on this machine.
    pub fn is_local_cloud(&self) -> bool {
        self.endpoint().as_deref().is_some_and(is_loopback)
    }
}

/// Whether `endpoint` (`http://127.0.0.1:4566`) is on this machine's loopback.
pub fn is_loopback(endpoint: &str) -> bool {
    let host = endpoint
        .split_once("://")
        .map(|(_, rest)| rest)
        .and_then(|rest| rest.split(['/', '?']).next())
        .map(|authority| {
            authority
                .rsplit_once(':')
                .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
                .map_or(authority, |(host, _)| host)
        });
    matches!(host, Some("127.0.0.1" | "localhost" | "[::1]"))
}

/// Where this run connected: `None` before any connection, `Some(None)` for AWS,
/// `Some(Some(url))` for an endpoint such as the local cloud.
static CONNECTED: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

/// Where this run connected, if it did (see [`CONNECTED`]).
pub fn connected_endpoint() -> Option<Option<String>> {
    CONNECTED.get().cloned()
}

/// Loads the configuration once and checks that a region and credentials exist, so a
/// missing one is reported before any work starts.
pub async fn connect(settings: &AwsSettings) -> Result<Aws> {
    if let Some(role) = &settings.role_arn {
        credentials::check_role_arn(role)?;
    }
    if let Some(profile) = &settings.profile {
        credentials::check_profile(profile, &settings.profile_origin).await?;
        credentials::note_environment_keys_win(profile, &settings.profile_origin);
    }
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        .retry_config(retry_config());
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &settings.region {
        loader = loader.region(aws_config::Region::new(region.clone()));
    }
    if let Some(endpoint) = &settings.endpoint_url {
        loader = loader.endpoint_url(endpoint);
    }
    let mut sdk = loader.load().await;
    if let Some(role) = &settings.role_arn {
        let assumed = aws_config::sts::AssumeRoleProvider::builder(role)
            .session_name("cargo-amplify")
            .configure(&sdk)
            .build()
            .await;
        sdk = sdk
            .into_builder()
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(assumed),
            )
            .build();
    }
    let region = sdk.region().map(ToString::to_string).ok_or_else(|| {
        CliError::input("no AWS region is configured").help(
            "pass `--region us-east-1`, set AWS_REGION, or add `region = ...` to your AWS profile",
        )
    })?;
    let provider = sdk.credentials_provider().ok_or_else(no_credentials)?;
    let credentials = provider.clone();
    if let Err(e) = provider.provide_credentials().await {
        if let Some(role) = &settings.role_arn {
            return Err(CliError::new(
                Kind::Aws,
                format!("cannot assume the role `{role}` given with `--role-arn`: {e}"),
            )
            .help("check that the role exists in the target account and trusts the credentials in use (its trust policy)"));
        }
        return Err(no_credentials().help(format!(
            "{e}; set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, pass `--profile NAME`, or run `aws configure` (any values work with a local emulator)"
        )));
    }
    let endpoint = sdk.endpoint_url().map(ToOwned::to_owned);
    tracing::info!(%region, endpoint = endpoint.as_deref().unwrap_or("AWS"), "connected");
    let _ = CONNECTED.set(endpoint.clone());
    let calls = CallLog::default();
    let cfn_config = aws_sdk_cloudformation::config::Builder::from(&sdk)
        .interceptor(calls.clone())
        .build();
    let s3_config = aws_sdk_s3::config::Builder::from(&sdk)
        // Emulators answer on one host name; virtual-host buckets would not resolve.
        .force_path_style(endpoint.is_some())
        .interceptor(calls.clone())
        .build();
    let cloudfront_config = aws_sdk_cloudfront::config::Builder::from(&sdk)
        .interceptor(calls.clone())
        .build();
    let sts_config = aws_sdk_sts::config::Builder::from(&sdk)
        .interceptor(calls.clone())
        .build();
    Ok(Aws {
        sts: aws_sdk_sts::Client::from_conf(sts_config),
        cfn: aws_sdk_cloudformation::Client::from_conf(cfn_config),
        s3: aws_sdk_s3::Client::from_conf(s3_config),
        cloudfront: aws_sdk_cloudfront::Client::from_conf(cloudfront_config),
        region,
        calls,
        credentials,
        endpoint,
    })
}

/// How every call retries: adaptive mode (exponential backoff with full jitter, and a
/// client-side rate limit that slows down when AWS throttles), with room for the long
/// throttling bursts a large backend's push meets (CloudFormation's `DescribeStackEvents`
/// and S3 uploads at volume). Credentials are re-resolved by the SDK's cache as they near
/// expiry, so a long wait keeps working with an assumed role.
pub fn retry_config() -> aws_config::retry::RetryConfig {
    aws_config::retry::RetryConfig::adaptive()
        .with_max_attempts(10)
        .with_initial_backoff(std::time::Duration::from_millis(200))
        .with_max_backoff(std::time::Duration::from_secs(20))
}

fn no_credentials() -> CliError {
    CliError::input("no AWS credentials found")
        .help("set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, pass `--profile NAME`, or run `aws configure` (any values work with a local emulator)")
}

/// Turns an SDK error into a message that names what was being done and what to check.
pub fn sdk_error<E, R>(context: impl Into<String>, err: SdkError<E, R>) -> CliError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + 'static,
{
    let context = context.into();
    match &err {
        SdkError::DispatchFailure(d) => {
            let detail = if d.is_io() {
                "connection failed"
            } else if d.is_timeout() {
                "timed out"
            } else {
                "request could not be sent"
            };
            CliError::new(Kind::Aws, format!("{context}: {detail} ({})", causes(&err)))
                .help("check the network, or `--endpoint-url` / AWS_ENDPOINT_URL if you deploy to an emulator")
        }
        SdkError::TimeoutError(_) => CliError::new(Kind::Aws, format!("{context}: timed out"))
            .help("try again; check the network"),
        SdkError::ServiceError(service) => {
            let e = service.err();
            let code = e.code().unwrap_or("Error");
            let message = e.message().unwrap_or("no message");
            let help = match code {
                "ExpiredToken" | "ExpiredTokenException" => {
                    "your AWS session expired: refresh the credentials and run the command again"
                }
                "AccessDenied"
                | "AccessDeniedException"
                | "InvalidClientTokenId"
                | "SignatureDoesNotMatch" => {
                    "the credentials in use may not perform this call: check the profile or keys"
                }
                "Throttling" | "ThrottlingException" => {
                    "AWS is throttling requests: wait a moment and retry"
                }
                _ => "see the message above; `cargo amplify status` shows the current state",
            };
            CliError::new(Kind::Aws, format!("{context}: {code}: {message}")).help(help)
        }
        _ => CliError::new(Kind::Aws, format!("{context}: {}", causes(&err))),
    }
}

/// The messages of an error and its sources, innermost last, each once: what a person
/// reads, never a `Debug` dump of the SDK's types.
fn causes(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// Whether CloudFormation answered that the stack does not exist. It has no error code
/// of its own for that: it is a `ValidationError` whose message says so.
pub fn is_missing_stack<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> bool {
    error_code(err) == Some("ValidationError")
        && error_message(err).is_some_and(|m| m.contains("does not exist"))
}

/// Whether CloudFormation refused an update because it changes nothing (also a
/// `ValidationError`, told apart by its message).
pub fn is_no_updates<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> bool {
    error_code(err) == Some("ValidationError")
        && error_message(err).is_some_and(|m| m.contains("No updates are to be performed"))
}

/// The error code of a service error, if it is one.
pub fn error_code<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> Option<&str> {
    match err {
        SdkError::ServiceError(s) => s.err().code(),
        _ => None,
    }
}

/// The message of a service error, if it is one.
pub fn error_message<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> Option<&str> {
    match err {
        SdkError::ServiceError(s) => s.err().message(),
        _ => None,
    }
}
