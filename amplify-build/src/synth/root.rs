//! The root stack: deployment bucket, auth/unauth roles (trusted by the identity pool
//! when one is declared), the identity pool's role attachment, and one nested stack per
//! resource with its parameters wired from other stacks' outputs.
//!
//! Its parameters are the provider's four whatever the backend's size: a value that
//! differs per environment (a code key, an overridden variable, an API key's expiry)
//! is written into its nested stack's `Parameters` by push, as Amplify writes them.

use super::Synthesized;
use crate::category::model::{Backend, Resource as Decl};
use crate::category::stack::{description, NestedStack, RootRoles};
use crate::cfn::policy;
use crate::cfn::{list, obj, Resource, Template, Value};
use crate::plan::content_hash;

/// The root parameter carrying the secret `parameter` of `resource`'s stack.
pub fn secret_parameter(resource: &Decl, parameter: &str) -> String {
    format!("secret{}{parameter}", resource.logical_id())
}

/// S3 key (under the deployment bucket) of a nested template: content-addressed, so a
/// changed template is a changed `TemplateURL` and an unchanged one is no update at all.
pub fn template_key(resource: &Decl, stack: &NestedStack, json: &str) -> String {
    let file = stack
        .template_path
        .rsplit('/')
        .next()
        .unwrap_or(&stack.template_path);
    let stem = file.strip_suffix(".json").unwrap_or(file);
    let hash = content_hash(json.as_bytes());
    format!(
        "amplify-cfn-templates/{}/{}/{stem}-{hash}.json",
        resource.category(),
        resource.name
    )
}

/// The root stack: the provider's bucket and roles, then one nested stack per resource.
pub(super) fn root_stack(
    backend: &Backend,
    stacks: &[Synthesized],
    links: &[super::links::LinkStack],
) -> Template {
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
        || links.iter().any(|l| l.parameters.contains_key("env"))
    {
        t.string_param("env").describe("Amplify environment name");
    }
    for s in stacks {
        for (parameter, binding) in &s.stack.bindings {
            if let super::Binding::Input(crate::plan::EnvInput::Secret { variable }) = binding {
                t.string_param(secret_parameter(s.resource, parameter))
                    .describe(format!(
                        "A secret of {}, from the environment variable {variable} when push runs",
                        s.resource.name
                    ))
                    .no_echo();
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
        resource.kind.root(resource, backend, &mut roles);
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
    for link in links {
        let mut r = Resource::new("AWS::CloudFormation::Stack").prop(
            "TemplateURL",
            Value::sub(format!(
                "https://s3.amazonaws.com/${{DeploymentBucketName}}/{}",
                link.template_key()
            )),
        );
        if !link.parameters.is_empty() {
            r = r.prop("Parameters", Value::Map(link.parameters.clone()));
        }
        t.resource(link.logical_id.clone(), r);
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
    for name in s.stack.template.parameters.keys() {
        let value = if let Some(binding) = s.stack.bindings.get(name) {
            match s.bound_value(name, binding) {
                Some(v) => Some(v),
                // Push supplies it per environment.
                None => continue,
            }
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
        // A parameter without a value or default is reported by `unfilled_parameters`.
        if let Some(v) = value {
            params.insert(name.clone(), v);
        }
    }
    let key = &s.key;
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

/// Parameters of `s`'s template that neither the root nor a default fills: the
/// category's template and its bindings or edges disagree, and CloudFormation would
/// refuse the stack.
pub(super) fn unfilled_parameters<'a>(s: &'a Synthesized) -> Vec<&'a str> {
    s.stack
        .template
        .parameters
        .iter()
        .filter(|(name, declared)| {
            declared.default.is_none()
                && *name != "env"
                && !s.stack.bindings.contains_key(*name)
                && !s.dependencies.iter().any(|d| {
                    d.attributes.iter().any(|attr| {
                        super::StackContext::dependency_parameter(d.target, attr) == **name
                    })
                })
        })
        .map(|(name, _)| name.as_str())
        .collect()
}
