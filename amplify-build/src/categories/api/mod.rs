//! `#[api(...)]`: an AppSync GraphQL API with its auth modes, data sources (functions
//! and tables) and resolvers, checked against its schema.

mod client;
mod decl;
mod function_fields;
mod model;
mod operations;

pub use operations::schema_operations;
mod synth;

use crate::category::Capability;
use proc_macro2::Span;

use crate::category::model::resolve;
use crate::category::model::{Backend, Reference, Resource};
use crate::category::stack::{NestedStack, StackContext};
use crate::category::{Category, Declared, Descriptor, Edge, GrantPart, OutputDef, ParseContext};
use crate::cfn::policy;
use crate::cfn::Value;
use crate::decl::args::ArgReader;
use crate::decl::diagnostics::Diagnostics;
use crate::operations::Operations;
use crate::plan::ClientFragment;

/// The api category (GraphQL).
pub struct Api;

/// An AppSync authorization mode.
#[derive(Debug, Clone)]
pub enum AuthMode {
    /// API key valid for the given number of days.
    ApiKey {
        /// Days until the key expires (1–365).
        expires_in_days: u32,
    },
    /// Cognito user pool of the referenced auth resource.
    UserPool(Reference),
    /// AWS IAM (SigV4).
    Iam,
}

impl AuthMode {
    /// The AppSync `AuthenticationType` value.
    pub fn appsync_type(&self) -> &'static str {
        match self {
            AuthMode::ApiKey { .. } => "API_KEY",
            AuthMode::UserPool(_) => "AMAZON_COGNITO_USER_POOLS",
            AuthMode::Iam => "AWS_IAM",
        }
    }
}

/// A resolver binding `Type.field` to a data source.
#[derive(Debug, Clone)]
pub struct Resolver {
    /// GraphQL type (`Query`, `Mutation`, a model type…).
    pub type_name: String,
    /// Field of that type.
    pub field: String,
    /// Where `Type::field` was written (its start, where spans cannot be joined).
    pub span: Span,
    /// Where the field was written: an unknown field is reported there.
    pub field_span: Span,
    /// The data source (a declared function or table).
    pub data_source: Reference,
    /// Path (relative to the crate root) of an APPSYNC_JS resolver, for table data sources.
    pub code: Option<String>,
    /// Contents of `code`, loaded by the caller's file reader.
    pub code_text: Option<String>,
}

/// `#[api(...)]`: an AppSync GraphQL API.
#[derive(Debug, Clone)]
pub struct ApiSpec {
    /// Schema path relative to the crate root.
    pub schema_path: String,
    /// The schema AppSync serves: the file's, with its `@model` types transformed.
    pub schema: String,
    /// The schema as the file has it (kept in `amplify/backend/api/<name>/`, as Amplify
    /// keeps the transformer's source).
    pub source_schema: String,
    /// Default authorization mode.
    pub default_auth: AuthMode,
    /// Additional authorization modes.
    pub additional_auth: Vec<AuthMode>,
    /// Data sources (declared functions and tables), in declaration order.
    pub data_sources: Vec<Reference>,
    /// Resolvers.
    pub resolvers: Vec<Resolver>,
    /// The schema's `@model` types (the schema above is already transformed).
    pub models: Vec<model::Model>,
    /// How many levels of nested objects the typed operations select below each
    /// operation's field (`selection_depth = 3`; a relation's connection and its items
    /// are two).
    pub selection_depth: usize,
}

impl ApiSpec {
    /// Every auth mode, the default first.
    pub fn modes(&self) -> impl Iterator<Item = &AuthMode> {
        std::iter::once(&self.default_auth).chain(&self.additional_auth)
    }
}

/// What a function may be granted on a `@model` type's table (`grant(BlogApi::Comment =
/// [read])`), as Amplify names them.
const MODEL_PERMISSIONS: &[&str] = &["create", "read", "update", "delete"];

const KEYS: &[&str] = &[
    "schema",
    "auth",
    "additional_auth",
    "data_sources",
    "resolvers",
    "selection_depth",
];

