//! A client for API Gateway REST APIs (feature `rest`): the `#[backend]` macro gives each
//! `#[rest_api]` one function per route taking its path parameters
//! (`ShopApi::orders_by_id(&client, "42").get()`), and `client()` / `client_with(auth)`.
//!
//! Calls are open, signed with SigV4 for `execute-api` (IAM: the identity pool's
//! credentials of a signed-in user or guest), or carry a Cognito user-pool token. When the
//! environment was pushed to a local cloud (or `AWS_ENDPOINT_URL` is set), requests go
//! there, to the emulator's `/restapis/<id>/<stage>/_user_request_/…` address of the API.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// IAM credentials, for [`Auth::Iam`].
pub use aws_credential_types::Credentials;

#[doc(hidden)]
pub mod __private {
    //! What generated code names.

    /// `/orders/{id}` with each `{name}` replaced by its value, percent-encoded as one
    /// path segment.
    pub fn fill(route: &str, values: &[(&str, &str)]) -> String {
        let mut path = route.to_owned();
        for (name, value) in values {
            let encoded = percent_encoding::utf8_percent_encode(value, super::SEGMENT).to_string();
            path = path.replace(&format!("{{{name}}}"), &encoded);
        }
        path
    }
}

/// What a path segment's value may keep as it is (RFC 3986 unreserved characters).
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How requests are authorized.
#[derive(Clone)]
pub enum Auth {
    /// No credentials: open routes only.
    None,
    /// A Cognito user pool's ID (or access) token, for APIs with `authorizer = user_pool`.
    UserPool(String),
    /// SigV4 with these credentials (the identity pool's, for a signed-in user or a
    /// guest), for the API's region.
    Iam {
        /// The caller's credentials.
        credentials: aws_credential_types::Credentials,
        /// The API's region.
        region: String,
    },
}

impl std::fmt::Debug for Auth {
    // Never print secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Auth::None => "None",
            Auth::UserPool(_) => "UserPool(…)",
            Auth::Iam { .. } => "Iam(…)",
        })
    }
}

/// What went wrong with a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API's address is not in the client configuration.
    #[error(transparent)]
    Config(#[from] crate::ConfigError),
    /// The request did not get an answer.
    #[error("cannot reach the REST API at {url}: {source}")]
    Http {
        /// Where it was sent.
        url: String,
        /// Why it failed.
        source: reqwest::Error,
    },
    /// The API answered with an error status (a refused call is 401 or 403).
    #[error("{method} {path} answered {status}: {body}")]
    Status {
        /// The method called.
        method: String,
        /// The path called.
        path: String,
        /// The HTTP status.
        status: u16,
        /// The answer's body.
        body: String,
    },
    /// The body could not be written or the answer read as the expected type.
    #[error("unexpected JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The request could not be signed (IAM).
    #[error("cannot sign the request: {0}")]
    Signing(String),
}

/// A client for one REST API.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoint: String,
    auth: Auth,
    local_cloud: Option<String>,
}

impl Client {
    /// A client for the API whose stage is at `endpoint`
    /// (`https://<id>.execute-api.<region>.amazonaws.com/<stage>`).
    pub fn new(endpoint: impl Into<String>, auth: Auth) -> Client {
        crate::http::install_crypto_provider();
        Client {
            http: reqwest::Client::new(),
            endpoint: endpoint.into().trim_end_matches('/').to_owned(),
            auth,
            local_cloud: None,
        }
    }

    /// The same client sending its requests to the local cloud at `base`
    /// (`http://127.0.0.1:4566`); `None` keeps AWS. `AWS_ENDPOINT_URL`, when set, wins.
    pub fn via_local_cloud(self, base: Option<&str>) -> Client {
        Client {
            local_cloud: base.map(ToOwned::to_owned),
            ..self
        }
    }

    /// The same API with other credentials (after a user signs in), sharing connections.
    pub fn with_auth(&self, auth: Auth) -> Client {
        Client {
            auth,
            ..self.clone()
        }
    }

