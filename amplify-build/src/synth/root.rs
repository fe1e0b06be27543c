//! The root stack: deployment bucket, auth/unauth roles (trusted by the identity pool
//! when one is declared), the identity pool's role attachment, and one nested stack per
//! resource with its parameters wired from other stacks' outputs.

use super::Synthesized;
use crate::category::model::{Backend, Resource as Decl};
use crate::category::stack::{description, NestedStack, RootRoles};
use crate::cfn::policy;
use crate::cfn::{list, obj, Parameter, Resource, Template, Value};
use crate::plan::content_hash;
use crate::plan::EnvInput;

/// The root parameter through which push supplies `input` for `parameter` of
/// `resource`'s stack: `<category><resource><parameter>`, with its declaration. `None`
/// for values the root already has (the deployment bucket's name).
pub fn input_parameter(
    resource: &Decl,
    parameter: &str,
    input: &EnvInput,
) -> Option<(String, Parameter)> {
    let declared = match input {
        EnvInput::DeploymentBucket => return None,
        EnvInput::AssetKey { .. } => {
            let mut p = Parameter::new("String");
            p.describe(format!(
                "Deployment-bucket key of {}'s code zip; set by `cargo amplify push`",
                resource.name
            ));
            p
        }
        EnvInput::Override { key, default } => {
            let mut p = Parameter::new("String");
            p.default = Some(Value::from(default.as_str()));
            p.describe(format!(
                "{key} of {}: the declared value unless the environment overrides it in team-provider-info.json",
                resource.name
            ));
            p
        }
        EnvInput::ApiKeyExpiry { .. } => {
            let mut p = Parameter::new("Number");
            p.default = Some(Value::Int(0));
            p.describe(
                "Expiry of the API key in seconds since the epoch; 0 lets AppSync choose (7 days)",
            );
            p
        }
    };
    Some((
        format!("{}{}{parameter}", resource.category(), resource.name),
        declared,
    ))
}

/// S3 key (under the deployment bucket) of a nested template: content-addressed, so a
/// changed template is a changed `TemplateURL` and an unchanged one is no update at all.
pub fn template_key(resource: &Decl, stack: &NestedStack) -> String {
    let file = stack
        .template_path
        .rsplit('/')
        .next()
        .unwrap_or(&stack.template_path);
    let stem = file.strip_suffix(".json").unwrap_or(file);
    let hash = content_hash(stack.template.to_json().as_bytes());
    format!(
        "amplify-cfn-templates/{}/{}/{stem}-{hash}.json",
        resource.category(),
        resource.name
    )
}

