//! Client configuration after a real push to the emulator: the files load in the real
//! aws-amplify library, and imported resources and CDK outputs reach the typed config.

mod common;

use std::fs;
use std::process::Command;

use common::*;
use serde_json::Value;

#[test]
fn client_files_load_in_the_real_aws_amplify_library() {
    let checker = repo().join("tests/js-config");
    assert!(
        checker.join("node_modules/aws-amplify").is_dir(),
        "aws-amplify is missing: run `bash scripts/setup-node-tools.sh` (scripts/test.sh does)"
    );
    let emulator = Emulator::start();
    let scratch = Scratch::blog();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    push_json(&scratch, &emulator);
    let meta = scratch.json("amplify/backend/amplify-meta.json");
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    for format in ["aws-exports", "amplify-outputs", "awsconfiguration"] {
        ok(&scratch.amplify(
            &emulator,
            &["generate", "outputs", "--format", format, "--out-dir", dir],
        ));
    }
    // A key the user added by hand survives regeneration.
    let exports_path = out.path().join("aws-exports.js");
    let exports = fs::read_to_string(&exports_path).unwrap();
    fs::write(
        &exports_path,
        exports.replacen("{\n", "{\n    \"my_feature_flag\": \"on\",\n", 1),
    )
    .unwrap();
    ok(&scratch.amplify(
        &emulator,
        &[
            "generate",
            "outputs",
            "--format",
            "aws-exports",
            "--out-dir",
            dir,
        ],
    ));
    assert!(fs::read_to_string(&exports_path)
        .unwrap()
        .contains("\"my_feature_flag\": \"on\""));

    let node = Command::new("node")
        .arg(checker.join("check.mjs"))
        .arg(&exports_path)
        .arg(out.path().join("amplify_outputs.json"))
        .current_dir(&checker)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&node.stdout);
    assert!(
        node.status.success(),
        "aws-amplify rejected a file: {stdout}{}",
        String::from_utf8_lossy(&node.stderr)
    );
    let parsed: Value = serde_json::from_str(&stdout).unwrap();
    let auth = &meta["auth"]["BlogAuth"]["output"];
    let api = &meta["api"]["BlogApi"]["output"];
    let bucket = &meta["storage"]["Photos"]["output"];
    for file in ["aws-exports.js", "amplify_outputs.json"] {
        let c = &parsed[file];
        assert_eq!(
            c["Auth"]["Cognito"]["userPoolId"], auth["UserPoolId"],
            "{file}: {c}"
        );
        assert_eq!(
            c["Auth"]["Cognito"]["userPoolClientId"], auth["AppClientIDWeb"],
            "{file}"
        );
        assert_eq!(
            c["Auth"]["Cognito"]["identityPoolId"], auth["IdentityPoolId"],
            "{file}"
        );
        assert_eq!(c["Auth"]["Cognito"]["loginWith"]["email"], true, "{file}");
        assert_eq!(
            c["API"]["GraphQL"]["endpoint"], api["GraphQLAPIEndpointOutput"],
            "{file}"
        );
        assert_eq!(
            c["API"]["GraphQL"]["apiKey"], api["GraphQLAPIKeyOutput"],
            "{file}"
        );
        assert_eq!(c["API"]["GraphQL"]["defaultAuthMode"], "apiKey", "{file}");
        assert_eq!(c["API"]["GraphQL"]["region"], "us-east-1", "{file}");
        assert_eq!(c["Storage"]["S3"]["bucket"], bucket["BucketName"], "{file}");
        assert_eq!(c["Storage"]["S3"]["region"], "us-east-1", "{file}");
    }
    // The blog's `@model` types reach the Gen 2 data client: `generateClient()` builds
    // each model's operations, and the index's query field, from `model_introspection`.
    let models = &parsed["amplify_outputs.json"]["models"];
    for op in ["create", "delete", "get", "list", "update"] {
        for model in ["Comment", "Reply"] {
            assert!(
                models[model]
                    .as_array()
                    .is_some_and(|ops| ops.iter().any(|o| o == op)),
                "{model}.{op} missing: {models}"
            );
        }
    }
    assert!(
        models["Comment"]
            .as_array()
            .is_some_and(|ops| ops.iter().any(|o| o == "commentsByPost")),
        "the index query is missing: {models}"
    );

    // awsconfiguration.json, field by field against the native clients' shape.
    let native: Value = serde_json::from_str(
        &fs::read_to_string(out.path().join("awsconfiguration.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(native["UserAgent"], "aws-amplify-cli/0.1.0");
    assert_eq!(native["Version"], "0.1.0");
    assert_eq!(native["IdentityManager"]["Default"], serde_json::json!({}));
    assert_eq!(
        native["CredentialsProvider"]["CognitoIdentity"]["Default"]["PoolId"],
        auth["IdentityPoolId"]
    );
    assert_eq!(
        native["CredentialsProvider"]["CognitoIdentity"]["Default"]["Region"],
        "us-east-1"
    );
    assert_eq!(
        native["CognitoUserPool"]["Default"]["PoolId"],
        auth["UserPoolId"]
    );
    assert_eq!(
        native["CognitoUserPool"]["Default"]["AppClientId"], auth["AppClientID"],
        "native clients use AppClientID"
    );
    assert_ne!(
        native["CognitoUserPool"]["Default"]["AppClientId"],
        auth["AppClientIDWeb"]
    );
    assert_eq!(native["CognitoUserPool"]["Default"]["Region"], "us-east-1");
    assert_eq!(
        native["Auth"]["Default"]["authenticationFlowType"],
        "USER_SRP_AUTH"
    );
    assert_eq!(
        native["AppSync"]["Default"]["ApiUrl"],
        api["GraphQLAPIEndpointOutput"]
    );
    assert_eq!(native["AppSync"]["Default"]["AuthMode"], "API_KEY");
    assert_eq!(
        native["AppSync"]["Default"]["ApiKey"],
        api["GraphQLAPIKeyOutput"]
    );
    assert_eq!(
        native["AppSync"]["Default"]["ClientDatabasePrefix"],
        "BlogApi_API_KEY"
    );
    assert_eq!(
        native["AppSync"]["BlogApi_AMAZON_COGNITO_USER_POOLS"]["AuthMode"],
        "AMAZON_COGNITO_USER_POOLS"
    );
    assert_eq!(
        native["S3TransferUtility"]["Default"]["Bucket"],
        bucket["BucketName"]
    );
    assert_eq!(
        native["S3TransferUtility"]["Default"]["Region"],
        "us-east-1"
    );
}

#[test]
fn imported_resources_and_cdk_outputs_reach_the_typed_config() {
    let emulator = Emulator::start();
    let cloud = Cloud::new(&emulator);
    let scratch = Scratch::blog();
    let cloud_rs = scratch.crate_dir().join("src/cloud.rs");
    edit(
        &cloud_rs,
        "grant(PostTable = [read, write]),",
        "grant(PostTable = [read, write], Orders = [read]),",
    );
    edit(
        &cloud_rs,
        "    pub struct Photos;\n",
        "    pub struct Photos;\n\n    /// Orders live in a table created before this backend.\n    #[table(import(name = \"LegacyOrders\"))]\n    pub struct Orders;\n",
    );
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    push_json(&scratch, &emulator);
    let stack = scratch.stack_name("dev");

    // No stack for the imported table; its name reaches the function's parameters.
    let nested = cloud.nested(&stack);
    assert!(
        !nested.iter().any(|(l, _, _)| l == "storageOrders"),
        "an imported table got a stack"
    );
    let resources = cloud
        .rt
        .block_on(cloud.cfn.list_stack_resources().stack_name(&stack).send())
        .unwrap();
    let function_stack = resources
        .stack_resource_summaries()
        .iter()
        .find(|r| r.logical_resource_id() == Some("functionPostsFn"))
        .and_then(|r| r.physical_resource_id())
        .unwrap()
        .to_owned();
    let parameters: Vec<(String, String)> = cloud
        .stack(&function_stack)
        .unwrap()
        .parameters()
        .iter()
        .map(|p| {
            (
                p.parameter_key().unwrap().to_owned(),
                p.parameter_value().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(
        parameters.contains(&("storageOrdersName".into(), "LegacyOrders".into())),
        "{parameters:?}"
    );

    // The outputs of a CDK app, in the shape `cdk deploy --outputs-file` writes.
    let cdk_file = scratch.dir.path().join("cdk-outputs.json");
    fs::write(
        &cdk_file,
        r#"{"CdkBackendStack": {"aws_appsync_graphqlEndpoint": "https://cdk.example/graphql", "aws_appsync_apiKey": "da2-cdkkey", "PostTableName": "cdk-posts"}}"#,
    )
    .unwrap();
    ok(&scratch.amplify(
        &emulator,
        &["config", "import-cdk-outputs", cdk_file.to_str().unwrap()],
    ));

    let outputs =
        amplify_runtime::Outputs::from_path(scratch.crate_dir().join("amplify_outputs.json"))
            .unwrap();
    assert_eq!(
        outputs.output("storage", "Orders", "Name", "f").unwrap(),
        "LegacyOrders"
    );
    let arn = outputs.output("storage", "Orders", "Arn", "f").unwrap();
    assert_eq!(
        arn,
        "arn:aws:dynamodb:us-east-1:000000000000:table/LegacyOrders"
    );
    assert_eq!(
        outputs.cdk_output("CdkBackendStack", "aws_appsync_apiKey"),
        Some("da2-cdkkey")
    );
    assert_eq!(
        outputs.cdk_output("CdkBackendStack", "PostTableName"),
        Some("cdk-posts")
    );
    // Deployed resources are still there beside them.
    assert!(outputs
        .output("storage", "PostTable", "Name", "f")
        .unwrap()
        .starts_with("PostTable-"));

    // A file that is not a CDK outputs file is refused, naming it, and changes nothing.
    let before = fs::read(scratch.crate_dir().join("amplify_outputs.json")).unwrap();
    let bad = scratch.dir.path().join("not-cdk.json");
    fs::write(&bad, r#"{"CdkBackendStack": ["not", "outputs"]}"#).unwrap();
    let refused = scratch.amplify(
        &emulator,
        &["config", "import-cdk-outputs", bad.to_str().unwrap()],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr)
        .contains("not-cdk.json` is not a CDK outputs file"));
    assert_eq!(
        fs::read(scratch.crate_dir().join("amplify_outputs.json")).unwrap(),
        before
    );
}
