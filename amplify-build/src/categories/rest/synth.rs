//! The REST API's nested stack: the API, one resource per path segment, the methods of
//! each route (Lambda proxy integrations, CORS preflight), the stage of the environment,
//! the functions' invoke permissions, and the roles' policies for restricted routes.
//!
//! Built resource by resource rather than from a Swagger body: CloudFormation and the
//! checkers then see every method, and an update keeps the API (and its URL).

use indexmap::IndexMap;
use serde_json::json;

use super::decl::routes_with_proxies;
use super::{Audience, Authorizer, Operation, RestPath, RestSpec};
use crate::categories::auth::{group_role_output, AuthSpec};
use crate::category::model::Resource as Declaration;
use crate::category::stack::{description, Binding, IdentityRole, NestedStack, StackContext};
use crate::category::Declared;
use crate::cfn::{list, obj, policy, Resource, Template, Value};
use crate::plan::content_hash;

/// Headers a browser may send, as Amplify's preflight answers.
const ALLOW_HEADERS: &str =
    "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent'";
const ALLOW_METHODS: &str = "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'";

pub(super) fn nested_stack(it: Declared<'_, RestSpec>, cx: &StackContext<'_>) -> NestedStack {
    let name = it.name.as_str();
    let spec = it.spec;
    let mut t = Template::new(description("api-APIGateway"));
    t.string_param("env").describe("Amplify environment name");
    cx.declare_dependency_parameters(&mut t);
    t.resource(
        name,
        Resource::new("AWS::ApiGateway::RestApi")
            .prop("Name", name)
            .prop("Description", format!("REST API {name} of amplify-rs"))
            .prop(
                "EndpointConfiguration",
                obj([("Types", list([Value::from("REGIONAL")]))]),
            ),
    );
    let routes = routes_with_proxies(&spec.paths);
    let ids = path_ids(routes.iter().map(|(r, _)| r.as_str()));
    for (route, id) in &ids {
        if let Some((parent, part)) = split_route(route) {
            t.resource(
                id,
                Resource::new("AWS::ApiGateway::Resource")
                    .prop("RestApiId", Value::r#ref(name))
                    .prop("ParentId", resource_ref(name, &ids, parent))
                    .prop("PathPart", part),
            );
        }
    }
    if spec.authorizer == Authorizer::UserPool && spec.paths.iter().any(|p| !p.is_open()) {
        let pool = super::authorizing_pool(spec, cx.backend).expect("checked: a user pool");
        t.resource(
            "CognitoAuthorizer",
            Resource::new("AWS::ApiGateway::Authorizer")
                .prop("Name", format!("{name}UserPool"))
                .prop("Type", "COGNITO_USER_POOLS")
                .prop("RestApiId", Value::r#ref(name))
                .prop("IdentitySource", "method.request.header.Authorization")
                .prop(
                    "ProviderARNs",
                    list([StackContext::dependency_ref(pool, "UserPoolArn")]),
                ),
        );
    }
    let mut methods: Vec<(String, Resource)> = Vec::new();
    for (route, index) in &routes {
        let path = &spec.paths[*index];
        let function = cx
            .backend
            .resolve(&path.function)
            .expect("checked: the function exists");
        let on = resource_ref(name, &ids, route);
        let base = ids.get(route.as_str()).map_or("Root", String::as_str);
        methods.push((format!("{base}Options"), preflight(name, on.clone())));
        for (method, authorization) in route_methods(spec.authorizer, path) {
            let id = format!("{base}{}", method_id(method));
            let mut m = Resource::new("AWS::ApiGateway::Method")
                .prop("RestApiId", Value::r#ref(name))
                .prop("ResourceId", on.clone())
                .prop("HttpMethod", method)
                .prop("AuthorizationType", authorization)
                .prop("Integration", proxy_integration(function));
            if authorization == "COGNITO_USER_POOLS" {
                m = m.prop("AuthorizerId", Value::r#ref("CognitoAuthorizer"));
            }
            if authorization == "NONE" {
                m = m.checkov_skip(
                    "CKV_AWS_59",
                    "declared open: the route has no access rules, so anyone may call it, as the declaration says",
                );
            }
            methods.push((id, m));
        }
    }
    let responses = ["4XX", "5XX"].map(|kind| {
        (
            format!("{name}Default{kind}Response"),
            gateway_response(name, kind),
        )
    });
    // A new deployment whenever a method changes: the stage serves a snapshot.
    let fingerprint = serde_json::to_vec(&methods).expect("resources serialise");
    let deployment = format!("DeploymentAPIGW{name}{}", &content_hash(&fingerprint)[..8]);
    let mut stage = Resource::new("AWS::ApiGateway::Deployment")
        .prop("RestApiId", Value::r#ref(name))
        .prop("StageName", Value::r#ref("env"))
        .prop("Description", "The environment's stage of the API.");
    stage.depends_on = methods
        .iter()
        .map(|(id, _)| id.clone())
        .chain(responses.iter().map(|(id, _)| id.clone()))
        .collect();
    for (id, m) in methods {
        t.resource(id, m);
    }
    for (id, r) in responses {
        t.resource(id, r);
    }
    t.resource(deployment, stage);
    let mut invoked: Vec<&Declaration> = Vec::new();
    for path in &spec.paths {
        let function = cx.backend.resolve(&path.function).expect("checked");
        if !invoked.iter().any(|f| f.ident == function.ident) {
            invoked.push(function);
        }
    }
    for function in invoked {
        t.resource(
            format!("function{}Permission{name}", function.name),
            Resource::new("AWS::Lambda::Permission")
                .prop(
                    "FunctionName",
                    StackContext::dependency_ref(function, "Name"),
                )
                .prop("Action", "lambda:InvokeFunction")
                .prop("Principal", "apigateway.amazonaws.com")
                .prop(
                    "SourceArn",
                    Value::sub(format!(
                        "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{name}}}/*/*/*"
                    )),
                ),
        );
    }
    let mut bindings = IndexMap::new();
    if spec.authorizer == Authorizer::Iam {
        role_policies(&mut t, &mut bindings, name, spec, cx);
    }
    t.output(
        "RootUrl",
        Value::sub(format!(
            "https://${{{name}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/${{env}}"
        )),
    )
    .description = Some("Root URL of the API gateway".into());
    t.output("ApiName", Value::from(name)).description = Some("API Friendly name".into());
    t.output("ApiId", Value::r#ref(name)).description = Some("API ID (prefix of API URL)".into());
    let mut stack = NestedStack::new(t, format!("build/{name}-cloudformation-template.json"));
    stack.bindings = bindings;
    stack.files.push((
        "cli-inputs.json".to_owned(),
        crate::cfn::to_pretty_json(&cli_inputs(spec, cx)),
    ));
    stack
}

/// The methods of one route and how each is authorised.
fn route_methods(authorizer: Authorizer, path: &RestPath) -> Vec<(&'static str, &'static str)> {
    if path.is_open() {
        return vec![("ANY", "NONE")];
    }
    match authorizer {
        // The roles' policies say which methods each audience may call.
        Authorizer::Iam => vec![("ANY", "AWS_IAM")],
        // Only the declared operations' methods exist; the rest are refused by API Gateway.
        Authorizer::UserPool => {
            let mut ops: Vec<Operation> = path
                .access
                .iter()
                .flat_map(|(_, ops, _)| ops.iter().copied())
                .collect();
            ops.sort();
            ops.dedup();
            ops.iter()
                .flat_map(|op| op.methods().iter().map(|m| (*m, "COGNITO_USER_POOLS")))
                .collect()
        }
    }
}

fn method_id(method: &str) -> String {
    let mut chars = method.chars();
    let first = chars.next().unwrap_or_default();
    format!("{first}{}", chars.as_str().to_ascii_lowercase())
}

/// The Lambda proxy integration with `function`.
fn proxy_integration(function: &Declaration) -> Value {
    let arn = StackContext::dependency_parameter(function, "Arn");
    obj([
        ("Type", Value::from("AWS_PROXY")),
        ("IntegrationHttpMethod", "POST".into()),
        (
            "Uri",
            Value::sub(format!(
                "arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{arn}}}/invocations"
            )),
        ),
    ])
}

/// `OPTIONS` answered by API Gateway itself with the CORS headers.
fn preflight(api: &str, on: Value) -> Resource {
    let header = |h: &str| format!("method.response.header.Access-Control-Allow-{h}");
    let values = [
        ("Headers", ALLOW_HEADERS),
        ("Methods", ALLOW_METHODS),
        ("Origin", "'*'"),
    ];
    Resource::new("AWS::ApiGateway::Method")
        .prop("RestApiId", Value::r#ref(api))
        .prop("ResourceId", on)
        .prop("HttpMethod", "OPTIONS")
        .prop("AuthorizationType", "NONE")
        .prop(
            "Integration",
            obj([
                ("Type", Value::from("MOCK")),
                (
                    "RequestTemplates",
                    obj([("application/json", Value::from("{\"statusCode\": 200}"))]),
                ),
                ("PassthroughBehavior", "WHEN_NO_MATCH".into()),
                (
                    "IntegrationResponses",
                    list([obj([
                        ("StatusCode", Value::from("200")),
                        (
                            "ResponseParameters",
                            obj(values.map(|(h, v)| (header(h), Value::from(v)))),
                        ),
                        (
                            "ResponseTemplates",
                            obj([("application/json", Value::from(""))]),
                        ),
                    ])]),
                ),
            ]),
        )
        .prop(
            "MethodResponses",
            list([obj([
                ("StatusCode", Value::from("200")),
                (
                    "ResponseParameters",
                    obj(values.map(|(h, _)| (header(h), Value::from(true)))),
                ),
            ])]),
        )
}

/// API Gateway's own errors (a refused call) carry CORS headers too, so a browser app
/// sees the 403 rather than a CORS failure.
fn gateway_response(api: &str, kind: &str) -> Resource {
    let header = |h: &str| format!("gatewayresponse.header.Access-Control-{h}");
    Resource::new("AWS::ApiGateway::GatewayResponse")
        .prop("RestApiId", Value::r#ref(api))
        .prop("ResponseType", format!("DEFAULT_{kind}"))
        .prop(
            "ResponseParameters",
            obj([
                (header("Allow-Origin"), Value::from("'*'")),
                (
                    header("Allow-Headers"),
                    Value::from(
                        "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
                    ),
                ),
                (header("Allow-Methods"), Value::from(ALLOW_METHODS)),
                (
                    header("Expose-Headers"),
                    Value::from("'Date,X-Amzn-ErrorType'"),
                ),
            ]),
        )
}

/// Policies letting the identity pool's roles (and groups' roles) invoke the routes'
/// methods they were given.
fn role_policies(
    t: &mut Template,
    bindings: &mut IndexMap<String, Binding>,
    name: &str,
    spec: &RestSpec,
    cx: &StackContext<'_>,
) {
    let mut audiences: Vec<Audience> = Vec::new();
    for path in &spec.paths {
        for (audience, _, _) in &path.access {
            if !audiences.contains(audience) {
                audiences.push(audience.clone());
            }
        }
    }
    for audience in audiences {
        let mut arns = Vec::new();
        for path in &spec.paths {
            for (who, ops, _) in &path.access {
                if *who == audience {
                    for arn in invoke_arns(name, &path.route, ops) {
                        if !arns.contains(&arn) {
                            arns.push(arn);
                        }
                    }
                }
            }
        }
        let (id, role) = match &audience {
            Audience::Authenticated => (
                "PolicyAPIGWAuth".to_owned(),
                IdentityRole::SignedIn.declare(t, bindings),
            ),
            Audience::Guest => (
                "PolicyAPIGWUnauth".to_owned(),
                IdentityRole::Guest.declare(t, bindings),
            ),
            Audience::Group(g) => {
                let auth = cx
                    .backend
                    .find::<AuthSpec>()
                    .expect("checked: groups need auth");
                (
                    format!("{g}GroupPolicy"),
                    StackContext::dependency_ref(auth.resource, &group_role_output(g)),
                )
            }
        };
        t.resource(
            &id,
            Resource::new("AWS::IAM::Policy")
                .prop("PolicyName", Value::sub(format!("{id}-${{{name}}}")))
                .prop("Roles", list([role]))
                .prop(
                    "PolicyDocument",
                    policy::document(vec![policy::allow(&["execute-api:Invoke"], arns)]),
                ),
        );
    }
}

/// The method ARNs `ops` on `route` cover: the route and every path below it, parameters
/// as `*`; all four operations are every method.
fn invoke_arns(api: &str, route: &str, ops: &[Operation]) -> Vec<Value> {
    let methods: Vec<&str> = if ops.len() == 4 {
        vec!["*"]
    } else {
        ops.iter()
            .flat_map(|op| op.methods().iter().copied())
            .collect()
    };
    let path: String = route
        .split('/')
        .map(|s| if s.starts_with('{') { "*" } else { s })
        .collect::<Vec<_>>()
        .join("/");
    let path = path.trim_end_matches('/');
    let mut out = Vec::new();
    for method in methods {
        let exact = if path.is_empty() { "/" } else { path };
        for suffix in [exact.to_owned(), format!("{path}/*")] {
            out.push(Value::sub(format!(
                "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/${{env}}/{method}{suffix}"
            )));
        }
    }
    out
}

/// Logical ids of every path the routes need (each route's ancestors too), `/` aside:
/// `/items/{id}` → `PathItemsById`. Two paths that would share an id (`/a-b`, `/ab`) both
/// get a hash of their path, so neither id depends on the other's presence.
fn path_ids<'a>(routes: impl Iterator<Item = &'a str>) -> IndexMap<String, String> {
    let mut paths: Vec<String> = Vec::new();
    for route in routes {
        let mut at = String::new();
        for segment in route.split('/').filter(|s| !s.is_empty()) {
            at = format!("{at}/{segment}");
            if !paths.contains(&at) {
                paths.push(at.clone());
            }
        }
    }
    let plain: Vec<String> = paths.iter().map(|p| plain_id(p)).collect();
    paths
        .iter()
        .zip(&plain)
        .map(|(path, id)| {
            let shared = plain.iter().filter(|other| *other == id).count() > 1;
            let id = if shared {
                format!("{id}{}", &content_hash(path.as_bytes())[..6])
            } else {
                id.clone()
            };
            (path.clone(), id)
        })
        .collect()
}

fn plain_id(path: &str) -> String {
    let mut id = "Path".to_owned();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let (prefix, word) = match segment.strip_prefix('{') {
            Some(p) if p.starts_with("proxy+") => ("", "Proxy"),
            Some(p) => ("By", p.trim_end_matches('}')),
            None => ("", segment),
        };
        id.push_str(prefix);
        for part in word.split(['-', '_']) {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                id.push(first.to_ascii_uppercase());
                id.extend(chars.filter(char::is_ascii_alphanumeric));
            }
        }
    }
    id
}

/// `/items/{id}` → (`/items`, `{id}`); `/items` → (`/`, `items`); `/` → none.
fn split_route(route: &str) -> Option<(&str, &str)> {
    let (parent, part) = route.rsplit_once('/')?;
    if part.is_empty() {
        return None;
    }
    Some((if parent.is_empty() { "/" } else { parent }, part))
}

/// The API Gateway resource id of `route`.
fn resource_ref(api: &str, ids: &IndexMap<String, String>, route: &str) -> Value {
    match ids.get(route) {
        Some(id) => Value::r#ref(id),
        None => Value::get_att(api, "RootResourceId"),
    }
}

/// Amplify's `cli-inputs.json`, so that the Amplify CLI reads the API's paths.
fn cli_inputs(spec: &RestSpec, cx: &StackContext<'_>) -> serde_json::Value {
    let mut paths = serde_json::Map::new();
    for path in &spec.paths {
        let function = cx
            .backend
            .resolve(&path.function)
            .map_or(path.function.name.as_str(), |f| f.name.as_str());
        let names = |ops: &[Operation]| ops.iter().map(|o| o.name()).collect::<Vec<_>>();
        let mut permissions = serde_json::Map::new();
        let mut groups = serde_json::Map::new();
        for (audience, ops, _) in &path.access {
            match audience {
                Audience::Authenticated => {
                    permissions.insert("auth".into(), json!(names(ops)));
                }
                Audience::Guest => {
                    permissions.insert("guest".into(), json!(names(ops)));
                }
                Audience::Group(g) => {
                    groups.insert(g.clone(), json!(names(ops)));
                }
            }
        }
        let setting = if path.is_open() {
            "open"
        } else if permissions.contains_key("guest") {
            "protected"
        } else {
            "private"
        };
        permissions.insert("setting".into(), json!(setting));
        if !groups.is_empty() {
            permissions.insert("groups".into(), serde_json::Value::Object(groups));
        }
        paths.insert(
            path.route.clone(),
            json!({"name": path.route, "lambdaFunction": function, "permissions": permissions}),
        );
    }
    json!({"version": 1, "paths": paths})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_ids_are_stable_and_distinct() {
        let ids = path_ids(["/items/{id}", "/items/{id}/{proxy+}", "/a-b", "/ab"].into_iter());
        assert_eq!(ids["/items"], "PathItems");
        assert_eq!(ids["/items/{id}"], "PathItemsById");
        assert_eq!(ids["/items/{id}/{proxy+}"], "PathItemsByIdProxy");
        assert_ne!(ids["/a-b"], ids["/ab"]);
        // Without the other, `/ab` keeps the id it has alongside it.
        let alone = path_ids(["/ab", "/a-b"].into_iter());
        assert_eq!(alone["/ab"], ids["/ab"]);
    }

    #[test]
    fn invoke_arns_cover_the_route_and_below_with_parameters_as_stars() {
        let arns = invoke_arns("Shop", "/orders/{id}", &[Operation::Read]);
        let texts: Vec<String> = arns
            .iter()
            .map(|v| match v {
                Value::Sub(s) => s.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(texts.len(), 4, "{texts:?}");
        assert!(
            texts[0].ends_with("${Shop}/${env}/GET/orders/*"),
            "{texts:?}"
        );
        assert!(
            texts[1].ends_with("${Shop}/${env}/GET/orders/*/*"),
            "{texts:?}"
        );
        assert!(texts[2].ends_with("/HEAD/orders/*"), "{texts:?}");
        let all = invoke_arns(
            "Shop",
            "/",
            &[
                Operation::Create,
                Operation::Read,
                Operation::Update,
                Operation::Delete,
            ],
        );
        assert_eq!(all.len(), 2);
    }
}
