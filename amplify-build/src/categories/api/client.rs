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

    let mut data = vec![
        ("aws_region", Fragment::Region),
        ("url", endpoint()),
        ("api_key", api_key()),
        ("default_authorization_type", Fragment::literal(default)),
        ("authorization_types", Fragment::literal(&modes)),
    ];
    if !spec.models.is_empty() {
        data.push((
            "model_introspection",
            Fragment::Literal(super::model::introspection(&spec.models, &enums(spec))),
        ));
    }
    vec![
        ClientFragment {
            file: ClientFile::AmplifyOutputs,
            value: Fragment::object([("data", Fragment::object(data))]),
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

/// The enums of the API's schema, with their values.
fn enums(spec: &ApiSpec) -> Vec<(String, Vec<String>)> {
    use graphql_parser::schema::{Definition, TypeDefinition};
    let Ok(document) = graphql_parser::parse_schema::<String>(&spec.source_schema) else {
        return Vec::new();
    };
    document
        .definitions
        .iter()
        .filter_map(|d| match d {
            Definition::TypeDefinition(TypeDefinition::Enum(e)) => Some((
                e.name.clone(),
                e.values.iter().map(|v| v.name.clone()).collect(),
            )),
            _ => None,
        })
        .collect()
}
