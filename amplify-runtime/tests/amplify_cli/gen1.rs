//! A Gen 1 project made by the Amplify CLI itself: `init` (with the Amplify service
//! stand-in), `add auth`, `add storage` and `add api` headless, `push` to the local cloud.
//! A user signs up, an item and an object are stored. Then `cargo amplify adopt` writes
//! the crate and our push takes the stacks over with nothing replaced: the user still
//! signs in, the item and the object are still there. And the Amplify CLI still works on
//! the folder we pushed: `env list`, `status` (no change), `push` (nothing to deploy),
//! `export`.

use std::fs;
use std::path::Path;

use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_s3::primitives::ByteStream;
use serde_json::{json, Value};

use super::*;

const PASSWORD: &str = "Gen1-Passw0rd!";
const USER: &str = "grace@example.com";

/// `amplify init`'s three headless payloads: the project, a plain JavaScript frontend,
/// and the provider with the emulator's credentials.
fn init_args() -> [String; 8] {
    [
        "init".into(),
        "--yes".into(),
        "--amplify".into(),
        json!({"projectName": "gen1app", "envName": "dev", "defaultEditor": "code"}).to_string(),
        "--frontend".into(),
        json!({"frontend": "javascript", "framework": "none", "config": {
            "SourceDir": "src", "DistributionDir": "dist",
            "BuildCommand": "npm run-script build", "StartCommand": "npm run-script start"}})
        .to_string(),
        "--providers".into(),
        json!({"awscloudformation": {"configLevel": "project", "useProfile": false,
            "accessKeyId": "testing", "secretAccessKey": "testing", "region": "us-east-1"}})
        .to_string(),
    ]
}

/// Email sign-in, a group, an identity pool for signed-in users and guests, a password
/// policy.
fn auth_request() -> Value {
    json!({"version": 2, "resourceName": "gen1auth", "serviceConfiguration": {
        "serviceName": "Cognito",
        "includeIdentityPool": true,
        "identityPoolConfiguration": {"unauthenticatedLogin": true},
        "userPoolConfiguration": {
            "signinMethod": "EMAIL",
            "requiredSignupAttributes": ["EMAIL"],
            "userPoolGroups": [{"groupName": "Editors"}],
            "passwordPolicy": {"minimumLength": 8,
                "additionalConstraints": ["REQUIRE_LOWERCASE", "REQUIRE_DIGIT"]}}}})
}

/// A bucket signed-in users read and write, and guests read.
fn storage_request() -> Value {
    json!({"version": 1, "serviceConfiguration": {
        "serviceName": "S3", "resourceName": "gen1files", "bucketName": "gen1files",
        "permissions": {"auth": ["CREATE_AND_UPDATE", "READ", "DELETE"], "guest": ["READ"]}}})
}

/// A GraphQL API with one `@model` its owners edit and anyone with the API key reads;
/// the user pool first.
fn api_request() -> Value {
    json!({"version": 1, "serviceConfiguration": {
        "serviceName": "AppSync", "apiName": "gen1api",
        "transformSchema": "type Note @model @auth(rules: [{ allow: owner }, { allow: public, operations: [read] }]) {\n  id: ID!\n  content: String!\n}\n",
        "defaultAuthType": {"mode": "AMAZON_COGNITO_USER_POOLS", "cognitoUserPoolId": "authgen1auth"},
        "additionalAuthTypes": [{"mode": "API_KEY", "expirationTime": 7}]}})
}

/// `output.<key>` of resource `name` of `category` in the project's amplify-meta.json.
fn meta_output(project: &Path, category: &str, name: &str, key: &str) -> String {
    let meta = json(&project.join("amplify/backend/amplify-meta.json"));
    meta[category][name]["output"][key]
        .as_str()
        .unwrap_or_else(|| panic!("no output {key} of {category} {name}: {meta}"))
        .to_owned()
}

fn sign_in(emulator: &Emulator, client: &str) -> Value {
    cognito(
        emulator.port(),
        "InitiateAuth",
        json!({"ClientId": client, "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": USER, "PASSWORD": PASSWORD}}),
    )
}

