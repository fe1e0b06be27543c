//! Edges between resources: which outputs of which resource another one consumes, and
//! what each granted permission means in IAM terms.
//!
//! Both validation (dangling references, cycles) and synthesis (backend-config `dependsOn`,
//! root-stack parameter wiring, IAM policies) read these tables, so they cannot disagree.

use proc_macro2::Span;

use crate::model::{Audience, AuthMode, Backend, Resource, Spec};

/// One resource consuming outputs of another.
#[derive(Debug, Clone)]
pub struct Dependency<'a> {
    /// The resource depended on.
    pub target: &'a Resource,
    /// Output names of the target's nested stack that are consumed.
    pub attributes: Vec<String>,
    /// Where the reference was written.
    pub span: Span,
}

/// Output attributes of `target` that a consumer needs to reach it.
pub fn consumed_attributes(target: &Spec) -> Vec<String> {
    match target {
        Spec::Auth(_) => vec!["UserPoolId".into(), "UserPoolArn".into()],
        Spec::Api(_) => vec![
            "GraphQLAPIIdOutput".into(),
            "GraphQLAPIEndpointOutput".into(),
        ],
        Spec::Bucket(_) => vec!["BucketName".into()],
        Spec::Table(_) => vec!["Name".into(), "Arn".into()],
        Spec::Function(_) => vec!["Name".into(), "Arn".into()],
    }
}

/// The resolved dependencies of `resource`, de-duplicated, in declaration order.
/// References that do not resolve are skipped (validation reports them).
pub fn dependencies<'a>(backend: &'a Backend, resource: &Resource) -> Vec<Dependency<'a>> {
    let mut out: Vec<Dependency<'a>> = Vec::new();
    let mut add = |target: Option<&'a Resource>, attributes: Vec<String>, span: Span| {
        let Some(target) = target else { return };
        // A reference to oneself is reported by validation; it is not an edge.
        if target.ident == resource.ident {
            return;
        }
        if let Some(existing) = out.iter_mut().find(|d| d.target.name == target.name) {
            for a in attributes {
                if !existing.attributes.contains(&a) {
                    existing.attributes.push(a);
                }
            }
        } else {
            out.push(Dependency {
                target,
                attributes,
                span,
            });
        }
    };
    match &resource.spec {
        Spec::Auth(_) | Spec::Table(_) => {}
        Spec::Api(api) => {
            for mode in std::iter::once(&api.default_auth).chain(&api.additional_auth) {
                if let AuthMode::UserPool(r) = mode {
                    add(backend.resolve(r), vec!["UserPoolId".into()], r.span);
                }
            }
            for ds in &api.data_sources {
                if let Some(target) = backend.resolve(ds) {
                    // A Lambda data source needs only the ARN; a table its name (for the
                    // data source) and ARN (for the service role).
                    let attributes = match target.spec {
                        Spec::Function(_) => vec!["Arn".into()],
                        _ => consumed_attributes(&target.spec),
                    };
                    add(Some(target), attributes, ds.span);
                }
            }
        }
        Spec::Bucket(bucket) => {
            if let Some((auth, _)) = backend.auth() {
                for (audience, _, span) in &bucket.access {
                    if let Audience::Group(group) = audience {
                        add(Some(auth), vec![format!("{group}GroupRole")], *span);
                    }
                }
            }
        }
        Spec::Function(f) => {
            for grant in &f.grants {
                if let Some(target) = backend.resolve(&grant.target) {
                    add(
                        Some(target),
                        consumed_attributes(&target.spec),
                        grant.target.span,
                    );
                }
            }
        }
    }
    out
}

/// Permission names a function may be granted on a resource of this kind.
pub fn grantable_permissions(target: &Spec) -> &'static [&'static str] {
    match target {
        Spec::Table(_) | Spec::Bucket(_) => &["read", "write", "delete"],
        Spec::Function(_) => &["invoke"],
        Spec::Api(_) => &["query", "mutation", "subscription"],
        Spec::Auth(_) => &["read", "manage"],
    }
}

/// IAM actions for one granted permission.
pub fn grant_actions(target: &Spec, permission: &str) -> &'static [&'static str] {
    match (target, permission) {
        (Spec::Table(_), "read") => &[
            "dynamodb:BatchGetItem",
            "dynamodb:ConditionCheckItem",
            "dynamodb:DescribeTable",
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:Scan",
        ],
        (Spec::Table(_), "write") => &[
            "dynamodb:BatchWriteItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
        ],
        (Spec::Table(_), "delete") => &["dynamodb:DeleteItem"],
        (Spec::Bucket(_), "read") => &["s3:GetObject"],
        (Spec::Bucket(_), "write") => &["s3:PutObject"],
        (Spec::Bucket(_), "delete") => &["s3:DeleteObject"],
        (Spec::Function(_), "invoke") => &["lambda:InvokeFunction"],
        (Spec::Api(_), "query" | "mutation" | "subscription") => &["appsync:GraphQL"],
        (Spec::Auth(_), "read") => &[
            "cognito-idp:AdminGetUser",
            "cognito-idp:AdminListGroupsForUser",
            "cognito-idp:ListGroups",
            "cognito-idp:ListUsers",
            "cognito-idp:ListUsersInGroup",
        ],
        (Spec::Auth(_), "manage") => &[
            "cognito-idp:AdminAddUserToGroup",
            "cognito-idp:AdminCreateUser",
            "cognito-idp:AdminDeleteUser",
            "cognito-idp:AdminDisableUser",
            "cognito-idp:AdminEnableUser",
            "cognito-idp:AdminRemoveUserFromGroup",
            "cognito-idp:AdminUpdateUserAttributes",
        ],
        _ => &[],
    }
}
