//! IAM policy documents. Every statement names its actions and resources; callers pass
//! the narrowest resource expression they have.

use crate::cfn::{list, obj, Resource, Value};

/// `{"Version": "2012-10-17", "Statement": [...]}`.
pub fn document(statements: Vec<Value>) -> Value {
    obj([
        ("Version", Value::from("2012-10-17")),
        ("Statement", Value::List(statements)),
    ])
}

/// An `Allow` statement.
pub fn allow(actions: &[&str], resources: Vec<Value>) -> Value {
    let mut actions: Vec<&str> = actions.to_vec();
    actions.sort_unstable();
    actions.dedup();
    obj([
        ("Effect", Value::from("Allow")),
        (
            "Action",
            Value::List(actions.into_iter().map(Value::from).collect()),
        ),
        ("Resource", Value::List(resources)),
    ])
}

/// An `Allow` statement with a condition block.
pub fn allow_when(actions: &[&str], resources: Vec<Value>, condition: Value) -> Value {
    let Value::Map(mut map) = allow(actions, resources) else {
        unreachable!("allow builds a map")
    };
    map.insert("Condition".into(), condition);
    Value::Map(map)
}

/// Trust policy letting an AWS service assume a role.
pub fn service_trust(service: &str) -> Value {
    document(vec![obj([
        ("Effect", Value::from("Allow")),
        ("Principal", obj([("Service", Value::from(service))])),
        ("Action", list([Value::from("sts:AssumeRole")])),
    ])])
}

/// Trust policy letting identities of one Cognito identity pool assume a role.
/// `amr` is `authenticated` or `unauthenticated`.
pub fn identity_pool_trust(identity_pool_id: Value, amr: &str) -> Value {
    document(vec![obj([
        ("Effect", Value::from("Allow")),
        (
            "Principal",
            obj([("Federated", Value::from("cognito-identity.amazonaws.com"))]),
        ),
        (
            "Action",
            list([Value::from("sts:AssumeRoleWithWebIdentity")]),
        ),
        (
            "Condition",
            obj([
                (
                    "StringEquals",
                    obj([("cognito-identity.amazonaws.com:aud", identity_pool_id)]),
                ),
                (
                    "ForAnyValue:StringLike",
                    obj([("cognito-identity.amazonaws.com:amr", Value::from(amr))]),
                ),
            ]),
        ),
    ])])
}

/// Trust policy that nobody can use: the root roles' state until an identity pool exists.
pub fn deny_all_trust() -> Value {
    document(vec![obj([
        ("Effect", Value::from("Deny")),
        (
            "Principal",
            obj([("Federated", Value::from("cognito-identity.amazonaws.com"))]),
        ),
        (
            "Action",
            list([Value::from("sts:AssumeRoleWithWebIdentity")]),
        ),
    ])])
}

/// The CloudWatch Logs permissions a service needs to write into one log-group ARN pattern.
pub fn write_logs(log_group_arn: Value) -> Value {
    allow(
        &[
            "logs:CreateLogGroup",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
        ],
        vec![log_group_arn],
    )
}

/// An S3 bucket nobody outside the account can reach: all public access blocked, objects
/// encrypted at rest, ACLs disabled. Pair it with a policy denying plain HTTP.
pub fn private_bucket() -> Resource {
    Resource::new("AWS::S3::Bucket")
        .prop(
            "PublicAccessBlockConfiguration",
            obj([
                ("BlockPublicAcls", true.into()),
                ("BlockPublicPolicy", true.into()),
                ("IgnorePublicAcls", true.into()),
                ("RestrictPublicBuckets", true.into()),
            ]),
        )
        .prop(
            "BucketEncryption",
            obj([(
                "ServerSideEncryptionConfiguration",
                list([obj([(
                    "ServerSideEncryptionByDefault",
                    obj([("SSEAlgorithm", Value::from("AES256"))]),
                )])]),
            )]),
        )
        .prop(
            "OwnershipControls",
            obj([(
                "Rules",
                list([obj([(
                    "ObjectOwnership",
                    Value::from("BucketOwnerEnforced"),
                )])]),
            )]),
        )
}