/// The one table whose name starts with `prefix`.
fn table_named(cloud: &Cloud, prefix: &str) -> String {
    let dynamodb = aws_sdk_dynamodb::Client::new(&cloud.sdk);
    let tables = cloud.rt.block_on(dynamodb.list_tables().send()).unwrap();
    let matching: Vec<&String> = tables
        .table_names()
        .iter()
        .filter(|t| t.starts_with(prefix))
        .collect();
    assert_eq!(matching.len(), 1, "{:?}", tables.table_names());
    matching[0].clone()
}

fn note_content(cloud: &Cloud, table: &str) -> Option<String> {
    let dynamodb = aws_sdk_dynamodb::Client::new(&cloud.sdk);
    let got = dynamodb
        .get_item()
        .table_name(table)
        .key("id", AttributeValue::S("note-1".into()));
    let got = cloud.rt.block_on(got.send()).unwrap();
    got.item()
        .and_then(|i| i.get("content"))
        .and_then(|v| v.as_s().ok())
        .cloned()
}

#[test]
fn a_gen1_project_the_amplify_cli_made_is_adopted_and_both_clis_work_on_it() {
    let service = AmplifyService::start();
    let cli = AmplifyCli::installed().with_service(&service);
    // Its root stack updates the auth roles with a function using the SDK's IAM client.
    let emulator = Emulator::start_with_node_sdk();
    let cloud = Cloud::new(&emulator);

    // The Gen 1 project, as its users make it.
    let gen1 = tempfile::tempdir().unwrap();
    let project = gen1.path();
    let init_args = init_args();
    let init: Vec<&str> = init_args.iter().map(String::as_str).collect();
    cli.ok(project, &emulator, &init);
    let tpi = json(&project.join("amplify/team-provider-info.json"));
    let provider = &tpi["dev"]["awscloudformation"];
    let root = provider["StackName"].as_str().unwrap().to_owned();
    assert!(
        provider["AmplifyAppId"].as_str().is_some(),
        "the stand-in gave the app an id: {tpi}"
    );
    for (category, request) in [
        ("auth", auth_request()),
        ("storage", storage_request()),
        ("api", api_request()),
    ] {
        cli.ok_with_input(
            project,
            &emulator,
            &["add", category, "--headless"],
            &request.to_string(),
        );
    }
    cli.ok(project, &emulator, &["push", "--yes"]);
    assert_eq!(cloud.status(&root), "UPDATE_COMPLETE");
    // Its root stack's function let signed-in users' identities assume the auth role.
    let auth_role = provider["AuthRoleName"].as_str().unwrap().to_owned();
    let trusted = |emulator: &Emulator| {
        let policy = role_trust_policy(emulator.port(), &auth_role);
        let statement = &policy["Statement"][0];
        statement["Effect"] == "Allow"
            && statement["Condition"]["StringEquals"]["cognito-identity.amazonaws.com:aud"]
                .is_string()
    };
    assert!(
        trusted(&emulator),
        "{}",
        role_trust_policy(emulator.port(), &auth_role)
    );

    // Its users and data.
    let pool = meta_output(project, "auth", "gen1auth", "UserPoolId");
    let client = meta_output(project, "auth", "gen1auth", "AppClientIDWeb");
    let signed_up = cognito(
        emulator.port(),
        "SignUp",
        json!({"ClientId": client, "Username": USER, "Password": PASSWORD,
               "UserAttributes": [{"Name": "email", "Value": USER}]}),
    );
    assert!(signed_up["UserSub"].is_string(), "{signed_up}");
    cognito(
        emulator.port(),
        "AdminConfirmSignUp",
        json!({"UserPoolId": pool, "Username": USER}),
    );
    let signed_in = sign_in(&emulator, &client);
    assert!(
        signed_in["AuthenticationResult"]["IdToken"].is_string(),
        "{signed_in}"
    );
    let bucket = meta_output(project, "storage", "gen1files", "BucketName");
    let put = cloud
        .s3
        .put_object()
        .bucket(&bucket)
        .key("public/kept.txt")
        .body(ByteStream::from_static(b"written under Gen 1"));
    cloud.rt.block_on(put.send()).unwrap();
    let table = table_named(&cloud, "Note-");
    let dynamodb = aws_sdk_dynamodb::Client::new(&cloud.sdk);
    let put = dynamodb
        .put_item()
        .table_name(&table)
        .item("id", AttributeValue::S("note-1".into()))
        .item("content", AttributeValue::S("keep me".into()));
    cloud.rt.block_on(put.send()).unwrap();

    // Adopted into a new crate, the deployed state read, pushed by us.
    let scratch = Scratch::new_app("gen1app");
    let app = scratch.crate_dir();
    let said = ok(&scratch.amplify(
        &emulator,
        &[
            "adopt",
            project.to_str().unwrap(),
            "--amplify-rs-path",
            repo().to_str().unwrap(),
        ],
    ));
    let cloud_rs = fs::read_to_string(app.join("src/cloud.rs")).unwrap();
    for declared in [
        "#[auth(name = \"gen1auth\"",
        "#[bucket(name = \"gen1files\"",
        "gen1api",
    ] {
        assert!(
            cloud_rs.contains(declared),
            "{declared} in:\n{cloud_rs}\n{said}"
        );
    }
    ok(&scratch.amplify(&emulator, &["env", "checkout", "dev"]));
    let status = scratch.amplify(&emulator, &["status", "--json"]);
    ok(&status);
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    // Nothing replaced but Gen 1's stack of the pool's groups, which cannot move in place.
    let warnings = status["tableWarnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{status:#}");
    assert!(
        warnings[0]
            .as_str()
            .unwrap()
            .starts_with("user pool group `EditorsGroup` of auth userPoolGroups"),
        "{status:#}"
    );
    assert!(said.contains("auth userPoolGroups"), "{said}");
    let refused = scratch.amplify(&emulator, &["push", "--yes"]);
    assert_eq!(refused.status.code(), Some(2), "{}", ok(&refused));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("EditorsGroup"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    // As adopt says: once without the groups, allowing their loss (then with them again).
    edit(&app.join("src/cloud.rs"), ", groups = [Editors]", "");
    let pushed = ok(&scratch.amplify(
        &emulator,
        &["push", "--yes", "--allow-replace", "EditorsGroup"],
    ));
    assert!(
        pushed.contains("Deployment 1 of 2: retires `UpdateRolesWithIDPFunctionOutputs`"),
        "{pushed}"
    );

    // The same pool, bucket and table, with what they held.
    let outputs = scratch.json("amplify_outputs.json");
    assert_eq!(outputs["auth"]["user_pool_id"], json!(pool), "{outputs}");
    assert_eq!(
        outputs["storage"]["bucket_name"],
        json!(bucket),
        "{outputs}"
    );
    let client = outputs["auth"]["user_pool_client_id"].as_str().unwrap();
    assert!(
        sign_in(&emulator, client)["AuthenticationResult"]["IdToken"].is_string(),
        "the user made under Gen 1 signs in after our push"
    );
    assert_eq!(
        cloud.object(&bucket, "public/kept.txt"),
        b"written under Gen 1"
    );
    assert_eq!(table_named(&cloud, "Note-"), table);
    assert_eq!(note_content(&cloud, &table).as_deref(), Some("keep me"));
    assert!(
        trusted(&emulator),
        "identities still assume the auth role: {}",
        role_trust_policy(emulator.port(), &auth_role)
    );

    // The Amplify CLI on the folder we pushed.
    let envs = cli.ok(&app, &emulator, &["env", "list"]);
    assert!(envs.contains("*dev"), "{envs}");
    let (status, resources) = unchanged_status(&cli, &app, &emulator);
    assert_eq!(resources, ["gen1api", "gen1auth", "gen1files"], "{status}");
    let deployed_at = cloud.stack(&root).unwrap().last_updated_time;
    let pushed = cli.ok(&app, &emulator, &["push", "--yes"]);
    assert!(pushed.contains("No changes detected"), "{pushed}");
    assert_eq!(cloud.stack(&root).unwrap().last_updated_time, deployed_at);
    let out = tempfile::tempdir().unwrap();
    let exported = cli.ok(
        &app,
        &emulator,
        &["export", "--out", out.path().to_str().unwrap(), "--yes"],
    );
    assert!(exported.contains("Successfully exported"), "{exported}");
    assert_eq!(note_content(&cloud, &table).as_deref(), Some("keep me"));
}
