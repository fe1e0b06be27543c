//! Amplify Gen 1 projects with no Rust declaration yet: an `amplify/` folder the Amplify
//! CLI wrote, and no `Cargo.toml`. `pull` and `generate outputs` work on them as the
//! Amplify CLI's do, so a team moving to Rust keeps its client configuration: the plan is
//! read from `backend-config.json` (what each resource is), and each service's outputs go
//! to the client files under Amplify's keys.

use amplify_build::files::{BackendConfig, ResourceEntry};
use amplify_build::plan::{
    ClientFile, ClientFragment, ExportPlan, Fragment, Plan, RootPlan, StackPlan, PLAN_FORMAT,
};

use crate::cli::error::Result;
use crate::cli::state::project::{read_json, Project};

/// Whether the project is a Gen 1 folder without a crate to synthesise from.
pub fn is_gen1(project: &Project) -> bool {
    !project.root.join("Cargo.toml").is_file()
        && project.backend_dir().join("backend-config.json").is_file()
}

/// The plan of a Gen 1 project: its resources as `backend-config.json` lists them, each
/// with the client configuration its service gives. Nothing in it is deployable.
pub fn plan(project: &Project) -> Result<Plan> {
    let backend_config: BackendConfig =
        read_json(&project.backend_dir().join("backend-config.json"))?.unwrap_or_default();
    let stacks = backend_config
        .entries()
        .map(|(category, name, entry)| StackPlan {
            category: category.to_owned(),
            name: name.to_owned(),
            service: entry.service.clone(),
            logical_id: format!("{category}{name}"),
            folder: format!("amplify/backend/{category}/{name}"),
            template: String::new(),
            template_key: String::new(),
            inputs: Vec::new(),
            assets: Vec::new(),
            outputs: Vec::new(),
            client_config: fragments(name, entry),
            exportable: false,
            local_cloud: true,
            actions: Vec::new(),
            console: None,
            children: Vec::new(),
        })
        .collect();
    Ok(Plan {
        format: PLAN_FORMAT,
        project_name: project.project_name()?,
        inputs: Vec::new(),
        root: RootPlan {
            template: String::new(),
            template_key: String::new(),
            parameters: Vec::new(),
            secrets: Vec::new(),
            links: Vec::new(),
            groups: Vec::new(),
            left_out: Vec::new(),
        },
        stacks,
        imported: Vec::new(),
        export: ExportPlan {
            templates: Default::default(),
            root: serde_json::Value::Null,
            parameters: Default::default(),
        },
        categories: Vec::new(),
        backend_config,
    })
}

/// Amplify's client keys for the outputs of one Gen 1 resource's service.
fn fragments(name: &str, entry: &ResourceEntry) -> Vec<ClientFragment> {
    let out = Fragment::output;
    let fragment = |file, pairs: Vec<(&str, Fragment)>| ClientFragment {
        file,
        value: Fragment::object(pairs),
    };
    match entry.service.as_str() {
        "Cognito" => vec![
            fragment(
                ClientFile::AwsExports,
                vec![
                    ("aws_cognito_region", Fragment::Region),
                    ("aws_user_pools_id", out("UserPoolId")),
                    ("aws_user_pools_web_client_id", out("AppClientIDWeb")),
                    ("aws_cognito_identity_pool_id", out("IdentityPoolId")),
                ],
            ),
            fragment(
                ClientFile::AmplifyOutputs,
                vec![(
                    "auth",
                    Fragment::object([
                        ("aws_region", Fragment::Region),
                        ("user_pool_id", out("UserPoolId")),
                        ("user_pool_client_id", out("AppClientIDWeb")),
                        ("identity_pool_id", out("IdentityPoolId")),
                    ]),
                )],
            ),
        ],
        "AppSync" => {
            let mode = entry
                .extra
                .get("output")
                .and_then(|o| {
                    o["authConfig"]["defaultAuthentication"]["authenticationType"].as_str()
                })
                .unwrap_or("API_KEY")
                .to_owned();
            vec![
                fragment(
                    ClientFile::AwsExports,
                    vec![
                        (
                            "aws_appsync_graphqlEndpoint",
                            out("GraphQLAPIEndpointOutput"),
                        ),
                        ("aws_appsync_region", Fragment::Region),
                        ("aws_appsync_authenticationType", Fragment::literal(&mode)),
                        ("aws_appsync_apiKey", out("GraphQLAPIKeyOutput")),
                    ],
                ),
                fragment(
                    ClientFile::AmplifyOutputs,
                    vec![(
                        "data",
                        Fragment::object([
                            ("aws_region", Fragment::Region),
                            ("url", out("GraphQLAPIEndpointOutput")),
                            ("api_key", out("GraphQLAPIKeyOutput")),
                            ("default_authorization_type", Fragment::literal(&mode)),
                            ("authorization_types", Fragment::literal([&mode])),
                        ]),
                    )],
                ),
            ]
        }
        "S3" => vec![
            fragment(
                ClientFile::AwsExports,
                vec![
                    ("aws_user_files_s3_bucket", out("BucketName")),
                    ("aws_user_files_s3_bucket_region", Fragment::Region),
                ],
            ),
            fragment(
                ClientFile::AmplifyOutputs,
                vec![(
                    "storage",
                    Fragment::object([
                        ("aws_region", Fragment::Region),
                        ("bucket_name", out("BucketName")),
                    ]),
                )],
            ),
        ],
        "API Gateway" => vec![fragment(
            ClientFile::AwsExports,
            vec![(
                "aws_cloud_logic_custom",
                Fragment::List(vec![Fragment::object([
                    ("name", Fragment::literal(name)),
                    ("endpoint", out("RootUrl")),
                    ("region", Fragment::Region),
                ])]),
            )],
        )],
        _ => Vec::new(),
    }
}
