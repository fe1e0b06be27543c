//! What the typed API clients ([`crate::graphql`], [`crate::rest`]) share: the TLS
//! provider, SigV4 signing, and where a redirected request goes.

use std::time::SystemTime;

/// Installs rustls with ring (as the AWS SDK's client here uses) once for the process,
/// unless the app chose a provider.
pub(crate) fn install_crypto_provider() {
    // rustls 0.23.48 deprecates its bundled ring provider in favour of a separate crate
    // not released yet; allowed here so that an app built with `-D warnings` and a newer
    // lockfile still builds.
    #[allow(deprecated)]
    let ring = rustls::crypto::ring::default_provider();
    let _ = ring.install_default();
}

/// One request to sign.
pub(crate) struct Signable<'a> {
    /// `GET`, `POST` …
    pub method: &'a str,
    /// The URL as AWS serves it (what the service verifies), query included.
    pub url: &'a str,
    /// Headers sent besides the signature's.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
}

/// SigV4 headers for `request` to `service` in `region`.
pub(crate) fn sign(
    credentials: &aws_credential_types::Credentials,
    region: &str,
    service: &str,
    request: &Signable<'_>,
) -> Result<Vec<(String, String)>, String> {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    let identity = credentials.clone().into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let signable = SignableRequest::new(
        request.method,
        request.url,
        request.headers.iter().copied(),
        SignableBody::Bytes(request.body),
    )
    .map_err(|e| e.to_string())?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    Ok(instructions
        .headers()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect())
}

/// The local cloud requests go to instead of AWS: `AWS_ENDPOINT_URL` when set, else the
/// one the environment was pushed to.
#[cfg(any(feature = "graphql", feature = "rest"))]
pub(crate) fn redirect(local_cloud: Option<&str>) -> Option<String> {
    std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(|| local_cloud.map(ToOwned::to_owned))
        .map(|base| base.trim_end_matches('/').to_owned())
}

/// `abc.appsync-api.us-east-1.amazonaws.com` of `https://abc.appsync-api…/graphql`.
#[cfg(any(feature = "graphql", feature = "rest"))]
pub(crate) fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?']).next()?;
    (!host.is_empty()).then_some(host)
}

#[cfg(all(test, any(feature = "graphql", feature = "rest")))]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_read_off_endpoints() {
        assert_eq!(
            host_of("https://abc.appsync-api.us-east-1.amazonaws.com/graphql"),
            Some("abc.appsync-api.us-east-1.amazonaws.com")
        );
        assert_eq!(
            host_of("https://abc.execute-api.eu-west-1.amazonaws.com?x=1"),
            Some("abc.execute-api.eu-west-1.amazonaws.com")
        );
        assert_eq!(host_of("not a url"), None);
    }
}