/// The root stack: the provider's bucket and roles, then one nested stack per resource.
pub(super) fn root_stack(backend: &Backend, stacks: &[Synthesized]) -> Template {
    let mut t = Template::new(description("root"));
    t.string_param("DeploymentBucketName")
        .describe("Name of the common deployment bucket provided by the parent stack");
    t.string_param("AuthRoleName")
        .describe("Name of the role assumed by signed-in users");
    t.string_param("UnauthRoleName")
        .describe("Name of the role assumed by guests");
    if stacks
        .iter()
        .any(|s| s.stack.template.parameters.contains_key("env"))
    {
        t.string_param("env").describe("Amplify environment name");
    }
    for s in stacks {
        for (parameter, binding) in &s.stack.bindings {
            if let super::Binding::Input(input) = binding {
                if let Some((name, declared)) = input_parameter(s.resource, parameter, input) {
                    t.parameters.insert(name, declared);
                }
            }
        }
    }

    t.resource("DeploymentBucket", deployment_bucket());
    t.resource(
        "DeploymentBucketBlockHTTP",
        Resource::new("AWS::S3::BucketPolicy")
            .prop("Bucket", Value::r#ref("DeploymentBucket"))
            .prop(
                "PolicyDocument",
                policy::document(vec![obj([
                    ("Sid", Value::from("DenyInsecureTransport")),
                    ("Effect", "Deny".into()),
                    ("Principal", "*".into()),
                    ("Action", "s3:*".into()),
                    (
                        "Resource",
                        list([
                            Value::sub("arn:${AWS::Partition}:s3:::${DeploymentBucketName}"),
                            Value::sub("arn:${AWS::Partition}:s3:::${DeploymentBucketName}/*"),
                        ]),
                    ),
                    (
                        "Condition",
                        obj([("Bool", obj([("aws:SecureTransport", "false".into())]))]),
                    ),
                ])]),
            ),
    );

    let mut roles = RootRoles::default();
    for resource in &backend.resources {
        resource.kind.root(resource, &mut roles);
    }
    t.resource(
        "AuthRole",
        Resource::new("AWS::IAM::Role")
            .prop("RoleName", Value::r#ref("AuthRoleName"))
            .prop(
                "AssumeRolePolicyDocument",
                roles.auth_trust.unwrap_or_else(policy::deny_all_trust),
            ),
    );
    t.resource(
        "UnauthRole",
        Resource::new("AWS::IAM::Role")
            .prop("RoleName", Value::r#ref("UnauthRoleName"))
            .prop(
                "AssumeRolePolicyDocument",
                roles.unauth_trust.unwrap_or_else(policy::deny_all_trust),
            ),
    );
    for (id, resource) in roles.resources {
        t.resource(id, resource);
    }

    for s in stacks {
        t.resource(s.resource.logical_id(), nested_stack(s));
    }

    let export = |name: &str| Value::sub(format!("${{AWS::StackName}}-{name}"));
    t.output("Region", Value::r#ref("AWS::Region"))
        .export_as(export("Region"));
    t.output("StackName", Value::r#ref("AWS::StackName"))
        .export_as(export("StackName"));
    t.output("StackId", Value::r#ref("AWS::StackId"))
        .export_as(export("StackId"));
    t.output("DeploymentBucketName", Value::r#ref("DeploymentBucketName"))
        .export_as(export("DeploymentBucketName"));
    t.output("AuthRoleArn", Value::get_att("AuthRole", "Arn"));
    t.output("UnauthRoleArn", Value::get_att("UnauthRole", "Arn"));
    t.output("AuthRoleName", Value::r#ref("AuthRole"));
    t.output("UnauthRoleName", Value::r#ref("UnauthRole"));
    t
}

fn deployment_bucket() -> Resource {
    policy::private_bucket()
        .retain()
        .prop("BucketName", Value::r#ref("DeploymentBucketName"))
        .prop("VersioningConfiguration", obj([("Status", Value::from("Enabled"))]))
        .checkov_skip(
            "CKV_AWS_18",
            "holds only deployment artefacts written by amplify-rs; access logging would need a second bucket",
        )
}

/// The `AWS::CloudFormation::Stack` of one resource. Every parameter the nested template
/// declares gets a value: its binding, `env`, or an output of a dependency.
fn nested_stack(s: &Synthesized) -> Resource {
    let mut params = indexmap::IndexMap::new();
    for (name, declared) in &s.stack.template.parameters {
        let value = if let Some(binding) = s.stack.bindings.get(name) {
            Some(s.bound_value(name, binding))
        } else if name == "env" {
            Some(Value::r#ref("env"))
        } else {
            s.dependencies.iter().find_map(|d| {
                d.attributes.iter().find_map(|attr| {
                    (super::StackContext::dependency_parameter(d.target, attr) == *name)
                        .then(|| crate::category::stack::output_value(d.target, attr))
                })
            })
        };
        match value {
            Some(v) => {
                params.insert(name.clone(), v);
            }
            None => assert!(
                has_default(declared),
                "{}: nested parameter `{name}` has no value",
                s.resource.logical_id()
            ),
        }
    }
    let key = template_key(s.resource, &s.stack);
    let mut r = Resource::new("AWS::CloudFormation::Stack").prop(
        "TemplateURL",
        Value::sub(format!(
            "https://s3.amazonaws.com/${{DeploymentBucketName}}/{key}"
        )),
    );
    if !params.is_empty() {
        r = r.prop("Parameters", Value::Map(params));
    }
    r
}

fn has_default(p: &Parameter) -> bool {
    p.default.is_some()
}
