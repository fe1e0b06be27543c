//! `#[rest_api(...)]`: an API Gateway REST API whose routes are answered by declared
//! functions (Lambda proxy integration) — Amplify's `API Gateway` service of the api
//! category. Access per route follows Amplify: open, or for signed-in users, guests and
//! user groups through the identity pool's roles (IAM, SigV4-signed calls); or, with
//! `authorizer = user_pool`, a Cognito user-pool authorizer checking the caller's token.

mod client;
mod decl;
mod synth;

use proc_macro2::Span;

use crate::categories::auth::{group_role_output, AuthSpec};
use crate::category::model::{resolve, Backend, Reference, Resource};
use crate::category::stack::{NestedStack, StackContext};
use crate::category::{Capability, Category, Declared, Descriptor, Edge, OutputDef, ParseContext};
use crate::cfn::{policy, Value};
use crate::decl::args::ArgReader;
use crate::decl::diagnostics::{did_you_mean, Diagnostics};
use crate::operations::Operations;
use crate::plan::ClientFragment;

/// The REST part of the api category.
pub struct RestApi;

/// How restricted routes check their callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authorizer {
    /// SigV4 with the identity pool's credentials; the roles of signed-in users, guests
    /// and groups are allowed the declared operations (Amplify's REST APIs).
    Iam,
    /// A Cognito user-pool authorizer: the caller's ID or access token in
    /// `Authorization`; only the declared operations' methods exist.
    UserPool,
}

/// Who a route lets in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Signed-in users.
    Authenticated,
    /// Guests (the identity pool's unauthenticated role).
    Guest,
    /// Members of a user-pool group.
    Group(String),
}

/// Amplify's REST operations, each a set of HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operation {
    /// `POST`.
    Create,
    /// `GET` (and `HEAD`).
    Read,
    /// `PUT` and `PATCH`.
    Update,
    /// `DELETE`.
    Delete,
}

impl Operation {
    /// Its HTTP methods.
    pub fn methods(self) -> &'static [&'static str] {
        match self {
            Operation::Create => &["POST"],
            Operation::Read => &["GET", "HEAD"],
            Operation::Update => &["PUT", "PATCH"],
            Operation::Delete => &["DELETE"],
        }
    }

    /// Amplify's name, as in `cli-inputs.json`.
    pub fn name(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Read => "read",
            Operation::Update => "update",
            Operation::Delete => "delete",
        }
    }
}

/// One declared route.
#[derive(Debug, Clone)]
pub struct RestPath {
    /// `/items/{id}`.
    pub route: String,
    /// Where the route was written.
    pub span: Span,
    /// The function answering it (and every path below it).
    pub function: Reference,
    /// Who may call it, for what; empty for an open route.
    pub access: Vec<(Audience, Vec<Operation>, Span)>,
}

impl RestPath {
    /// Whether anyone may call it without credentials.
    pub fn is_open(&self) -> bool {
        self.access.is_empty()
    }
}

/// `#[rest_api(...)]`: one REST API.
#[derive(Debug, Clone)]
pub struct RestSpec {
    /// How restricted routes check callers.
    pub authorizer: Authorizer,
    /// The routes, in declaration order.
    pub paths: Vec<RestPath>,
}

const KEYS: &[&str] = &["path", "authorizer"];

impl Category for RestApi {
    type Spec = RestSpec;

    fn console_page(&self) -> Option<&'static str> {
        Some("https://{region}.console.aws.amazon.com/apigateway/main/apis/{ApiId}/resources?api={ApiId}&region={region}")
    }

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "rest_api",
            category: "api",
            service: "API Gateway",
            keys: KEYS,
            import: None,
            import_derived: &[],
            exportable: true,
            local_cloud: true,
        }
    }

    fn parse(&self, args: &mut ArgReader<'_>, cx: &ParseContext<'_>) -> Option<RestSpec> {
        decl::parse(args, cx)
    }

    fn check(&self, it: Declared<'_, RestSpec>, backend: &Backend, cx: &Diagnostics) {
        if it.name == "AdminQueries" {
            cx.error(
                it.span,
                "`AdminQueries` is the name Amplify reserves for the auth category's admin API; name this API otherwise",
            );
        }
        for path in &it.spec.paths {
            let target = resolve(backend, &path.function, "a `#[function]` struct", cx);
            if let Some(t) = target.filter(|t| !t.can(Capability::InvocableFunction)) {
                cx.error(
                    path.function.span,
                    format!(
                        "`function = {}` must name a Lambda function, but `{}` is a `#[{}]`; declare a `#[function]` to answer `{}`",
                        path.function.name, t.ident, t.attribute(), path.route
                    ),
                );
            }
            for (audience, _, span) in &path.access {
                check_audience(it.spec.authorizer, audience, *span, backend, cx);
            }
        }
    }

    fn edges<'a>(&self, it: Declared<'a, RestSpec>, backend: &'a Backend) -> Vec<Edge<'a>> {
        let mut edges: Vec<Edge<'a>> = Vec::new();
        for path in &it.spec.paths {
            if !edges.iter().any(|e| e.target == path.function.name) {
                edges.push(Edge::to(
                    &path.function,
                    vec!["Name".to_owned(), "Arn".to_owned()],
                ));
            }
        }
        if let Some(pool) = authorizing_pool(it.spec, backend) {
            edges.push(Edge {
                target: &pool.ident,
                span: it.span,
                outputs: vec!["UserPoolArn".to_owned()],
            });
        }
        if let Some(auth) = backend.find::<AuthSpec>() {
            for (group, span) in groups(it.spec) {
                edges.push(Edge {
                    target: &auth.resource.ident,
                    span,
                    outputs: vec![group_role_output(group)],
                });
            }
        }
        edges
    }

    fn outputs(&self, _: Option<&RestSpec>) -> Vec<OutputDef> {
        vec![
            OutputDef::new("RootUrl")
                .accessor(
                    "endpoint",
                    "The API's root URL (`https://<id>.execute-api.<region>.amazonaws.com/<env>`).",
                )
                .in_status("REST API endpoint")
                .granted(),
            OutputDef::new("ApiName").accessor("api_name", "The API's name."),
            OutputDef::new("ApiId")
                .accessor("api_id", "The API's id (the first label of its host).")
                .granted(),
        ]
    }

    fn permissions(&self) -> &'static [&'static str] {
        &["invoke"]
    }

    fn grant(
        &self,
        _: Declared<'_, RestSpec>,
        _: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
        vec![policy::allow(
            &["execute-api:Invoke"],
            vec![Value::sub(format!(
                "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{}}}/*",
                parameter("ApiId")
            ))],
        )]
    }

    fn synthesize(&self, it: Declared<'_, RestSpec>, cx: &StackContext<'_>) -> NestedStack {
        synth::nested_stack(it, cx)
    }

    fn operations(&self, it: Declared<'_, RestSpec>) -> Option<Operations> {
        Some(Operations::Rest(client::operations(it.spec)))
    }

    fn client_config(&self, it: Declared<'_, RestSpec>, _: &Backend) -> Vec<ClientFragment> {
        client::fragments(&it.name, it.spec)
    }
}

