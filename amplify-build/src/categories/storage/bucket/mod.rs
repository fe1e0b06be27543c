//! `#[bucket(...)]`: an S3 bucket for user files, with Amplify's access levels for
//! signed-in users, guests and user groups.

mod decl;
mod synth;

use indexmap::IndexMap;
use proc_macro2::Span;

use crate::categories::auth::{group_role_output, AuthSpec};
use crate::category::model::Backend;
use crate::category::stack::{NestedStack, StackContext};
use crate::category::{Category, Declared, Descriptor, Edge, ImportKey, OutputDef, ParseContext};
use crate::cfn::policy;
use crate::cfn::Value;
use crate::decl::args::ArgReader;
use crate::decl::diagnostics::{did_you_mean, Diagnostics};
use crate::plan::{ClientFile, ClientFragment, Fragment};

/// The S3 part of the storage category.
pub struct Bucket;

/// Who a bucket grants access to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Signed-in users (identity pool authenticated role).
    Authenticated,
    /// Guests (identity pool unauthenticated role).
    Guest,
    /// Members of a user-pool group.
    Group(String),
}

/// Object permissions on a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// Get and list.
    Read,
    /// Put.
    Write,
    /// Delete.
    Delete,
}

/// `#[bucket(...)]`: an S3 bucket for user files.
#[derive(Debug, Clone)]
pub struct BucketSpec {
    /// Access rules per audience, with where each was written.
    pub access: Vec<(Audience, Vec<Access>, Span)>,
    /// Keep prior object versions.
    pub versioning: bool,
    /// The name it was deployed with before (`bucket_name = "..."`, an adopted Gen 1
    /// bucket): deployed, as Amplify Gen 1 names buckets, as
    /// `<bucket_name><root stack suffix>-<env>`; otherwise CloudFormation names it.
    pub bucket_name: Option<String>,
}

const KEYS: &[&str] = &[
    "authenticated",
    "guest",
    "groups",
    "versioning",
    "bucket_name",
];

const IMPORT: &[ImportKey] = &[ImportKey {
    key: "name",
    output: "BucketName",
    required: true,
}];

impl Category for Bucket {
    type Spec = BucketSpec;

    fn console_page(&self) -> Option<&'static str> {
        Some("https://s3.console.aws.amazon.com/s3/buckets/{BucketName}?region={region}")
    }

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "bucket",
            category: "storage",
            service: "S3",
            keys: KEYS,
            import: Some(IMPORT),
            import_derived: &[("Region", "${AWS::Region}")],
            exportable: true,
            local_cloud: true,
        }
    }

    fn parse(&self, args: &mut ArgReader<'_>, _: &ParseContext<'_>) -> Option<BucketSpec> {
        decl::parse(args)
    }

    fn imported(&self, _: &mut IndexMap<String, String>) -> BucketSpec {
        BucketSpec {
            access: Vec::new(),
            versioning: true,
            bucket_name: None,
        }
    }

    fn check(&self, it: Declared<'_, BucketSpec>, backend: &Backend, cx: &Diagnostics) {
        let auth = backend.find::<AuthSpec>();
        if auth.is_none() && backend.resources.iter().any(|r| r.is_a::<AuthSpec>()) {
            // The auth declaration has errors of its own; nothing to check against.
            return;
        }
        for (audience, _, span) in &it.spec.access {
            check_access(audience, *span, auth, cx);
        }
    }

    fn edges<'a>(&self, it: Declared<'a, BucketSpec>, backend: &'a Backend) -> Vec<Edge<'a>> {
        let Some(auth) = backend.find::<AuthSpec>() else {
            return Vec::new();
        };
        it.spec
            .access
            .iter()
            .filter_map(|(audience, _, span)| match audience {
                Audience::Group(group) => Some(Edge {
                    target: &auth.resource.ident,
                    span: *span,
                    outputs: vec![group_role_output(group)],
                }),
                _ => None,
            })
            .collect()
    }

    fn outputs(&self, _: Option<&BucketSpec>) -> Vec<OutputDef> {
        vec![
            OutputDef::new("BucketName")
                .accessor("bucket_name", "The S3 bucket name.")
                .granted(),
            OutputDef::new("Region").accessor("region", "The bucket's region."),
        ]
    }

    fn permissions(&self) -> &'static [&'static str] {
        &["read", "write", "delete"]
    }

    fn grant(
        &self,
        _: Declared<'_, BucketSpec>,
        permission: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
        let bucket = parameter("BucketName");
        let objects = vec![Value::sub(format!(
            "arn:${{AWS::Partition}}:s3:::${{{bucket}}}/*"
        ))];
        match permission {
            "read" => vec![
                policy::allow(&["s3:GetObject"], objects),
                policy::allow(
                    &["s3:ListBucket"],
                    vec![Value::sub(format!(
                        "arn:${{AWS::Partition}}:s3:::${{{bucket}}}"
                    ))],
                ),
            ],
            "write" => vec![policy::allow(&["s3:PutObject"], objects)],
            _ => vec![policy::allow(&["s3:DeleteObject"], objects)],
        }
    }

    fn synthesize(&self, it: Declared<'_, BucketSpec>, cx: &StackContext<'_>) -> NestedStack {
        synth::nested_stack(it.spec, cx)
    }

    fn client_config(&self, it: Declared<'_, BucketSpec>, _: &Backend) -> Vec<ClientFragment> {
        client_config(&it.name)
    }
}