impl Category for Api {
    type Spec = ApiSpec;

    fn console_page(&self) -> Option<&'static str> {
        Some("https://{region}.console.aws.amazon.com/appsync/home?region={region}#/{GraphQLAPIIdOutput}/v1/home")
    }

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "api",
            category: "api",
            service: "AppSync",
            keys: KEYS,
            import: None,
            import_derived: &[],
            exportable: true,
            local_cloud: true,
        }
    }

    fn parse(&self, args: &mut ArgReader<'_>, cx: &ParseContext<'_>) -> Option<ApiSpec> {
        decl::parse(args, cx.attr_span, cx.files)
    }

    fn check(&self, it: Declared<'_, ApiSpec>, backend: &Backend, cx: &Diagnostics) {
        for mode in it.spec.modes() {
            if let AuthMode::UserPool(reference) = mode {
                let target = resolve(backend, reference, "an `#[auth]` struct", cx);
                if let Some(t) = target.filter(|t| !t.can(Capability::UserPool)) {
                    cx.error(
                        reference.span,
                        format!(
                            "`user_pool({})` must name an `#[auth]` resource (or another user pool), but `{}` is a {}",
                            reference.name,
                            reference.name,
                            t.attribute()
                        ),
                    );
                }
            }
        }
        for ds in &it.spec.data_sources {
            let target = resolve(backend, ds, "a `#[function]` or `#[table]` struct", cx);
            if let Some(t) = target.filter(|t| !is_data_source(t)) {
                cx.error(
                    ds.span,
                    format!(
                        "data source `{}` is a {}; data sources are `#[function]` or `#[table]` resources (or other Lambda functions and DynamoDB tables)",
                        ds.name,
                        t.attribute()
                    ),
                );
            }
        }
        for resolver in &it.spec.resolvers {
            check_resolver(it.spec, resolver, backend, cx);
        }
    }

    fn edges<'a>(&self, it: Declared<'a, ApiSpec>, backend: &'a Backend) -> Vec<Edge<'a>> {
        let mut edges = Vec::new();
        for mode in it.spec.modes() {
            if let AuthMode::UserPool(r) = mode {
                edges.push(Edge::to(r, vec!["UserPoolId".into()]));
            }
        }
        for ds in &it.spec.data_sources {
            if let Some(target) = backend.resolve(ds) {
                // A Lambda data source needs only the ARN; a table its name (for the data
                // source) and ARN (for the service role).
                let outputs = if target.can(Capability::InvocableFunction) {
                    vec!["Arn".into()]
                } else {
                    Capability::DynamoDbTable
                        .outputs()
                        .iter()
                        .map(|o| (*o).to_owned())
                        .collect()
                };
                edges.push(Edge::to(ds, outputs));
            }
        }
        edges
    }

    fn outputs(&self, spec: Option<&ApiSpec>) -> Vec<OutputDef> {
        let mut outputs = vec![
            OutputDef::new("GraphQLAPIIdOutput")
                .accessor("api_id", "The AppSync API id.")
                .granted(),
            OutputDef::new("GraphQLAPIEndpointOutput")
                .in_status("GraphQL endpoint")
                .accessor("endpoint", "The GraphQL endpoint URL.")
                .granted(),
        ];
        if spec.is_none_or(|s| synth::api_key_days(s).is_some()) {
            outputs.push(
                OutputDef::new("GraphQLAPIKeyOutput")
                    .accessor("api_key", "The API key.")
                    .secret_in_status("GraphQL API KEY"),
            );
        }
        for m in spec.map(|s| s.models.as_slice()).unwrap_or_default() {
            for attr in ["Name", "Arn", "StreamArn"] {
                outputs.push(OutputDef::new(format!("GetAtt{}Table{attr}", m.name)));
            }
        }
        outputs
    }

    fn grant_parts(&self, it: Declared<'_, ApiSpec>) -> Vec<GrantPart> {
        it.spec
            .models
            .iter()
            .map(|m| GrantPart {
                name: m.name.clone(),
                permissions: MODEL_PERMISSIONS.to_vec(),
                variables: ["Name", "Arn"]
                    .iter()
                    .map(|attr| {
                        (
                            format!("{}TABLE_{}", m.name, attr).to_ascii_uppercase(),
                            format!("GetAtt{}Table{attr}", m.name),
                        )
                    })
                    .collect(),
            })
            .collect()
    }

    fn grant_part(
        &self,
        _: Declared<'_, ApiSpec>,
        part: &str,
        permission: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
        let actions: &[&str] = match permission {
            "create" => &["dynamodb:PutItem", "dynamodb:BatchWriteItem"],
            "read" => crate::categories::storage::table::actions("read"),
            "update" => &["dynamodb:UpdateItem"],
            _ => &["dynamodb:DeleteItem"],
        };
        let arn = Value::r#ref(parameter(&format!("GetAtt{part}TableArn")));
        vec![policy::allow(
            actions,
            crate::categories::storage::table::arns(arn),
        )]
    }

    fn permissions(&self) -> &'static [&'static str] {
        &["query", "mutation", "subscription"]
    }

    fn grant(
        &self,
        _: Declared<'_, ApiSpec>,
        permission: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
        let type_name = match permission {
            "mutation" => "Mutation",
            "subscription" => "Subscription",
            _ => "Query",
        };
        vec![policy::allow(
            &["appsync:GraphQL"],
            vec![Value::sub(format!(
                "arn:${{AWS::Partition}}:appsync:${{AWS::Region}}:${{AWS::AccountId}}:apis/${{{}}}/types/{type_name}/*",
                parameter("GraphQLAPIIdOutput")
            ))],
        )]
    }

    fn check_grant(
        &self,
        it: Declared<'_, ApiSpec>,
        grantee: &Resource,
        at: Span,
        cx: &Diagnostics,
    ) {
        if !it.spec.modes().any(|m| matches!(m, AuthMode::Iam)) {
            cx.error(
                at,
                format!(
                    "`{}` signs its GraphQL calls with IAM, but API `{}` does not accept IAM: add `additional_auth = [iam]` to it",
                    grantee.ident, it.ident
                ),
            );
        }
    }

    fn synthesize(&self, it: Declared<'_, ApiSpec>, cx: &StackContext<'_>) -> NestedStack {
        synth::nested_stack(it.resource, it.spec, cx)
    }

    fn operations(&self, it: Declared<'_, ApiSpec>) -> Option<Operations> {
        operations::operations(it.spec).map(Operations::Graphql)
    }

    fn client_config(&self, it: Declared<'_, ApiSpec>, _: &Backend) -> Vec<ClientFragment> {
        client::fragments(&it.name, it.spec)
    }
}