/// The user pool a `user_pool` authorizer trusts: the backend's (any category's).
fn authorizing_pool<'a>(spec: &RestSpec, backend: &'a Backend) -> Option<&'a Resource> {
    let restricted = spec.paths.iter().any(|p| !p.is_open());
    if spec.authorizer != Authorizer::UserPool || !restricted {
        return None;
    }
    backend
        .resources
        .iter()
        .find(|r| r.can(Capability::UserPool))
}

/// Every group named in an access rule, once, with where it was first written.
fn groups(spec: &RestSpec) -> Vec<(&str, Span)> {
    let mut out: Vec<(&str, Span)> = Vec::new();
    for path in &spec.paths {
        for (audience, _, span) in &path.access {
            if let Audience::Group(g) = audience {
                if !out.iter().any(|(seen, _)| seen == g) {
                    out.push((g, *span));
                }
            }
        }
    }
    out
}

/// Whether the backend's auth can let `audience` in the way `authorizer` checks callers.
fn check_audience(
    authorizer: Authorizer,
    audience: &Audience,
    span: Span,
    backend: &Backend,
    cx: &Diagnostics,
) {
    if authorizer == Authorizer::UserPool {
        if !backend
            .resources
            .iter()
            .any(|r| r.can(Capability::UserPool))
        {
            cx.error(span, "`authorizer = user_pool` checks the caller's user-pool token, and this backend has no user pool: declare an `#[auth]` struct");
            return;
        }
        match audience {
            Audience::Authenticated => {}
            Audience::Guest => cx.error(span, "guests carry no user-pool token; for guest access write `authorizer = iam` (the identity pool's guest role), or make the route open"),
            Audience::Group(_) => cx.error(span, "a user-pool authorizer lets every signed-in user through; group rules need `authorizer = iam` (the groups' roles), or check `cognito:groups` in the function"),
        }
        return;
    }
    let auth = backend.find::<AuthSpec>();
    if auth.is_none() && backend.resources.iter().any(|r| r.is_a::<AuthSpec>()) {
        return; // the auth declaration has errors of its own
    }
    let Some(auth) = auth else {
        cx.error(span, "access rules sign calls with the identity pool's roles: declare `#[auth(identity_pool)]` in this backend, or write `authorizer = user_pool`");
        return;
    };
    if auth.is_imported() {
        cx.error(span, format!("access rules attach policies to roles this backend creates, but `{}` is imported; make the route open or use `authorizer = user_pool`", auth.ident));
        return;
    }
    match (audience, auth.spec.identity_pool) {
        (_, None) => cx.error(
            span,
            format!(
                "access rules need an identity pool: add `identity_pool` to `#[auth]` on `{}`",
                auth.ident
            ),
        ),
        (Audience::Guest, Some(false)) => cx.error(
            span,
            format!(
                "guest access needs guests: write `identity_pool(guest_access = true)` on `{}`",
                auth.ident
            ),
        ),
        (Audience::Group(g), _) if !auth.spec.groups.contains(g) => {
            let groups: Vec<&str> = auth.spec.groups.iter().map(String::as_str).collect();
            let hint = did_you_mean(g, &groups)
                .map(|b| format!("did you mean `{b}`?"))
                .unwrap_or_else(|| format!("add it: `groups = [{g}]` on `{}`", auth.ident));
            cx.error(span, format!("no user group `{g}` is declared; {hint}"));
        }
        _ => {}
    }
}
