//! Storage: S3 buckets for user files and DynamoDB tables.

use super::policy;
use super::{description, CategoryPlugin, NestedStack, StackContext};
use crate::cfn::{list, obj, Resource, Template, Value};
use crate::model::{Access, Audience, Billing, BucketSpec, KeyAttr, Spec, TableSpec};

pub struct BucketPlugin;
pub struct TablePlugin;

impl CategoryPlugin for BucketPlugin {
    fn category(&self) -> &'static str {
        "storage"
    }

    fn synthesize(&self, cx: &StackContext<'_>) -> NestedStack {
        let Spec::Bucket(spec) = &cx.resource.spec else {
            unreachable!("bucket plugin on {:?}", cx.resource.spec)
        };
        let mut t = Template::new(description("storage-S3"));
        t.string_param("env").describe("Amplify environment name");
        let mut root_parameters = indexmap::IndexMap::new();
        for (audience, _, _) in &spec.access {
            match audience {
                Audience::Authenticated => {
                    t.string_param("authRoleName")
                        .describe("Role assumed by signed-in users");
                    // The role resource, not the name parameter: the reference makes CloudFormation
                    // create the role before attaching this stack's policy to it.
                    root_parameters.insert("authRoleName".to_owned(), Value::r#ref("AuthRole"));
                }
                Audience::Guest => {
                    t.string_param("unauthRoleName")
                        .describe("Role assumed by guests");
                    root_parameters.insert("unauthRoleName".to_owned(), Value::r#ref("UnauthRole"));
                }
                Audience::Group(_) => {}
            }
        }
        for dep in &cx.dependencies {
            for attr in &dep.attributes {
                t.string_param(StackContext::dependency_parameter(dep.target, attr));
            }
        }

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
                    let (auth, _) = cx
                        .backend
                        .auth()
                        .expect("validated: group access needs auth");
                    (
                        format!("{g}GroupAccessPolicy"),
                        StackContext::dependency_ref(auth, &format!("{g}GroupRole")),
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
        stack.root_parameters = root_parameters;
        stack
    }
}

fn bucket(spec: &BucketSpec) -> Resource {
    policy::private_bucket()
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

impl CategoryPlugin for TablePlugin {
    fn category(&self) -> &'static str {
        "storage"
    }

    fn synthesize(&self, cx: &StackContext<'_>) -> NestedStack {
        let Spec::Table(spec) = &cx.resource.spec else {
            unreachable!("table plugin on {:?}", cx.resource.spec)
        };
        let name = &cx.resource.name;
        let mut t = Template::new(description("storage-DynamoDB"));
        t.string_param("env").describe("Amplify environment name");
        t.resource("DynamoDBTable", table(name, spec));
        t.output("Name", Value::r#ref("DynamoDBTable"));
        t.output("Arn", Value::get_att("DynamoDBTable", "Arn"));
        if spec.stream {
            t.output("StreamArn", Value::get_att("DynamoDBTable", "StreamArn"));
        }
        t.output(
            "PartitionKeyName",
            Value::from(spec.partition_key.name.as_str()),
        );
        t.output(
            "PartitionKeyType",
            Value::from(spec.partition_key.kind.code()),
        );
        if let Some(sk) = &spec.sort_key {
            t.output("SortKeyName", Value::from(sk.name.as_str()));
            t.output("SortKeyType", Value::from(sk.kind.code()));
        }
        t.output("Region", Value::r#ref("AWS::Region"));
        NestedStack::new(t, format!("build/{name}-cloudformation-template.json"))
    }
}

fn key_schema(pk: &KeyAttr, sk: Option<&KeyAttr>) -> Value {
    let mut keys = vec![obj([
        ("AttributeName", Value::from(pk.name.as_str())),
        ("KeyType", "HASH".into()),
    ])];
    if let Some(sk) = sk {
        keys.push(obj([
            ("AttributeName", Value::from(sk.name.as_str())),
            ("KeyType", "RANGE".into()),
        ]));
    }
    Value::List(keys)
}

fn throughput(billing: Billing) -> Option<Value> {
    match billing {
        Billing::OnDemand => None,
        Billing::Provisioned { read, write } => Some(obj([
            ("ReadCapacityUnits", Value::from(read)),
            ("WriteCapacityUnits", Value::from(write)),
        ])),
    }
}

fn table(name: &str, spec: &TableSpec) -> Resource {
    let mut attributes: Vec<&KeyAttr> = Vec::new();
    let keys = std::iter::once(&spec.partition_key)
        .chain(spec.sort_key.iter())
        .chain(
            spec.indexes
                .iter()
                .flat_map(|i| std::iter::once(&i.partition_key).chain(i.sort_key.iter())),
        );
    for a in keys {
        if !attributes.iter().any(|b| b.name == a.name) {
            attributes.push(a);
        }
    }
    let definitions: Vec<Value> = attributes
        .iter()
        .map(|a| {
            obj([
                ("AttributeName", Value::from(a.name.as_str())),
                ("AttributeType", a.kind.code().into()),
            ])
        })
        .collect();

    let mut table = Resource::new("AWS::DynamoDB::Table")
        .prop("TableName", Value::sub(format!("{name}-${{env}}")))
        .prop("AttributeDefinitions", Value::List(definitions))
        .prop(
            "KeySchema",
            key_schema(&spec.partition_key, spec.sort_key.as_ref()),
        )
        .prop(
            "BillingMode",
            match spec.billing {
                Billing::OnDemand => "PAY_PER_REQUEST",
                Billing::Provisioned { .. } => "PROVISIONED",
            },
        )
        .prop_opt("ProvisionedThroughput", throughput(spec.billing));
    if !spec.indexes.is_empty() {
        let gsis = spec
            .indexes
            .iter()
            .map(|i| {
                let mut fields = vec![
                    ("IndexName", Value::from(i.name.as_str())),
                    (
                        "KeySchema",
                        key_schema(&i.partition_key, i.sort_key.as_ref()),
                    ),
                    ("Projection", obj([("ProjectionType", Value::from("ALL"))])),
                ];
                if let Some(t) = throughput(spec.billing) {
                    fields.push(("ProvisionedThroughput", t));
                }
                obj(fields)
            })
            .collect();
        table = table.prop("GlobalSecondaryIndexes", Value::List(gsis));
    }
    table = table
        .prop(
            "SSESpecification",
            obj([
                ("SSEEnabled", true.into()),
                ("SSEType", "KMS".into()),
                ("KMSMasterKeyId", "alias/aws/dynamodb".into()),
            ]),
        )
        .prop(
            "PointInTimeRecoverySpecification",
            obj([(
                "PointInTimeRecoveryEnabled",
                spec.point_in_time_recovery.into(),
            )]),
        );
    if spec.stream {
        table = table.prop(
            "StreamSpecification",
            obj([("StreamViewType", Value::from("NEW_AND_OLD_IMAGES"))]),
        );
    }
    table.checkov_skip_if(
        !spec.point_in_time_recovery,
        "CKV_AWS_28",
        "point-in-time recovery turned off in the declaration: #[table(point_in_time_recovery = false)]",
    )
}