    /// The API's root URL.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The API's region, read off its endpoint (`<id>.execute-api.<region>.amazonaws.com`).
    pub fn region(&self) -> Option<&str> {
        let host = crate::http::host_of(&self.endpoint)?;
        let mut labels = host.split('.');
        labels.next()?;
        (labels.next()? == "execute-api")
            .then(|| labels.next())
            .flatten()
    }

    /// A request to `path` (below the stage, starting with `/`); the generated route
    /// functions fill in path parameters for you.
    pub fn path(&self, path: impl Into<String>) -> Request<'_> {
        Request {
            client: self,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// Where a request for `path_and_query` goes: the endpoint, or its local cloud address.
    fn url(&self, path_and_query: &str) -> String {
        self.url_via(
            crate::http::redirect(self.local_cloud.as_deref()),
            path_and_query,
        )
    }

    fn url_via(&self, local_cloud: Option<String>, path_and_query: &str) -> String {
        let real = format!("{}{path_and_query}", self.endpoint);
        let Some(base) = local_cloud else {
            return real;
        };
        // `https://<id>.execute-api.<region>.amazonaws.com/<stage>` → id and stage.
        let api_id = crate::http::host_of(&self.endpoint)
            .filter(|h| h.contains(".execute-api."))
            .and_then(|h| h.split('.').next());
        let stage = self.endpoint.rsplit_once('/').map(|(_, s)| s);
        match (api_id, stage) {
            (Some(id), Some(stage)) => {
                format!("{base}/restapis/{id}/{stage}/_user_request_{path_and_query}")
            }
            _ => real,
        }
    }
}

/// One request being built.
#[derive(Debug)]
#[must_use = "a request does nothing until a method sends it (`.get().await`)"]
pub struct Request<'a> {
    client: &'a Client,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

impl Request<'_> {
    /// Adds a query parameter.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// `GET`.
    pub async fn get(self) -> Result<Response, Error> {
        self.send("GET", None).await
    }

    /// `DELETE`.
    pub async fn delete(self) -> Result<Response, Error> {
        self.send("DELETE", None).await
    }

    /// `POST` with `body` as JSON.
    pub async fn post<B: Serialize + ?Sized>(self, body: &B) -> Result<Response, Error> {
        let body = serde_json::to_vec(body)?;
        self.send("POST", Some(body)).await
    }

    /// `PUT` with `body` as JSON.
    pub async fn put<B: Serialize + ?Sized>(self, body: &B) -> Result<Response, Error> {
        let body = serde_json::to_vec(body)?;
        self.send("PUT", Some(body)).await
    }

    /// `PATCH` with `body` as JSON.
    pub async fn patch<B: Serialize + ?Sized>(self, body: &B) -> Result<Response, Error> {
        let body = serde_json::to_vec(body)?;
        self.send("PATCH", Some(body)).await
    }

