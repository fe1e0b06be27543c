//! AppSync: the GraphQL API, its schema (uploaded with the AppSync files), API key,
//! data sources with least-privilege service roles, resolvers and logging.

use crate::category::Capability;
use serde_json::json;

use super::{ApiSpec, AuthMode, Resolver};
use crate::categories::storage::table;
use crate::category::model::Resource as Decl;
use crate::category::stack::output_value;
use crate::category::stack::{description, AssetLocation, Binding, NestedStack, StackContext};
use crate::cfn::policy;
use crate::cfn::{list, obj, Parameter, Resource, Template, Value};
use crate::plan::content_hash;
use crate::plan::{Asset, AssetFile, ChildStack, EnvInput};

/// The nested stack of one API.
pub(super) fn nested_stack(resource: &Decl, spec: &ApiSpec, cx: &StackContext<'_>) -> NestedStack {
    let name = &resource.name;
    let mut t = Template::new(description("api-AppSync"));
    t.string_param("env").describe("Amplify environment name");
    t.string_param("AppSyncApiName")
        .describe("Base name of the GraphQL API");
    t.string_param("S3DeploymentBucket")
        .describe("Bucket holding the AppSync files");
    t.string_param("S3DeploymentRootKey")
        .describe("Key prefix of this API's AppSync files");
    // The user pool arrives as `AuthCognitoUserPoolId`, the name Amplify's API
    // templates use; other dependencies use the generic `<category><name><Attr>`.
    for dep in &cx.dependencies {
        if dep.target.can(Capability::UserPool) {
            t.string_param("AuthCognitoUserPoolId")
                .describe("Id of the Cognito user pool used for user-pool auth");
            continue;
        }
        for attr in &dep.attributes {
            t.string_param(StackContext::dependency_parameter(dep.target, attr));
        }
    }

    let modes: Vec<&AuthMode> = std::iter::once(&spec.default_auth)
        .chain(&spec.additional_auth)
        .collect();
    let has_api_key = modes.iter().any(|m| matches!(m, AuthMode::ApiKey { .. }));

    t.resource(
            "ApiLogsRole",
            Resource::new("AWS::IAM::Role")
                .prop("AssumeRolePolicyDocument", policy::service_trust("appsync.amazonaws.com"))
                .prop(
                    "Policies",
                    list([obj([
                        ("PolicyName", Value::from("appsync-logs")),
                        (
                            "PolicyDocument",
                            policy::document(vec![policy::write_logs(Value::sub(
                                "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/appsync/apis/*",
                            ))]),
                        ),
                    ])]),
                ),
        );

    let mut api = Resource::new("AWS::AppSync::GraphQLApi")
        .prop("Name", Value::sub("${AppSyncApiName}-${env}"))
        .prop("AuthenticationType", spec.default_auth.appsync_type());
    if let AuthMode::UserPool(r) = &spec.default_auth {
        let _ = r;
        api = api.prop(
            "UserPoolConfig",
            obj([
                ("UserPoolId", Value::r#ref("AuthCognitoUserPoolId")),
                ("AwsRegion", Value::r#ref("AWS::Region")),
                ("DefaultAction", "ALLOW".into()),
            ]),
        );
    }
    if !spec.additional_auth.is_empty() {
        let providers = spec
            .additional_auth
            .iter()
            .map(|mode| {
                let mut p = vec![("AuthenticationType", Value::from(mode.appsync_type()))];
                if let AuthMode::UserPool(_) = mode {
                    p.push((
                        "UserPoolConfig",
                        obj([
                            ("UserPoolId", Value::r#ref("AuthCognitoUserPoolId")),
                            ("AwsRegion", Value::r#ref("AWS::Region")),
                        ]),
                    ));
                }
                obj(p)
            })
            .collect();
        api = api.prop("AdditionalAuthenticationProviders", Value::List(providers));
    }
    api = api
            .prop(
                "LogConfig",
                obj([
                    ("CloudWatchLogsRoleArn", Value::get_att("ApiLogsRole", "Arn")),
                    ("FieldLogLevel", "ERROR".into()),
                    ("ExcludeVerboseContent", true.into()),
                ]),
            )
            .checkov_skip(
                "CKV2_AWS_33",
                "a WAF web ACL costs money per month and rule; attach one outside amplify-rs if the API needs it",
            );
    t.resource("GraphQLAPI", api);

    t.resource(
        "GraphQLSchema",
        Resource::new("AWS::AppSync::GraphQLSchema")
            .prop("ApiId", Value::get_att("GraphQLAPI", "ApiId"))
            .prop(
                "DefinitionS3Location",
                Value::sub("s3://${S3DeploymentBucket}/${S3DeploymentRootKey}/schema.graphql"),
            ),
    );

    if has_api_key {
        let mut epoch = Parameter::new("Number");
        epoch.default = Some(Value::Int(0));
        epoch.describe(
            "Expiry of the API key in seconds since the epoch; 0 lets AppSync choose (7 days)",
        );
        t.parameters.insert("APIKeyExpirationEpoch".into(), epoch);
        t.conditions.insert(
            "HasAPIKeyExpiration".into(),
            Value::Not(Box::new(Value::Equals(
                Box::new(Value::r#ref("APIKeyExpirationEpoch")),
                Box::new(Value::Int(0)),
            ))),
        );
        t.resource(
            "GraphQLAPIKey",
            Resource::new("AWS::AppSync::ApiKey")
                .prop("ApiId", Value::get_att("GraphQLAPI", "ApiId"))
                .prop("Description", format!("{name} API key"))
                .prop(
                    "Expires",
                    Value::If(
                        "HasAPIKeyExpiration".into(),
                        Box::new(Value::r#ref("APIKeyExpirationEpoch")),
                        Box::new(Value::no_value()),
                    ),
                ),
        );
    }

    for ds in &spec.data_sources {
        let target = cx.backend.resolve(ds).expect("validated reference");
        let role_id = format!("{}DataSourceRole", target.name);
        let (kind, config_key, config, actions, resources) =
            if target.can(Capability::InvocableFunction) {
                {
                    let arn = StackContext::dependency_ref(target, "Arn");
                    (
                        "AWS_LAMBDA",
                        "LambdaConfig",
                        obj([("LambdaFunctionArn", arn.clone())]),
                        vec!["lambda:InvokeFunction"],
                        vec![
                            arn.clone(),
                            Value::Join(String::new(), vec![arn, ":*".into()]),
                        ],
                    )
                }
            } else {
                {
                    (
                        "AMAZON_DYNAMODB",
                        "DynamoDBConfig",
                        obj([
                            ("TableName", StackContext::dependency_ref(target, "Name")),
                            ("AwsRegion", Value::r#ref("AWS::Region")),
                        ]),
                        table_actions(),
                        table::arns(StackContext::dependency_ref(target, "Arn")),
                    )
                }
            };
        t.resource(
            &role_id,
            data_source_role(&format!("{}-access", target.name), &actions, resources),
        );
        t.resource(
            format!("{}DataSource", target.name),
            Resource::new("AWS::AppSync::DataSource")
                .prop("ApiId", Value::get_att("GraphQLAPI", "ApiId"))
                .prop("Name", target.name.as_str())
                .prop("Type", kind)
                .prop(config_key, config)
                .prop("ServiceRoleArn", Value::get_att(&role_id, "Arn")),
        );
    }

    let mut appsync_files = vec![("schema.graphql".to_owned(), with_auth_directives(spec))];
    let models = super::model::add_models(&mut t, &spec.models);
    appsync_files.extend(models.files);
    for (id, r) in resolver_ids(spec) {
        let target = cx
            .backend
            .resolve(&r.data_source)
            .expect("validated reference");
        let mut res = Resource::new("AWS::AppSync::Resolver")
            .prop("ApiId", Value::get_att("GraphQLAPI", "ApiId"))
            .prop("TypeName", r.type_name.as_str())
            .prop("FieldName", r.field.as_str())
            .prop(
                "DataSourceName",
                Value::get_att(format!("{}DataSource", target.name), "Name"),
            )
            .prop("Kind", "UNIT");
        if let Some(code) = &r.code_text {
            res = res
                .prop(
                    "Runtime",
                    obj([
                        ("Name", Value::from("APPSYNC_JS")),
                        ("RuntimeVersion", "1.0.0".into()),
                    ]),
                )
                .prop("Code", code.as_str());
            appsync_files.push((
                format!("resolvers/{}.{}.js", r.type_name, r.field),
                code.clone(),
            ));
        }
        res.depends_on.push("GraphQLSchema".into());
        t.resource(id, res);
    }

    t.output("GraphQLAPIIdOutput", Value::get_att("GraphQLAPI", "ApiId"))
        .description = Some("Your GraphQL API ID.".into());
    t.output(
        "GraphQLAPIEndpointOutput",
        Value::get_att("GraphQLAPI", "GraphQLUrl"),
    )
    .description = Some("Your GraphQL API endpoint.".into());
    if has_api_key {
        t.output(
            "GraphQLAPIKeyOutput",
            Value::get_att("GraphQLAPIKey", "ApiKey"),
        )
        .description = Some("Your GraphQL API key.".into());
    }

    // The AppSync files are uploaded under a key derived from their content, so a
    // schema change is a parameter change and an unchanged schema is no change at all.
    let mut hasher_input = String::new();
    for (path, text) in &appsync_files {
        hasher_input.push_str(path);
        hasher_input.push('\0');
        hasher_input.push_str(text);
        hasher_input.push('\0');
    }
    let root_key = format!(
        "amplify-appsync-files/{}",
        content_hash(hasher_input.as_bytes())
    );

    let mut stack = NestedStack::new(t, "build/cloudformation-template.json");
    stack
        .bind(
            "AppSyncApiName",
            Binding::Literal(Value::from(name.as_str())),
        )
        .bind("S3DeploymentBucket", Binding::Assets(AssetLocation::Bucket))
        .bind(
            "S3DeploymentRootKey",
            Binding::Assets(AssetLocation::Prefix(root_key.clone())),
        );
    if let Some(days) = api_key_days(spec) {
        stack.bind(
            "APIKeyExpirationEpoch",
            Binding::Input(EnvInput::ApiKeyExpiry { days }),
        );
    }
    if let Some(dep) = cx
        .dependencies
        .iter()
        .find(|d| d.target.can(Capability::UserPool))
    {
        stack.bind(
            "AuthCognitoUserPoolId",
            Binding::Root(output_value(dep.target, "UserPoolId")),
        );
    }
    stack.assets.push(Asset::Files {
        prefix: root_key,
        export_folder: "amplify-appsync-files".into(),
        files: appsync_files
            .iter()
            .map(|(path, _)| AssetFile {
                key: path.clone(),
                path: format!("build/{path}"),
            })
            .collect(),
    });
    stack.children = models
        .children
        .into_iter()
        .map(|(logical_id, path)| ChildStack {
            logical_id,
            template: format!("build/{path}"),
            export_template: format!("amplify-appsync-files/{path}"),
        })
        .collect();
    stack
        .files
        .push(("schema.graphql".into(), spec.source_schema.clone()));
    for (path, text) in appsync_files {
        stack.files.push((format!("build/{path}"), text));
    }
    stack.backend_config.insert(
        "output".into(),
        json!({ "authConfig": auth_config(spec, cx) }),
    );
    stack
}

/// Everything a data source does on a table: read, write, delete.
pub(super) fn table_actions() -> Vec<&'static str> {
    ["read", "write", "delete"]
        .into_iter()
        .flat_map(table::actions)
        .copied()
        .collect()
}

/// The role AppSync assumes for a data source, allowed `actions` on `resources` only.
pub(super) fn data_source_role(
    policy_name: &str,
    actions: &[&str],
    resources: Vec<Value>,
) -> Resource {
    Resource::new("AWS::IAM::Role")
        .prop(
            "AssumeRolePolicyDocument",
            policy::service_trust("appsync.amazonaws.com"),
        )
        .prop(
            "Policies",
            list([obj([
                ("PolicyName", Value::from(policy_name)),
                (
                    "PolicyDocument",
                    policy::document(vec![policy::allow(actions, resources)]),
                ),
            ])]),
        )
}

/// The declared validity of the API's key, if it has one.
pub(super) fn api_key_days(spec: &ApiSpec) -> Option<u32> {
    spec.modes().find_map(|m| match m {
        AuthMode::ApiKey { expires_in_days } => Some(*expires_in_days),
        _ => None,
    })
}

/// AppSync applies additional auth modes only to types and fields that name them. When
/// a schema says nothing about auth, every declared mode is granted on every object
/// type, default included (naming one mode on a type drops the implicit default). Types
/// or fields that already carry an `@aws_*` auth directive are the user's choice and
/// stay as written.
fn with_auth_directives(spec: &ApiSpec) -> String {
    if spec.additional_auth.is_empty() {
        return spec.schema.clone();
    }
    let directives: String = std::iter::once(&spec.default_auth)
        .chain(&spec.additional_auth)
        .map(|m| match m {
            AuthMode::ApiKey { .. } => " @aws_api_key",
            AuthMode::UserPool(_) => " @aws_cognito_user_pools",
            AuthMode::Iam => " @aws_iam",
        })
        .collect();
    let Ok(document) = graphql_parser::parse_schema::<String>(&spec.schema) else {
        // Declaration parsing already rejected unparsable schemas.
        return spec.schema.clone();
    };
    use graphql_parser::schema::{Definition, TypeDefinition, TypeExtension};
    let is_auth =
        |d: &graphql_parser::schema::Directive<String>| AUTH_DIRECTIVES.contains(&d.name.as_str());
    let mut positions = Vec::new();
    for def in &document.definitions {
        let (pos, directives, fields) = match def {
            Definition::TypeDefinition(TypeDefinition::Object(o)) => {
                (o.position, &o.directives, &o.fields)
            }
            Definition::TypeExtension(TypeExtension::Object(o)) => {
                (o.position, &o.directives, &o.fields)
            }
            _ => continue,
        };
        let annotated = directives.iter().any(is_auth)
            || fields.iter().any(|f| f.directives.iter().any(is_auth));
        if !annotated && !fields.is_empty() {
            positions.push(pos);
        }
    }
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(spec.schema.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut text = spec.schema.clone();
    let mut inserts: Vec<usize> = positions
        .iter()
        .filter_map(|p| {
            let start = line_starts.get(p.line - 1)? + p.column - 1;
            spec.schema[start..].find('{').map(|i| start + i)
        })
        .collect();
    inserts.sort_unstable();
    for at in inserts.into_iter().rev() {
        let trimmed = text[..at].trim_end().len();
        text.insert_str(trimmed, &directives);
    }
    text
}

const AUTH_DIRECTIVES: &[&str] = &[
    "aws_api_key",
    "aws_iam",
    "aws_cognito_user_pools",
    "aws_oidc",
    "aws_lambda",
    "aws_auth",
];

/// Logical ids for resolvers: letters and digits only, unique even when two fields differ
/// only in characters CloudFormation rejects.
fn resolver_ids(spec: &ApiSpec) -> Vec<(String, &Resolver)> {
    let mut out: Vec<(String, &Resolver)> = Vec::new();
    for r in &spec.resolvers {
        let base: String = format!("{}{}Resolver", r.type_name, super::upper_first(&r.field))
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let mut id = base.clone();
        let mut n = 2;
        while out.iter().any(|(existing, _)| *existing == id) {
            id = format!("{base}{n}");
            n += 1;
        }
        out.push((id, r));
    }
    out
}

/// Amplify's `output.authConfig` block, read by client-config generation.
fn auth_config(spec: &ApiSpec, cx: &StackContext<'_>) -> serde_json::Value {
    let mode_json = |mode: &AuthMode| match mode {
        AuthMode::ApiKey { expires_in_days } => json!({
            "authenticationType": "API_KEY",
            "apiKeyConfig": { "apiKeyExpirationDays": expires_in_days }
        }),
        AuthMode::UserPool(r) => {
            let target = cx.backend.resolve(r).expect("validated reference");
            json!({
                "authenticationType": "AMAZON_COGNITO_USER_POOLS",
                "userPoolConfig": { "userPoolId": target.logical_id() }
            })
        }
        AuthMode::Iam => json!({ "authenticationType": "AWS_IAM" }),
    };
    json!({
        "defaultAuthentication": mode_json(&spec.default_auth),
        "additionalAuthenticationProviders": spec.additional_auth.iter().map(mode_json).collect::<Vec<_>>()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::model::Reference;

    fn spec(schema: &str, additional: Vec<AuthMode>) -> ApiSpec {
        ApiSpec {
            schema_path: "schema.graphql".into(),
            schema: schema.into(),
            source_schema: schema.into(),
            default_auth: AuthMode::ApiKey { expires_in_days: 7 },
            additional_auth: additional,
            data_sources: Vec::new(),
            resolvers: Vec::new(),
            models: Vec::new(),
            selection_depth: 2,
        }
    }

    #[test]
    fn every_mode_is_granted_where_the_schema_is_silent() {
        let pool = AuthMode::UserPool(Reference {
            name: "A".into(),
            span: proc_macro2::Span::call_site(),
        });
        let out = with_auth_directives(&spec(
            "type Post {\n  id: ID!\n}\ninput In { id: ID }\ntype Query @aws_iam {\n  posts: [Post]\n}\n",
            vec![pool, AuthMode::Iam],
        ));
        assert_eq!(
            out,
            "type Post @aws_api_key @aws_cognito_user_pools @aws_iam {\n  id: ID!\n}\ninput In { id: ID }\ntype Query @aws_iam {\n  posts: [Post]\n}\n"
        );
    }

    #[test]
    fn a_single_mode_leaves_the_schema_alone() {
        let text = "type Query {\n  a: Int\n}\n";
        assert_eq!(with_auth_directives(&spec(text, Vec::new())), text);
    }
}
