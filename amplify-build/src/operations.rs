//! Typed operations of a declared API, which the `#[backend]` macro turns into Rust:
//! for a GraphQL API, structs and one async call per `Query`/`Mutation` field (Amplify's
//! `codegen`, for Rust); for a REST API, one function per route taking its path
//! parameters. Categories derive them from their declarations; they cross from build.rs
//! to the macro inside [`crate::declaration::DeclaredResource`], so they are plain data.

use serde::{Deserialize, Serialize};

/// What apps call on one resource, by the kind of client that calls it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "client", rename_all = "lowercase")]
pub enum Operations {
    /// A GraphQL API's queries and mutations.
    Graphql(GraphqlOperations),
    /// A REST API's routes.
    Rest(RestOperations),
}

/// The routes of one REST API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestOperations {
    /// In declaration order.
    pub routes: Vec<RestRoute>,
}

/// One route apps call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestRoute {
    /// The path, parameters in braces: `/items/{id}`.
    pub path: String,
    /// The names of its parameters, in order.
    pub parameters: Vec<String>,
    /// How calls are authorised.
    pub auth: RestAuth,
    /// Who may call it for what, in words (for the generated documentation).
    pub access: String,
}

/// How a route checks its callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RestAuth {
    /// Anyone may call it.
    None,
    /// SigV4-signed calls (`execute-api`) with the caller's IAM credentials.
    Iam,
    /// A Cognito user-pool token in `Authorization`.
    UserPool,
}

/// Everything a client needs to call one API with types.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphqlOperations {
    /// The API's default auth mode, as AppSync names it (`API_KEY`, `AWS_IAM`,
    /// `AMAZON_COGNITO_USER_POOLS`).
    pub default_auth: String,
    /// Object, input and enum types the operations use, in schema order.
    pub types: Vec<GraphqlType>,
    /// One per field of `Query` and `Mutation` (and `Subscription` is left out: it needs
    /// a websocket client).
    pub operations: Vec<GraphqlOperation>,
}

/// A named type of the schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphqlType {
    /// The GraphQL name.
    pub name: String,
    /// What it is.
    pub kind: GraphqlTypeKind,
    /// Its description in the schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// Fields of an object or input type (empty for an enum).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<GraphqlField>,
    /// Values of an enum (empty otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// The kinds of named types that become Rust types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GraphqlTypeKind {
    /// An output object (or an interface, read through its own fields).
    Object,
    /// An input object.
    Input,
    /// An enum.
    Enum,
}

/// A field of a type, or an argument of an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphqlField {
    /// The GraphQL name.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Its description in the schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// An object field with required arguments: documents never select it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unselectable: bool,
}

/// A GraphQL type reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeRef {
    /// A named type: a scalar (`ID`, `AWSDateTime`, a declared `scalar`), an enum, an
    /// object or an input type.
    Named {
        /// Its name.
        name: String,
        /// `!`.
        non_null: bool,
        /// What the name is.
        class: TypeClass,
    },
    /// `[T]`.
    List {
        /// The element type.
        of: Box<TypeRef>,
        /// `!`.
        non_null: bool,
    },
}

/// What a named type is, so the macro maps it without the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeClass {
    /// A built-in or AppSync scalar.
    Scalar,
    /// A `scalar` the schema declares: any JSON value.
    CustomScalar,
    /// A generated object or input type ([`GraphqlType`]).
    Generated,
    /// A generated enum ([`GraphqlType`]): always selected.
    Enum,
    /// A union, read as any JSON value (its `__typename` is selected).
    Union,
}

/// One operation: a field of `Query` or `Mutation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphqlOperation {
    /// `query` or `mutation`.
    pub kind: OperationKind,
    /// The field it calls.
    pub field: String,
    /// Its arguments.
    pub arguments: Vec<GraphqlField>,
    /// What the field returns.
    pub returns: TypeRef,
    /// The operation's name in the document (the field's, first letter up).
    pub name: String,
    /// The full GraphQL document sent.
    pub document: String,
    /// Its description in the schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}

/// Query or mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OperationKind {
    /// A `Query` field.
    Query,
    /// A `Mutation` field.
    Mutation,
}

impl OperationKind {
    /// The GraphQL keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            OperationKind::Query => "query",
            OperationKind::Mutation => "mutation",
        }
    }
}

impl TypeRef {
    /// The innermost named type.
    pub fn named(&self) -> (&str, TypeClass) {
        match self {
            TypeRef::Named { name, class, .. } => (name, *class),
            TypeRef::List { of, .. } => of.named(),
        }
    }

    /// `!` at the outside.
    pub fn is_non_null(&self) -> bool {
        match self {
            TypeRef::Named { non_null, .. } | TypeRef::List { non_null, .. } => *non_null,
        }
    }

    /// As GraphQL writes it (`[Post]!`).
    pub fn to_graphql(&self) -> String {
        match self {
            TypeRef::Named { name, non_null, .. } => {
                format!("{name}{}", if *non_null { "!" } else { "" })
            }
            TypeRef::List { of, non_null } => {
                format!("[{}]{}", of.to_graphql(), if *non_null { "!" } else { "" })
            }
        }
    }
}
