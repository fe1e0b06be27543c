//! A GraphQL client for AppSync APIs (feature `graphql`): the typed operations the
//! `#[backend]` macro generates for each `#[api]` (`BlogApi::create_post(&client, …)`)
//! call [`Client::execute`] with their document and typed variables.
//!
//! Every AppSync auth mode is supported: an API key, a Cognito user-pool token, and IAM
//! (SigV4-signed with the caller's credentials). `AWS_ENDPOINT_URL`, which redirects the
//! AWS SDKs, redirects this client too (a local cloud): requests then go to
//! `<AWS_ENDPOINT_URL>/graphql` with the API's real host in the `Host` header.

mod pages;

pub use pages::{Connection, Pages};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

#[doc(hidden)]
pub mod __private {
    //! What generated code names.
    pub use serde;
    pub use serde_json;
}

/// How requests are authorized.
#[derive(Clone)]
pub enum Auth {
    /// `x-api-key`.
    ApiKey(String),
    /// A Cognito user pool's ID (or access) token, from signing in.
    UserPool(String),
    /// SigV4 with these credentials, for the API's region.
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
            Auth::ApiKey(_) => "ApiKey(…)",
            Auth::UserPool(_) => "UserPool(…)",
            Auth::Iam { .. } => "Iam(…)",
        })
    }
}

/// What went wrong with a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API's address or key is not in the client configuration.
    #[error(transparent)]
    Config(#[from] crate::ConfigError),
    /// The request did not get an answer.
    #[error("cannot reach the GraphQL API at {endpoint}: {source}")]
    Http {
        /// Where it was sent.
        endpoint: String,
        /// Why it failed.
        source: reqwest::Error,
    },
    /// The API answered with an HTTP error and no GraphQL errors.
    #[error("the GraphQL API answered {status}: {body}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The answer's body.
        body: String,
    },
    /// The API answered with GraphQL errors.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Graphql(Vec<GraphqlError>),
    /// The answer did not have the generated types' shape.
    #[error("unexpected answer to `{field}`: {source}")]
    Decode {
        /// The operation's field.
        field: &'static str,
        /// Why it did not decode.
        source: serde_json::Error,
    },
    /// The request could not be signed (IAM).
    #[error("cannot sign the request: {0}")]
    Signing(String),
}

/// One entry of a GraphQL answer's `errors`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphqlError {
    /// What the API says.
    pub message: String,
    /// AppSync's error type (`Unauthorized`, `Lambda:Unhandled` …).
    #[serde(default)]
    pub error_type: Option<String>,
    /// Where in the answer (AppSync sends `null` for validation errors).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub path: Vec<serde_json::Value>,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<serde_json::Value>, D::Error> {
    Ok(Option::<Vec<serde_json::Value>>::deserialize(deserializer)?.unwrap_or_default())
}

impl std::fmt::Display for GraphqlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(t) = &self.error_type {
            write!(f, " ({t})")?;
        }
        Ok(())
    }
}

/// One operation, as generated code describes it.
#[derive(Debug)]
pub struct Operation<'a, V> {
    /// The GraphQL document.
    pub document: &'static str,
    /// Its operation name.
    pub name: &'static str,
    /// The field whose value is the result.
    pub field: &'static str,
    /// The variables.
    pub variables: &'a V,
}

/// A client for one GraphQL API.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoint: String,
    auth: Auth,
    /// The local cloud the API was deployed to, if any (`AWS_ENDPOINT_URL` still wins).
    local_cloud: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a, V> {
    query: &'static str,
    operation_name: &'static str,
    variables: &'a V,
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    data: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    errors: Vec<GraphqlError>,
}

impl Client {
    /// A client for the API at `endpoint` (its `https://…/graphql` URL).
    pub fn new(endpoint: impl Into<String>, auth: Auth) -> Client {
        crate::http::install_crypto_provider();
        Client {
            http: reqwest::Client::new(),
            endpoint: endpoint.into(),
            auth,
            local_cloud: None,
        }
    }

    /// The same client sending its requests to the local cloud at `base`
    /// (`http://127.0.0.1:4566`) with the API's own host in `Host`, as AppSync's emulator
    /// expects; `None` keeps AWS. `AWS_ENDPOINT_URL`, when set, wins over it.
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

