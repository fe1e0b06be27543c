//! What a Rust resolver function receives from AppSync: the direct-Lambda event, typed.
//! `#[amplify::resolvers(schema = "…")]` on a module of the function's crate generates
//! the schema's types, an arguments struct per `Query` and `Mutation` field and a `Call`
//! enum that reads an event into the right one ([`AppSyncEvent`] of those arguments), so
//! a resolver is checked against the schema as the app's client is.

use serde::Deserialize;
use serde_json::{Map, Value};

/// One call of a field, as AppSync's direct Lambda resolver sends it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncEvent<A> {
    /// The field's arguments.
    pub arguments: A,
    /// Who calls: set for user-pool, OIDC and IAM calls, `None` for API-key calls.
    #[serde(default)]
    pub identity: Option<Identity>,
    /// The parent object, for a field of a type other than `Query` and `Mutation`.
    #[serde(default)]
    pub source: Option<Value>,
    /// Which field, and what the client selected.
    pub info: Info,
    /// The request's headers.
    #[serde(default)]
    pub request: Option<Request>,
}

/// Which field is resolved.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Info {
    /// The field (`createPost`).
    pub field_name: String,
    /// Its type (`Mutation`).
    pub parent_type_name: String,
    /// The operation's variables.
    #[serde(default)]
    pub variables: Map<String, Value>,
    /// The selected fields, as paths (`id`, `author/name`).
    #[serde(default)]
    pub selection_set_list: Vec<String>,
}

/// The caller. Which fields are set depends on the authorization mode: a Cognito user
/// has `sub`, `username`, `claims` and `groups`; an IAM caller its account and ARN.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    /// The user's id (user pools, OIDC).
    #[serde(default)]
    pub sub: Option<String>,
    /// The user name (user pools).
    #[serde(default)]
    pub username: Option<String>,
    /// The token's issuer.
    #[serde(default)]
    pub issuer: Option<String>,
    /// The token's claims.
    #[serde(default)]
    pub claims: Map<String, Value>,
    /// The user's groups.
    #[serde(default)]
    pub groups: Option<Vec<String>>,
    /// Where the call came from.
    #[serde(default)]
    pub source_ip: Vec<String>,
    /// The IAM caller's account.
    #[serde(default)]
    pub account_id: Option<String>,
    /// The IAM caller's ARN.
    #[serde(default)]
    pub user_arn: Option<String>,
}

/// The HTTP request behind the call.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Request {
    /// Its headers.
    #[serde(default)]
    pub headers: Map<String, Value>,
}

/// An event the function cannot read.
#[derive(Debug)]
pub enum ResolverError {
    /// A field the schema given to `#[resolvers]` has no resolver for.
    UnknownField {
        /// `info.parentTypeName`.
        parent: String,
        /// `info.fieldName`.
        field: String,
    },
    /// The event does not match the field's arguments.
    Arguments {
        /// `Type.field`.
        field: String,
        /// What serde said.
        source: serde_json::Error,
    },
}

impl std::fmt::Display for ResolverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResolverError::UnknownField { parent, field } => write!(
                f,
                "this function resolves no field `{parent}.{field}`: the schema it was built with does not have it"
            ),
            ResolverError::Arguments { field, source } => write!(
                f,
                "the event for `{field}` does not match its arguments in the schema: {source}"
            ),
        }
    }
}

impl std::error::Error for ResolverError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ResolverError::Arguments { source, .. } => Some(source),
            ResolverError::UnknownField { .. } => None,
        }
    }
}

#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use serde_json;

    use super::{AppSyncEvent, ResolverError};

    /// `(parentTypeName, fieldName)` of an event, or empty strings.
    pub fn field_of(event: &serde_json::Value) -> (&str, &str) {
        let text = |key: &str| event["info"][key].as_str().unwrap_or_default();
        (text("parentTypeName"), text("fieldName"))
    }

    /// The event read with `A` as its arguments.
    pub fn read<A: serde::de::DeserializeOwned>(
        event: serde_json::Value,
        field: &str,
    ) -> Result<AppSyncEvent<A>, ResolverError> {
        serde_json::from_value(event).map_err(|source| ResolverError::Arguments {
            field: field.to_owned(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_pool_call_reads_with_its_identity() {
        let event = serde_json::json!({
            "arguments": {"post": {"title": "t"}},
            "identity": {"sub": "u-1", "username": "ann", "claims": {"email": "a@x"}, "sourceIp": ["1.2.3.4"]},
            "source": null,
            "info": {"fieldName": "createPost", "parentTypeName": "Mutation", "variables": {}, "selectionSetList": ["id"]}
        });
        let read: AppSyncEvent<Value> = serde_json::from_value(event).unwrap();
        assert_eq!(read.info.field_name, "createPost");
        let identity = read.identity.unwrap();
        assert_eq!(identity.sub.as_deref(), Some("u-1"));
        assert_eq!(identity.claims["email"], "a@x");
    }
}