fn is_data_source(target: &Resource) -> bool {
    target.can(Capability::InvocableFunction) || target.can(Capability::DynamoDbTable)
}

/// A resolver's data source is one of the API's, and resolver code goes with tables only.
fn check_resolver(api: &ApiSpec, resolver: &Resolver, backend: &Backend, cx: &Diagnostics) {
    let ds = &resolver.data_source;
    if !api.data_sources.iter().any(|d| d.name == ds.name) {
        cx.error(
            ds.span,
            format!(
                "`{}` is not a data source of this API; add it: `data_sources = [{}]`",
                ds.name, ds.name
            ),
        );
        return;
    }
    let Some(target) = backend.resolve(ds) else {
        return;
    };
    let key = format!("{}::{}", resolver.type_name, resolver.field);
    if target.can(Capability::DynamoDbTable) && resolver.code.is_none() {
        cx.error(
            resolver.span,
            format!(
                "`{key}` resolves through table `{}`, which needs resolver code: write `{key} = {}(code = \"resolvers/{}.js\")`",
                ds.name, ds.name, resolver.field
            ),
        );
    } else if target.can(Capability::InvocableFunction) && resolver.code.is_some() {
        cx.error(
            resolver.span,
            format!(
                "`{key}` resolves directly through function `{}`; remove `code = ...`",
                ds.name
            ),
        );
    }
}

/// `createPost` → `CreatePost`: GraphQL names as parts of generated names and logical ids.
fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
