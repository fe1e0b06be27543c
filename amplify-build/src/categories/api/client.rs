//! What a GraphQL API contributes to the client configuration files: the Gen 2 `data`
//! section, the AppSync keys of aws-exports.js, and one AppSync client per auth mode for
//! native clients.

use super::ApiSpec;
use crate::plan::{ClientFile, ClientFragment, Fragment};

pub(super) fn fragments(name: &str, spec: &ApiSpec) -> Vec<ClientFragment> {
    let modes: Vec<&str> = spec.modes().map(|m| m.appsync_type()).collect();
    let default = modes[0];
    let endpoint = || Fragment::output("GraphQLAPIEndpointOutput");
    let api_key = || Fragment::output("GraphQLAPIKeyOutput");

    let mut appsync = Vec::new();
    for (i, mode) in modes.iter().enumerate() {
        let mut client = vec![
            ("ApiUrl", endpoint()),
            ("Region", Fragment::Region),
            ("AuthMode", Fragment::literal(mode)),
            (
                "ClientDatabasePrefix",
                Fragment::literal(format!("{name}_{mode}")),
            ),
        ];
        if *mode == "API_KEY" {
            client.push(("ApiKey", api_key()));
        }
        let key = if i == 0 {
            "Default".to_owned()
        } else {
            format!("{name}_{mode}")
        };
        appsync.push((key, Fragment::object(client)));
    }

    vec![
        ClientFragment {
            file: ClientFile::AmplifyOutputs,
            value: Fragment::object([(
                "data",
                Fragment::object([
                    ("aws_region", Fragment::Region),
                    ("url", endpoint()),
                    ("api_key", api_key()),
                    ("default_authorization_type", Fragment::literal(default)),
                    ("authorization_types", Fragment::literal(&modes)),
                ]),
            )]),
        },
        ClientFragment {
            file: ClientFile::AwsExports,
            value: Fragment::object([
                ("aws_appsync_graphqlEndpoint", endpoint()),
                ("aws_appsync_region", Fragment::Region),
                ("aws_appsync_authenticationType", Fragment::literal(default)),
                ("aws_appsync_apiKey", api_key()),
            ]),
        },
        ClientFragment {
            file: ClientFile::AwsConfiguration,
            value: Fragment::object([("AppSync", Fragment::object(appsync))]),
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
                                ("endpointType", Fragment::literal("GraphQL")),
                                ("endpoint", endpoint()),
                                ("region", Fragment::Region),
                                ("authorizationType", Fragment::literal(default)),
                                ("apiKey", api_key()),
                            ]),
                        )]),
                    )]),
                )]),
            )]),
        },
    ]
}
