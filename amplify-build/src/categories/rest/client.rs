//! What a REST API gives apps: its routes as typed operations, and its keys in the client
//! configuration files — `aws_cloud_logic_custom` (aws-exports.js, read by aws-amplify as
//! `API.REST`), the native `awsAPIPlugin` entry, and Gen 2's documented `custom.API`.

use super::{Audience, Authorizer, RestPath, RestSpec};
use crate::operations::{RestAuth, RestOperations, RestRoute};
use crate::plan::{ClientFile, ClientFragment, Fragment};

pub(super) fn operations(spec: &RestSpec) -> RestOperations {
    RestOperations {
        routes: spec
            .paths
            .iter()
            .map(|path| RestRoute {
                path: path.route.clone(),
                parameters: path
                    .route
                    .split('/')
                    .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
                    .map(str::to_owned)
                    .collect(),
                auth: match (path.is_open(), spec.authorizer) {
                    (true, _) => RestAuth::None,
                    (false, Authorizer::Iam) => RestAuth::Iam,
                    (false, Authorizer::UserPool) => RestAuth::UserPool,
                },
                access: access_words(path),
            })
            .collect(),
    }
}

/// "open to anyone", or "signed-in users: read; guests: read; group Admin: delete".
fn access_words(path: &RestPath) -> String {
    if path.is_open() {
        return "open to anyone".to_owned();
    }
    path.access
        .iter()
        .map(|(audience, ops, _)| {
            let who = match audience {
                Audience::Authenticated => "signed-in users".to_owned(),
                Audience::Guest => "guests".to_owned(),
                Audience::Group(g) => format!("group {g}"),
            };
            let ops: Vec<&str> = ops.iter().map(|o| o.name()).collect();
            format!("{who}: {}", ops.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub(super) fn fragments(name: &str, spec: &RestSpec) -> Vec<ClientFragment> {
    let endpoint = || Fragment::output("RootUrl");
    let authorization = match spec.authorizer {
        Authorizer::Iam => "AWS_IAM",
        Authorizer::UserPool => "AMAZON_COGNITO_USER_POOLS",
    };
    vec![
        ClientFragment {
            file: ClientFile::AmplifyOutputs,
            value: Fragment::object([(
                "custom",
                Fragment::object([(
                    "API",
                    Fragment::object([(
                        name,
                        Fragment::object([
                            ("endpoint", endpoint()),
                            ("region", Fragment::Region),
                            ("apiName", Fragment::literal(name)),
                        ]),
                    )]),
                )]),
            )]),
        },
        ClientFragment {
            file: ClientFile::AwsExports,
            value: Fragment::object([(
                "aws_cloud_logic_custom",
                Fragment::List(vec![Fragment::object([
                    ("name", Fragment::literal(name)),
                    ("endpoint", endpoint()),
                    ("region", Fragment::Region),
                ])]),
            )]),
        },
        ClientFragment {
            file: ClientFile::NativeAmplifyConfiguration,
            value: Fragment::object([(
                "api",
                Fragment::object([(
                    "plugins",
                    Fragment::object([(
                        "awsAPIPlugin",
                        Fragment::object([(
                            name,
                            Fragment::object([
                                ("endpointType", Fragment::literal("REST")),
                                ("endpoint", endpoint()),
                                ("region", Fragment::Region),
                                ("authorizationType", Fragment::literal(authorization)),
                            ]),
                        )]),
                    )]),
                )]),
            )]),
        },
    ]
}