/// Whether the auth resource can serve one access rule.
fn check_access(
    audience: &Audience,
    span: Span,
    auth: Option<Declared<'_, AuthSpec>>,
    cx: &Diagnostics,
) {
    let Some(auth) = auth else {
        cx.error(
            span,
            "bucket access rules need an `#[auth(identity_pool)]` resource in this backend to grant access to",
        );
        return;
    };
    if auth.is_imported() {
        cx.error(
            span,
            format!("bucket access rules attach policies to roles this backend creates, but `{}` is imported; grant access where that user pool's identity pool is managed", auth.ident),
        );
        return;
    }
    match audience {
        Audience::Authenticated | Audience::Guest if auth.spec.identity_pool.is_none() => cx.error(
            span,
            format!("bucket access for signed-in users or guests needs an identity pool: add `identity_pool` to `#[auth]` on `{}`", auth.ident),
        ),
        Audience::Guest if auth.spec.identity_pool == Some(false) => cx.error(
            span,
            format!("guest access needs guests: write `identity_pool(guest_access = true)` on `{}`", auth.ident),
        ),
        Audience::Group(g) => {
            if auth.spec.identity_pool.is_none() {
                cx.error(span, format!("group access needs an identity pool: add `identity_pool` to `#[auth]` on `{}`", auth.ident));
            } else if !auth.spec.groups.contains(g) {
                let groups: Vec<&str> = auth.spec.groups.iter().map(String::as_str).collect();
                let hint = did_you_mean(g, &groups)
                    .map(|b| format!("did you mean `{b}`?"))
                    .unwrap_or_else(|| format!("add it: `groups = [{g}]` on `{}`", auth.ident));
                cx.error(span, format!("no user group `{g}` is declared; {hint}"));
            }
        }
        _ => {}
    }
}

/// The first bucket is the default one of each client file; Gen 2 lists them all.
fn client_config(name: &str) -> Vec<ClientFragment> {
    let bucket = || Fragment::output("BucketName");
    vec![
        ClientFragment {
            file: ClientFile::AmplifyOutputs,
            value: Fragment::object([(
                "storage",
                Fragment::object([
                    ("aws_region", Fragment::Region),
                    ("bucket_name", bucket()),
                    (
                        "buckets",
                        Fragment::List(vec![Fragment::object([
                            ("name", Fragment::literal(name)),
                            ("bucket_name", bucket()),
                            ("aws_region", Fragment::Region),
                        ])]),
                    ),
                ]),
            )]),
        },
        ClientFragment {
            file: ClientFile::AwsExports,
            value: Fragment::object([
                ("aws_user_files_s3_bucket", bucket()),
                ("aws_user_files_s3_bucket_region", Fragment::Region),
            ]),
        },
        ClientFragment {
            file: ClientFile::AwsConfiguration,
            value: Fragment::object([(
                "S3TransferUtility",
                Fragment::object([(
                    "Default",
                    Fragment::object([("Bucket", bucket()), ("Region", Fragment::Region)]),
                )]),
            )]),
        },
        ClientFragment {
            file: ClientFile::NativeAmplifyConfiguration,
            value: Fragment::object([(
                "storage",
                Fragment::object([(
                    "plugins",
                    Fragment::object([(
                        "awsS3StoragePlugin",
                        Fragment::object([
                            ("bucket", bucket()),
                            ("region", Fragment::Region),
                            ("defaultAccessLevel", Fragment::literal("guest")),
                        ]),
                    )]),
                )]),
            )]),
        },
    ]
}
