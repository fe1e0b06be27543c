//! The root stack: deployment bucket, auth/unauth roles (trusted by the identity pool
//! when one is declared), the identity pool's role attachment, and one nested stack per
//! resource with its parameters wired from other stacks' outputs.

use super::policy;
use super::{content_hash, description, NestedStack};
use crate::cfn::{list, obj, Parameter, Resource, Template, Value};
use crate::deps::Dependency;
use crate::model::{Backend, Resource as Decl};

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
        resource.spec.category(),
        resource.name
    )
}

/// The root stack `init` creates before anything is uploaded: the deployment bucket,
/// its TLS policy and the two roles (trusted by nobody until an identity pool exists).
/// The first push replaces it with the synthesised root stack.
pub fn bootstrap_root_stack() -> Template {
    let empty = Backend {
        resources: Vec::new(),
    };
    root_stack(&empty, &[])
}

pub fn root_stack(backend: &Backend, stacks: &[(&Decl, NestedStack, Vec<Dependency>)]) -> Template {
    let mut t = Template::new(description("root"));
    t.string_param("DeploymentBucketName")
        .describe("Name of the common deployment bucket provided by the parent stack");
    t.string_param("AuthRoleName")
        .describe("Name of the role assumed by signed-in users");
    t.string_param("UnauthRoleName")
        .describe("Name of the role assumed by guests");
    if stacks
        .iter()
        .any(|(_, s, _)| s.template.parameters.contains_key("env"))
    {
        t.string_param("env").describe("Amplify environment name");
    }
    for (_, stack, _) in stacks {
        for (name, p) in &stack.root_inputs {
            t.parameters.insert(name.clone(), p.clone());
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

    let identity = backend
        .auth()
        .and_then(|(r, spec)| spec.identity_pool.map(|guest| (r, spec, guest)));
    let pool_output =
        |r: &Decl, output: &str| Value::get_att(r.logical_id(), format!("Outputs.{output}"));
    let (auth_trust, unauth_trust) = match identity {
        Some((r, _, guest)) => (
            policy::identity_pool_trust(pool_output(r, "IdentityPoolId"), "authenticated"),
            if guest {
                policy::identity_pool_trust(pool_output(r, "IdentityPoolId"), "unauthenticated")
            } else {
                policy::deny_all_trust()
            },
        ),
        None => (policy::deny_all_trust(), policy::deny_all_trust()),
    };
    t.resource(
        "AuthRole",
        Resource::new("AWS::IAM::Role")
            .prop("RoleName", Value::r#ref("AuthRoleName"))
            .prop("AssumeRolePolicyDocument", auth_trust),
    );
    t.resource(
        "UnauthRole",
        Resource::new("AWS::IAM::Role")
            .prop("RoleName", Value::r#ref("UnauthRoleName"))
            .prop("AssumeRolePolicyDocument", unauth_trust),
    );

    if let Some((r, spec, guest)) = identity {
        let mut roles = vec![("authenticated", Value::get_att("AuthRole", "Arn"))];
        if guest {
            roles.push(("unauthenticated", Value::get_att("UnauthRole", "Arn")));
        }
        let mut attachment = Resource::new("AWS::Cognito::IdentityPoolRoleAttachment")
            .prop("IdentityPoolId", pool_output(r, "IdentityPoolId"))
            .prop("Roles", obj(roles));
        if !spec.groups.is_empty() {
            // Group members get their group's role through the token's preferred role.
            let mapping = |client: &str| {
                obj([
                    (
                        "IdentityProvider",
                        Value::Join(
                            String::new(),
                            vec![
                                "cognito-idp.".into(),
                                Value::r#ref("AWS::Region"),
                                ".amazonaws.com/".into(),
                                pool_output(r, "UserPoolId"),
                                ":".into(),
                                pool_output(r, client),
                            ],
                        ),
                    ),
                    ("Type", "Token".into()),
                    ("AmbiguousRoleResolution", "AuthenticatedRole".into()),
                ])
            };
            attachment = attachment.prop(
                "RoleMappings",
                obj([
                    ("UserPoolWeb", mapping("AppClientIDWeb")),
                    ("UserPoolNative", mapping("AppClientID")),
                ]),
            );
        }
        t.resource("IdentityPoolRoleAttachment", attachment);
    }

    for (resource, stack, deps) in stacks {
        t.resource(resource.logical_id(), nested_stack(resource, stack, deps));
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
/// declares gets a value: a literal, a root expression, an output of a dependency, or `env`.
fn nested_stack(resource: &Decl, stack: &NestedStack, deps: &[Dependency]) -> Resource {
    let mut params = indexmap::IndexMap::new();
    for (name, declared) in &stack.template.parameters {
        let value = if let Some(v) = stack.parameters.get(name) {
            Some(v.clone())
        } else if let Some(v) = stack.root_parameters.get(name) {
            Some(v.clone())
        } else if name == "env" {
            Some(Value::r#ref("env"))
        } else {
            deps.iter().find_map(|d| {
                d.attributes.iter().find_map(|attr| {
                    (super::StackContext::dependency_parameter(d.target, attr) == *name)
                        .then(|| super::output_value(d.target, attr))
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
                resource.logical_id()
            ),
        }
    }
    let key = template_key(resource, stack);
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