    /// Any method, with a JSON body or none. An answer outside 2xx is an
    /// [`Error::Status`].
    pub async fn send(self, method: &str, body: Option<Vec<u8>>) -> Result<Response, Error> {
        let mut path_and_query = self.path.clone();
        if !self.query.is_empty() {
            let pairs: Vec<String> = self
                .query
                .iter()
                .map(|(k, v)| {
                    let enc =
                        |s: &str| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string();
                    format!("{}={}", enc(k), enc(v))
                })
                .collect();
            path_and_query = format!("{path_and_query}?{}", pairs.join("&"));
        }
        let body = body.unwrap_or_default();
        let mut headers = self.headers.clone();
        if !body.is_empty() {
            headers.push(("content-type".into(), "application/json".into()));
        }
        headers.extend(self.auth_headers(method, &path_and_query, &headers, &body)?);
        let url = self.client.url(&path_and_query);
        let method_value = reqwest::Method::from_bytes(method.as_bytes())
            .map_err(|e| Error::Signing(e.to_string()))?;
        let mut request = self.client.http.request(method_value, &url);
        for (name, value) in &headers {
            request = request.header(name, value);
        }
        let http_error = |source| Error::Http {
            url: url.clone(),
            source,
        };
        let response = request.body(body).send().await.map_err(http_error)?;
        let status = response.status().as_u16();
        let response_headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into(),
                )
            })
            .collect();
        let bytes = response.bytes().await.map_err(http_error)?.to_vec();
        if !(200..300).contains(&status) {
            return Err(Error::Status {
                method: method.to_owned(),
                path: self.path,
                status,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            });
        }
        Ok(Response {
            status,
            headers: response_headers,
            body: bytes,
        })
    }

    fn auth_headers(
        &self,
        method: &str,
        path_and_query: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Vec<(String, String)>, Error> {
        match &self.client.auth {
            Auth::None => Ok(Vec::new()),
            Auth::UserPool(token) => Ok(vec![("authorization".into(), token.clone())]),
            Auth::Iam {
                credentials,
                region,
            } => {
                // Signed over the real URL: what API Gateway verifies.
                let url = format!("{}{path_and_query}", self.client.endpoint);
                let headers: Vec<(&str, &str)> = headers
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let request = crate::http::Signable {
                    method,
                    url: &url,
                    headers: &headers,
                    body,
                };
                crate::http::sign(credentials, region, "execute-api", &request)
                    .map_err(Error::Signing)
            }
        }
    }
}

/// A successful answer.
#[derive(Debug, Clone)]
pub struct Response {
    /// The HTTP status (2xx).
    pub status: u16,
    /// Its headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// Its body.
    pub body: Vec<u8>,
}

impl Response {
    /// The body read as JSON of type `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        Ok(serde_json::from_slice(&self.body)?)
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENDPOINT: &str = "https://a1b2c3d4.execute-api.eu-west-1.amazonaws.com/dev";

    #[test]
    fn path_parameters_are_encoded_as_one_segment() {
        assert_eq!(
            __private::fill(
                "/orders/{id}/items/{item}",
                &[("id", "a/b c"), ("item", "7")]
            ),
            "/orders/a%2Fb%20c/items/7"
        );
    }

    #[test]
    fn a_local_cloud_gets_the_emulator_address_of_the_stage() {
        let client = Client::new(ENDPOINT, Auth::None);
        assert_eq!(
            client.url_via(Some("http://127.0.0.1:4566".into()), "/orders/1?x=2"),
            "http://127.0.0.1:4566/restapis/a1b2c3d4/dev/_user_request_/orders/1?x=2"
        );
        assert_eq!(
            client.url_via(None, "/orders"),
            format!("{ENDPOINT}/orders")
        );
        // A custom domain has no API id to address: left as it is.
        let custom = Client::new("https://api.example.com/v1", Auth::None);
        assert_eq!(
            custom.url_via(Some("http://127.0.0.1:4566".into()), "/x"),
            "https://api.example.com/v1/x"
        );
    }

    #[test]
    fn the_region_is_read_off_the_endpoint() {
        assert_eq!(
            Client::new(ENDPOINT, Auth::None).region(),
            Some("eu-west-1")
        );
        assert_eq!(
            Client::new("https://api.example.com/v1", Auth::None).region(),
            None
        );
    }

    #[test]
    fn iam_requests_are_signed_for_execute_api() {
        let credentials =
            aws_credential_types::Credentials::new("AKIDEXAMPLE", "secret", None, None, "test");
        let client = Client::new(
            ENDPOINT,
            Auth::Iam {
                credentials,
                region: "eu-west-1".into(),
            },
        );
        let request = client.path("/orders");
        let headers = request.auth_headers("GET", "/orders", &[], b"").unwrap();
        let authorization = headers
            .iter()
            .find(|(n, _)| n == "authorization")
            .map(|(_, v)| v.as_str())
            .unwrap();
        assert!(
            authorization.contains("/eu-west-1/execute-api/aws4_request"),
            "{authorization}"
        );
    }

    #[test]
    fn secrets_are_not_printed() {
        assert!(!format!("{:?}", Auth::UserPool("eyJsecret".into())).contains("secret"));
    }
}