    /// The API's endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Runs one operation and decodes its field's value.
    pub async fn execute<V: Serialize, T: DeserializeOwned>(
        &self,
        operation: Operation<'_, V>,
    ) -> Result<T, Error> {
        let body = serde_json::to_vec(&Body {
            query: operation.document,
            operation_name: operation.name,
            variables: operation.variables,
        })
        .map_err(|source| Error::Decode {
            field: operation.field,
            source,
        })?;
        let (url, host) = self.target();
        let mut request = self
            .http
            .post(&url)
            .header("content-type", "application/json");
        if let Some(host) = &host {
            request = request.header("host", host);
        }
        for (name, value) in self.auth_headers(&body)? {
            request = request.header(name, value);
        }
        let response = request
            .body(body)
            .send()
            .await
            .map_err(|source| self.http_error(source))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|source| self.http_error(source))?;
        let answer: Answer = match serde_json::from_str(&text) {
            Ok(answer) => answer,
            Err(_) if !status.is_success() => {
                return Err(Error::Status {
                    status: status.as_u16(),
                    body: text,
                })
            }
            Err(source) => {
                return Err(Error::Decode {
                    field: operation.field,
                    source,
                })
            }
        };
        if !answer.errors.is_empty() {
            return Err(Error::Graphql(answer.errors));
        }
        // `{"message": "Forbidden"}` and the like: a refusal, not an empty answer.
        if !status.is_success() {
            return Err(Error::Status {
                status: status.as_u16(),
                body: text,
            });
        }
        let value = answer
            .data
            .and_then(|mut d| d.remove(operation.field))
            .unwrap_or(serde_json::Value::Null);
        serde_json::from_value(value).map_err(|source| Error::Decode {
            field: operation.field,
            source,
        })
    }

    fn http_error(&self, source: reqwest::Error) -> Error {
        Error::Http {
            endpoint: self.endpoint.clone(),
            source,
        }
    }

    /// Where requests go, and the `Host` they name when redirected to a local cloud.
    fn target(&self) -> (String, Option<String>) {
        let redirect = crate::http::redirect(self.local_cloud.as_deref());
        match (redirect, crate::http::host_of(&self.endpoint)) {
            (Some(base), Some(host)) => (format!("{base}/graphql"), Some(host.to_owned())),
            _ => (self.endpoint.clone(), None),
        }
    }

    fn auth_headers(&self, body: &[u8]) -> Result<Vec<(String, String)>, Error> {
        match &self.auth {
            Auth::ApiKey(key) => Ok(vec![("x-api-key".into(), key.clone())]),
            Auth::UserPool(token) => Ok(vec![("authorization".into(), token.clone())]),
            Auth::Iam {
                credentials,
                region,
            } => self.sign(credentials, region, body),
        }
    }

    /// SigV4 for service `appsync`, over the real endpoint (what AppSync verifies).
    fn sign(
        &self,
        credentials: &aws_credential_types::Credentials,
        region: &str,
        body: &[u8],
    ) -> Result<Vec<(String, String)>, Error> {
        let request = crate::http::Signable {
            method: "POST",
            url: &self.endpoint,
            headers: &[("content-type", "application/json")],
            body,
        };
        crate::http::sign(credentials, region, "appsync", &request).map_err(Error::Signing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iam_requests_carry_a_sigv4_signature_for_appsync() {
        let credentials =
            aws_credential_types::Credentials::new("AKIDEXAMPLE", "secret", None, None, "test");
        let client = Client::new(
            "https://abc.appsync-api.eu-west-1.amazonaws.com/graphql",
            Auth::Iam {
                credentials,
                region: "eu-west-1".into(),
            },
        );
        let headers = client.auth_headers(b"{}").unwrap();
        let authorization = headers
            .iter()
            .find(|(n, _)| n == "authorization")
            .map(|(_, v)| v.as_str())
            .unwrap();
        assert!(
            authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                && authorization.contains("/eu-west-1/appsync/aws4_request"),
            "{authorization}"
        );
        assert!(headers.iter().any(|(n, _)| n == "x-amz-date"));
    }

    #[test]
    fn errors_with_a_null_path_still_decode() {
        let answer: Answer = serde_json::from_str(
            r#"{"data": null, "errors": [{"message": "Validation error", "errorType": "ValidationError", "path": null}]}"#,
        )
        .unwrap();
        assert_eq!(
            answer.errors[0].to_string(),
            "Validation error (ValidationError)"
        );
    }

    #[test]
    fn secrets_are_not_printed() {
        let auth = Auth::ApiKey("da2-secret".into());
        assert!(!format!("{auth:?}").contains("secret"));
    }
}
