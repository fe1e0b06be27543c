//! The S3 bucket's nested stack: the bucket, its TLS-only policy, and one IAM policy per
//! audience on the role that audience assumes.

use super::{Access, Audience, BucketSpec};
use crate::categories::auth::{group_role_output, AuthSpec};
use crate::category::stack::{description, IdentityRole, NestedStack, StackContext};
use crate::cfn::policy;
use crate::cfn::{list, obj, Resource, Template, Value};

/// `<name><suffix>-<env>`, where the suffix is the fourth `-`-separated part of the
/// stack's name (`amplify-<project>-<env>-<suffix>-storage<resource>-<id>`): the name
/// Amplify Gen 1 gives a bucket, kept for a bucket adopted from it.
fn gen1_bucket_name(name: &str) -> Value {
    let split = obj([(
        "Fn::Split",
        list(["-".into(), Value::r#ref("AWS::StackName")]),
    )]);
    let suffix = obj([("Fn::Select", list([Value::Int(3), split]))]);
    Value::Join(
        String::new(),
        vec![name.into(), suffix, "-".into(), Value::r#ref("env")],
    )
}

/// The nested stack of one bucket.
pub(super) fn nested_stack(spec: &BucketSpec, cx: &StackContext<'_>) -> NestedStack {
    let mut t = Template::new(description("storage-S3"));
    t.string_param("env").describe("Amplify environment name");
    let mut bindings = indexmap::IndexMap::new();
    for (audience, _, _) in &spec.access {
        match audience {
            Audience::Authenticated => {
                IdentityRole::SignedIn.declare(&mut t, &mut bindings);
            }
            Audience::Guest => {
                IdentityRole::Guest.declare(&mut t, &mut bindings);
            }
            Audience::Group(_) => {}
        }
    }
    cx.declare_dependency_parameters(&mut t);

    t.resource(
        "S3Bucket",
        bucket(spec).prop(
            "Tags",
            list([obj([
                ("Key", Value::from("amplify:env")),
                ("Value", Value::r#ref("env")),
            ])]),
        ),
    );
    t.resource(
        "S3BucketRequireTLS",
        Resource::new("AWS::S3::BucketPolicy")
            .prop("Bucket", Value::r#ref("S3Bucket"))
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
                            Value::get_att("S3Bucket", "Arn"),
                            Value::Join(
                                String::new(),
                                vec![Value::get_att("S3Bucket", "Arn"), "/*".into()],
                            ),
                        ]),
                    ),
                    (
                        "Condition",
                        obj([("Bool", obj([("aws:SecureTransport", "false".into())]))]),
                    ),
                ])]),
            ),
    );

    for (audience, access, _) in &spec.access {
        let (id, role) = match audience {
            Audience::Authenticated => (
                "AuthenticatedAccessPolicy".to_owned(),
                Value::r#ref("authRoleName"),
            ),
            Audience::Guest => (
                "GuestAccessPolicy".to_owned(),
                Value::r#ref("unauthRoleName"),
            ),
            Audience::Group(g) => {
                let auth = cx
                    .backend
                    .find::<AuthSpec>()
                    .expect("validated: group access needs auth");
                (
                    format!("{g}GroupAccessPolicy"),
                    StackContext::dependency_ref(auth.resource, &group_role_output(g)),
                )
            }
        };
        t.resource(
            &id,
            Resource::new("AWS::IAM::Policy")
                .prop("PolicyName", Value::sub(format!("{id}-${{S3Bucket}}")))
                .prop("Roles", list([role]))
                .prop(
                    "PolicyDocument",
                    policy::document(access_statements(audience, access)),
                ),
        );
    }

    t.output("BucketName", Value::r#ref("S3Bucket")).description =
        Some("Bucket name for the S3 bucket".into());
    t.output("Region", Value::r#ref("AWS::Region"));

    let mut stack = NestedStack::new(t, "build/cloudformation-template.json");
    stack.bindings = bindings;
    stack
}

fn bucket(spec: &BucketSpec) -> Resource {
    let named = match &spec.bucket_name {
        Some(name) => policy::private_bucket().prop("BucketName", gen1_bucket_name(name)),
        None => policy::private_bucket(),
    };
    named
        .prop(
            "VersioningConfiguration",
            obj([("Status", Value::from(if spec.versioning { "Enabled" } else { "Suspended" }))]),
        )
        .prop(
            "CorsConfiguration",
            obj([(
                "CorsRules",
                list([obj([
                    ("AllowedHeaders", vec!["*"].into()),
                    ("AllowedMethods", vec!["GET", "HEAD", "PUT", "POST", "DELETE"].into()),
                    ("AllowedOrigins", vec!["*"].into()),
                    (
                        "ExposedHeaders",
                        vec!["x-amz-server-side-encryption", "x-amz-request-id", "x-amz-id-2", "ETag"].into(),
                    ),
                    ("MaxAge", 3000u32.into()),
                ])]),
            )]),
        )
        .checkov_skip(
            "CKV_AWS_18",
            "server access logging needs a second bucket and is billed per request; enable it per bucket when auditing requires it",
        )
        .checkov_skip_if(
            !spec.versioning,
            "CKV_AWS_21",
            "versioning turned off in the declaration: #[bucket(versioning = false)]",
        )
}

/// Object ARN under a prefix; `${!...}` keeps IAM policy variables away from `Fn::Sub`.
fn objects(prefix: &str) -> Value {
    Value::sub(format!(
        "arn:${{AWS::Partition}}:s3:::${{S3Bucket}}/{prefix}"
    ))
}

const OWN: &str = "${!cognito-identity.amazonaws.com:sub}";

/// Amplify's prefix convention: `public/` for everyone with access, `protected/<id>/`
/// readable by others but written only by its owner, `private/<id>/` for the owner alone.
fn access_statements(audience: &Audience, access: &[Access]) -> Vec<Value> {
    let mut statements = Vec::new();
    let (read, write, list_prefixes): (Vec<String>, Vec<String>, Vec<String>) = match audience {
        Audience::Authenticated => (
            vec![
                "public/*".into(),
                "protected/*".into(),
                format!("private/{OWN}/*"),
            ],
            vec![
                "public/*".into(),
                format!("protected/{OWN}/*"),
                format!("private/{OWN}/*"),
            ],
            vec![
                "public/".into(),
                "public/*".into(),
                "protected/".into(),
                "protected/*".into(),
                format!("private/{OWN}/"),
                format!("private/{OWN}/*"),
            ],
        ),
        Audience::Guest => (
            vec!["public/*".into(), "protected/*".into()],
            vec!["public/*".into()],
            vec![
                "public/".into(),
                "public/*".into(),
                "protected/".into(),
                "protected/*".into(),
            ],
        ),
        Audience::Group(_) => (vec!["*".into()], vec!["*".into()], Vec::new()),
    };
    for a in access {
        match a {
            Access::Read => {
                statements.push(policy::allow(
                    &["s3:GetObject"],
                    read.iter().map(|p| objects(p)).collect(),
                ));
                let bucket = Value::sub("arn:${AWS::Partition}:s3:::${S3Bucket}");
                if list_prefixes.is_empty() {
                    statements.push(policy::allow(&["s3:ListBucket"], vec![bucket]));
                } else {
                    let prefixes: Vec<Value> = list_prefixes
                        .iter()
                        .map(|p| Value::sub_if_needed(p.clone()))
                        .collect();
                    statements.push(policy::allow_when(
                        &["s3:ListBucket"],
                        vec![bucket],
                        obj([("StringLike", obj([("s3:prefix", Value::List(prefixes))]))]),
                    ));
                }
            }
            Access::Write => statements.push(policy::allow(
                &["s3:PutObject"],
                write.iter().map(|p| objects(p)).collect(),
            )),
            Access::Delete => statements.push(policy::allow(
                &["s3:DeleteObject"],
                write.iter().map(|p| objects(p)).collect(),
            )),
        }
    }
    statements
}
