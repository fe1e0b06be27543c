//! Taking over an Amplify Gen 1 environment in place. The stacks of the reference project
//! (`../shared/reference/gen1-project`, written by the Amplify CLI 14.2.2: auth with email
//! sign-in and an identity pool, an S3 bucket, a `@model Todo` API) are deployed to the
//! local cloud as Gen 1 deploys them — its root stack and names, its nested stacks'
//! logical ids, the model stack the GraphQL transformer wrote — and a user, an item and
//! an object are put in them. Then `cargo amplify adopt` writes the crate, `env checkout`
//! reads what is deployed, `status` reports no replacement, and `push` updates the Gen 1
//! stacks with nothing lost: the user still signs in, the item and the object are there.

mod common;

use std::fs;
use std::path::Path;

use aws_sdk_s3::primitives::ByteStream;
use common::*;
use serde_json::{json, Value};

const ROOT: &str = "amplify-refapp-dev-0d4ca";
const BUCKET: &str = "amplify-refapp-dev-0d4ca-deployment";
const PASSWORD: &str = "Gen1-Passw0rd!";
const NAMED_IAM: aws_sdk_cloudformation::types::Capability =
    aws_sdk_cloudformation::types::Capability::CapabilityNamedIam;

fn env_conditions() -> Value {
    json!({"ShouldNotCreateEnvResources": {"Fn::Equals": [{"Ref": "env"}, "NONE"]}})
}

/// `Fn::If(env == NONE, name, name + joint + env)`: how Gen 1 names a resource.
fn gen1_name(parameter: &str, joint: &str) -> Value {
    json!({"Fn::If": ["ShouldNotCreateEnvResources", {"Ref": parameter},
        {"Fn::Join": ["", [{"Ref": parameter}, joint, {"Ref": "env"}]]}]})
}

/// The auth stack Gen 1 deploys for `cli-inputs.json` (the parts a takeover keeps or
/// replaces: the pools' names, sign-in attributes, schema, clients).
fn auth_template() -> Value {
    json!({
        "Parameters": {"env": {"Type": "String"}, "userPoolName": {"Type": "String"},
            "identityPoolName": {"Type": "String"}, "authRoleArn": {"Type": "String"},
            "unauthRoleArn": {"Type": "String"}},
        "Conditions": env_conditions(),
        "Resources": {
            "UserPool": {"Type": "AWS::Cognito::UserPool", "DeletionPolicy": "Retain", "Properties": {
                "UserPoolName": gen1_name("userPoolName", "-"),
                "UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"],
                "UsernameConfiguration": {"CaseSensitive": false},
                "Schema": [{"Name": "email", "Required": true, "Mutable": true}],
                "Policies": {"PasswordPolicy": {"MinimumLength": 8, "RequireLowercase": true,
                    "RequireNumbers": true, "RequireSymbols": false, "RequireUppercase": false}},
                "MfaConfiguration": "OFF"}},
            "UserPoolClientWeb": {"Type": "AWS::Cognito::UserPoolClient", "Properties": {
                "ClientName": "refapp89b8ff34_app_clientWeb", "UserPoolId": {"Ref": "UserPool"},
                "RefreshTokenValidity": 30}},
            "UserPoolClient": {"Type": "AWS::Cognito::UserPoolClient", "Properties": {
                "ClientName": "refapp89b8ff34_app_client", "UserPoolId": {"Ref": "UserPool"},
                "GenerateSecret": false, "RefreshTokenValidity": 30}},
            "IdentityPool": {"Type": "AWS::Cognito::IdentityPool", "Properties": {
                "IdentityPoolName": gen1_name("identityPoolName", "__"),
                "AllowUnauthenticatedIdentities": false,
                "CognitoIdentityProviders": [
                    {"ClientId": {"Ref": "UserPoolClient"}, "ProviderName": {"Fn::GetAtt": ["UserPool", "ProviderName"]}},
                    {"ClientId": {"Ref": "UserPoolClientWeb"}, "ProviderName": {"Fn::GetAtt": ["UserPool", "ProviderName"]}}]}},
            "IdentityPoolRoleMap": {"Type": "AWS::Cognito::IdentityPoolRoleAttachment", "Properties": {
                "IdentityPoolId": {"Ref": "IdentityPool"},
                "Roles": {"unauthenticated": {"Ref": "unauthRoleArn"}, "authenticated": {"Ref": "authRoleArn"}}}}
        },
        "Outputs": {
            "IdentityPoolId": {"Value": {"Ref": "IdentityPool"}},
            "IdentityPoolName": {"Value": {"Fn::GetAtt": ["IdentityPool", "Name"]}},
            "UserPoolId": {"Value": {"Ref": "UserPool"}},
            "UserPoolArn": {"Value": {"Fn::GetAtt": ["UserPool", "Arn"]}},
            "UserPoolName": {"Value": gen1_name("userPoolName", "-")},
            "AppClientIDWeb": {"Value": {"Ref": "UserPoolClientWeb"}},
            "AppClientID": {"Value": {"Ref": "UserPoolClient"}}
        }
    })
}

/// Gen 1's S3 stack: the bucket named after the root stack's suffix, kept on delete.
fn storage_template() -> Value {
    let suffix = json!({"Fn::Select": [3, {"Fn::Split": ["-", {"Ref": "AWS::StackName"}]}]});
    json!({
        "Parameters": {"env": {"Type": "String"}, "bucketName": {"Type": "String"}},
        "Conditions": env_conditions(),
        "Resources": {"S3Bucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain", "Properties": {
            "BucketName": {"Fn::If": ["ShouldNotCreateEnvResources", {"Ref": "bucketName"},
                {"Fn::Join": ["", [{"Ref": "bucketName"}, suffix, "-", {"Ref": "env"}]]}]}}}},
        "Outputs": {"BucketName": {"Value": {"Ref": "S3Bucket"}}, "Region": {"Value": {"Ref": "AWS::Region"}}}
    })
}

/// The transformer's API stack around the `Todo` model stack: the API, its key, and the
/// model stack given the API id and the environment under the transformer's names.
fn api_template() -> Value {
    json!({
        "Parameters": {"env": {"Type": "String"}, "AppSyncApiName": {"Type": "String"},
            "S3DeploymentBucket": {"Type": "String"}},
        "Resources": {
            "GraphQLAPI": {"Type": "AWS::AppSync::GraphQLApi", "Properties": {
                "Name": {"Fn::Join": ["", [{"Ref": "AppSyncApiName"}, "-", {"Ref": "env"}]]},
                "AuthenticationType": "API_KEY"}},
            "GraphQLAPIKey": {"Type": "AWS::AppSync::ApiKey", "Properties": {
                "ApiId": {"Fn::GetAtt": ["GraphQLAPI", "ApiId"]}}},
            "Todo": {"Type": "AWS::CloudFormation::Stack", "Properties": {
                "TemplateURL": format!("https://s3.amazonaws.com/{BUCKET}/amplify-cfn-templates/api/stacks/Todo.json"),
                "Parameters": {
                    "referencetotransformerrootstackenv10C5A902Ref": {"Ref": "env"},
                    "referencetotransformerrootstackGraphQLAPI20497F53ApiId": {"Fn::GetAtt": ["GraphQLAPI", "ApiId"]},
                    "referencetotransformerrootstackGraphQLAPINONEDS2BA9D1C8Name": "NONE_DS",
                    "referencetotransformerrootstackS3DeploymentBucket7592718ARef": {"Ref": "S3DeploymentBucket"},
                    "referencetotransformerrootstackS3DeploymentRootKeyA71EA735Ref": "amplify-appsync-files"}}}
        },
        "Outputs": {
            "GraphQLAPIIdOutput": {"Value": {"Fn::GetAtt": ["GraphQLAPI", "ApiId"]}},
            "GraphQLAPIEndpointOutput": {"Value": {"Fn::GetAtt": ["GraphQLAPI", "GraphQLUrl"]}},
            "GraphQLAPIKeyOutput": {"Value": {"Fn::GetAtt": ["GraphQLAPIKey", "ApiKey"]}}
        }
    })
}

/// The model stack as the transformer wrote it, reduced to what holds the items: its
/// parameters and conditions, and the `TodoTable` exactly as generated.
fn model_template() -> Value {
    let path = repo().join("../shared/reference/gen1-project/transformer-output/stacks/Todo.json");
    let full: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    json!({
        "Parameters": full["Parameters"],
        "Conditions": full["Conditions"],
        "Resources": {"TodoTable": full["Resources"]["TodoTable"]},
        "Outputs": {"GetAttTodoTableName": {"Value": {"Ref": "TodoTable"}}}
    })
}

fn nested(category: &str, file: &str, parameters: Value) -> Value {
    json!({"Type": "AWS::CloudFormation::Stack", "Properties": {
        "TemplateURL": format!("https://s3.amazonaws.com/{BUCKET}/amplify-cfn-templates/{category}/{file}"),
        "Parameters": parameters}})
}

/// Gen 1's root stack: the deployment bucket, the identity pool's roles and, once
/// categories are pushed, one nested stack per resource (`env` passed as text).
fn root_template(with_categories: bool) -> Value {
    let trust = |kind: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": kind}}}]})
    };
    let mut template = json!({
        "Parameters": {
            "DeploymentBucketName": {"Type": "String", "Default": "DeploymentBucket"},
            "AuthRoleName": {"Type": "String", "Default": "AuthRoleName"},
            "UnauthRoleName": {"Type": "String", "Default": "UnauthRoleName"}},
        "Resources": {
            "DeploymentBucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain",
                "Properties": {"BucketName": {"Ref": "DeploymentBucketName"}}},
            "AuthRole": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": {"Ref": "AuthRoleName"},
                "AssumeRolePolicyDocument": trust("authenticated")}},
            "UnauthRole": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": {"Ref": "UnauthRoleName"},
                "AssumeRolePolicyDocument": trust("unauthenticated")}}},
        "Outputs": {
            "Region": {"Value": {"Ref": "AWS::Region"}},
            "StackName": {"Value": {"Ref": "AWS::StackName"}},
            "StackId": {"Value": {"Ref": "AWS::StackId"}},
            "DeploymentBucketName": {"Value": {"Ref": "DeploymentBucketName"}},
            "AuthRoleArn": {"Value": {"Fn::GetAtt": ["AuthRole", "Arn"]}},
            "UnauthRoleArn": {"Value": {"Fn::GetAtt": ["UnauthRole", "Arn"]}},
            "AuthRoleName": {"Value": {"Ref": "AuthRole"}},
            "UnauthRoleName": {"Value": {"Ref": "UnauthRole"}}}
    });
    if with_categories {
        let resources = template["Resources"].as_object_mut().unwrap();
        resources.insert(
            "authrefappauth".into(),
            nested(
                "auth",
                "refappauth-cloudformation-template.json",
                json!({
            "env": "dev", "userPoolName": "refappauth_userpool_89b8ff34",
            "identityPoolName": "refappauth_identitypool_89b8ff34",
            "authRoleArn": {"Fn::GetAtt": ["AuthRole", "Arn"]},
            "unauthRoleArn": {"Fn::GetAtt": ["UnauthRole", "Arn"]}}),
            ),
        );
        resources.insert(
            "storagerefappstorage".into(),
            nested(
                "storage",
                "s3-cloudformation-template.json",
                json!({"env": "dev", "bucketName": "refappbucket"}),
            ),
        );
        resources.insert(
            "apirefappapi".into(),
            nested(
                "api",
                "cloudformation-template.json",
                json!({
            "env": "dev", "AppSyncApiName": "refappapi", "S3DeploymentBucket": BUCKET}),
            ),
        );
    }
    template
}

/// Deploys the Gen 1 environment; its root stack's id.
fn deploy_gen1(cloud: &Cloud) -> String {
    let parameters = [
        ("DeploymentBucketName", BUCKET.to_owned()),
        ("AuthRoleName", format!("{ROOT}-authRole")),
        ("UnauthRoleName", format!("{ROOT}-unauthRole")),
    ]
    .map(|(k, v)| {
        aws_sdk_cloudformation::types::Parameter::builder()
            .parameter_key(k)
            .parameter_value(v)
            .build()
    });
    let created = cloud
        .rt
        .block_on(
            cloud
                .cfn
                .create_stack()
                .stack_name(ROOT)
                .template_body(root_template(false).to_string())
                .set_parameters(Some(parameters.to_vec()))
                .capabilities(NAMED_IAM)
                .send(),
        )
        .unwrap();
    cloud.wait(ROOT);
    for (key, template) in [
        (
            "auth/refappauth-cloudformation-template.json",
            auth_template(),
        ),
        (
            "storage/s3-cloudformation-template.json",
            storage_template(),
        ),
        ("api/cloudformation-template.json", api_template()),
        ("api/stacks/Todo.json", model_template()),
    ] {
        cloud.put(
            BUCKET,
            &format!("amplify-cfn-templates/{key}"),
            template.to_string().into_bytes(),
        );
    }
    let update = cloud
        .cfn
        .update_stack()
        .stack_name(ROOT)
        .template_body(root_template(true).to_string())
        .set_parameters(Some(parameters.to_vec()))
        .capabilities(NAMED_IAM);
    cloud.rt.block_on(update.send()).unwrap();
    cloud.wait(ROOT);
    assert_eq!(cloud.status(ROOT), "UPDATE_COMPLETE");
    created.stack_id().unwrap().to_owned()
}

fn outputs_of(cloud: &Cloud, logical: &str) -> Vec<(String, String)> {
    cloud
        .nested(ROOT)
        .into_iter()
        .find(|(l, _, _)| l == logical)
        .unwrap_or_else(|| panic!("no nested stack {logical}"))
        .2
}

fn output(outputs: &[(String, String)], key: &str) -> String {
    outputs
        .iter()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("no output {key} in {outputs:?}"))
        .1
        .clone()
}

/// The physical id of resource `logical` in the nested stack `stack` of the root.
fn physical(cloud: &Cloud, stack: &str, logical: &str) -> String {
    let nested = cloud
        .resources(ROOT)
        .into_iter()
        .find(|r| r.logical_resource_id() == Some(stack))
        .unwrap();
    cloud
        .resources(nested.physical_resource_id().unwrap())
        .into_iter()
        .find(|r| r.logical_resource_id() == Some(logical))
        .unwrap_or_else(|| panic!("no {logical} in {stack}"))
        .physical_resource_id()
        .unwrap()
        .to_owned()
}

fn sign_in(port: u16, client: &str) -> Value {
    cognito(
        port,
        "InitiateAuth",
        json!({"ClientId": client, "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "ada@example.com", "PASSWORD": PASSWORD}}),
    )
}

/// `from` copied into `to`, every file writable (the reference is read-only).
fn copy_writable(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        if e.path().is_dir() {
            copy_writable(&e.path(), &to.join(e.file_name()));
        } else {
            fs::write(to.join(e.file_name()), fs::read(e.path()).unwrap()).unwrap();
        }
    }
}

/// A copy of the reference project whose team-provider-info names the stacks deployed
/// here (the emulator's account, the stack id it gave).
fn gen1_project(into: &Path, stack_id: &str, cloud: &Cloud) {
    copy_writable(
        &repo().join("../shared/reference/gen1-project/project"),
        into,
    );
    let tpi_path = into.join("amplify/team-provider-info.json");
    let mut tpi: Value = serde_json::from_str(&fs::read_to_string(&tpi_path).unwrap()).unwrap();
    let root = cloud.stack(ROOT).unwrap();
    let provider = &mut tpi["dev"]["awscloudformation"];
    provider["StackId"] = json!(stack_id);
    for o in root.outputs() {
        let key = o.output_key().unwrap();
        if ["AuthRoleArn", "UnauthRoleArn"].contains(&key) {
            provider[key] = json!(o.output_value().unwrap());
        }
    }
    fs::write(&tpi_path, serde_json::to_string_pretty(&tpi).unwrap()).unwrap();
}

#[test]
fn a_gen1_environment_is_adopted_and_pushed_in_place_with_its_data() {
    let emulator = Emulator::start();
    let cloud = Cloud::new(&emulator);
    let stack_id = deploy_gen1(&cloud);

    // What Gen 1's users and data are.
    let auth = outputs_of(&cloud, "authrefappauth");
    let (pool, client) = (output(&auth, "UserPoolId"), output(&auth, "AppClientID"));
    cognito(
        emulator.port(),
        "SignUp",
        json!({"ClientId": client, "Username": "ada@example.com",
        "Password": PASSWORD, "UserAttributes": [{"Name": "email", "Value": "ada@example.com"}]}),
    );
    cognito(
        emulator.port(),
        "AdminConfirmSignUp",
        json!({"UserPoolId": pool, "Username": "ada@example.com"}),
    );
    assert!(sign_in(emulator.port(), &client)["AuthenticationResult"]["IdToken"].is_string());
    let files = output(&outputs_of(&cloud, "storagerefappstorage"), "BucketName");
    assert!(
        files.starts_with("refappbucket") && files.ends_with("-dev"),
        "{files}"
    );
    cloud
        .rt
        .block_on(
            cloud
                .s3
                .put_object()
                .bucket(&files)
                .key("public/hello.txt")
                .body(ByteStream::from_static(b"hello from gen 1"))
                .send(),
        )
        .unwrap();
    let todo_table = physical(&cloud, "apirefappapi", "Todo");
    let todo_table = cloud
        .resources(&todo_table)
        .into_iter()
        .find(|r| r.logical_resource_id() == Some("TodoTable"))
        .unwrap()
        .physical_resource_id()
        .unwrap()
        .to_owned();
    assert!(
        todo_table.starts_with("Todo-") && todo_table.ends_with("-dev"),
        "{todo_table}"
    );
    let dynamodb = aws_sdk_dynamodb::Client::new(&cloud.sdk);
    let item = aws_sdk_dynamodb::types::AttributeValue::S("todo-1".into());
    cloud
        .rt
        .block_on(
            dynamodb
                .put_item()
                .table_name(&todo_table)
                .item("id", item.clone())
                .item(
                    "name",
                    aws_sdk_dynamodb::types::AttributeValue::S("keep me".into()),
                )
                .send(),
        )
        .unwrap();

    // Adopted into a crate as `cargo new` makes it.
    let gen1 = tempfile::tempdir().unwrap();
    gen1_project(gen1.path(), &stack_id, &cloud);
    let scratch = Scratch::new_app("adopted");
    let app = scratch.crate_dir();
    let gen1_dir = gen1.path().to_str().unwrap();
    let said = ok(&scratch.amplify(
        &emulator,
        &[
            "adopt",
            gen1_dir,
            "--amplify-rs-path",
            repo().to_str().unwrap(),
        ],
    ));
    let cloud_rs = fs::read_to_string(app.join("src/cloud.rs")).unwrap();
    for expected in [
        "#[auth(name = \"refappauth\", sign_in = [email], user_pool_name = \"refappauth_userpool_89b8ff34\", required_attributes = [email], password(min_length = 8, lowercase, numbers), identity_pool(name = \"refappauth_identitypool_89b8ff34\"))]",
        "#[bucket(name = \"refappstorage\", authenticated = [write, read, delete], bucket_name = \"refappbucket\")]",
        "#[function(name = \"refappfn\", runtime = node(code = \"functions/refappfn\"))]",
        "auth = api_key(expires_in_days = 7)",
        "additional_auth = [user_pool(Refappauth)]",
    ] {
        assert!(cloud_rs.contains(expected), "missing `{expected}` in:\n{cloud_rs}");
    }
    assert!(app.join("functions/refappfn/index.js").is_file(), "{said}");
    assert!(said.contains("env checkout dev"), "{said}");
    let manifest = fs::read_to_string(app.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("[build-dependencies]\namplify-build = { path = "),
        "{manifest}"
    );
    assert!(fs::read_to_string(app.join("src/main.rs"))
        .unwrap()
        .starts_with("mod cloud;"));
    let tpi = scratch.json("amplify/team-provider-info.json");
    assert_eq!(tpi["dev"]["awscloudformation"]["StackName"], ROOT);
    assert!(tpi["dev"].get("categories").is_none(), "{tpi}");
    // Nothing is overwritten by a second run.
    let again = scratch.amplify(&emulator, &["adopt", gen1_dir]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("src/cloud.rs"));

    // What Gen 1 deployed, read back; nothing replaced by the first push.
    let unread = scratch.amplify(&emulator, &["status"]);
    assert!(
        String::from_utf8_lossy(&unread.stdout).contains("env checkout dev"),
        "status says the deployed state is not read yet: {}",
        ok(&unread)
    );
    ok(&scratch.amplify(&emulator, &["env", "checkout", "dev"]));
    assert!(app
        .join("amplify/#current-cloud-backend/api/refappapi/build/stacks/Todo.json")
        .is_file());
    let status = scratch.amplify(&emulator, &["status", "--json"]);
    ok(&status);
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["tableWarnings"], json!([]), "{status:#}");
    let operation = |category: &str, name: &str| {
        status["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["category"] == category && r["resourceName"] == name)
            .map(|r| r["operation"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        operation("auth", "refappauth").as_deref(),
        Some("Update"),
        "{status:#}"
    );
    assert_eq!(
        operation("storage", "refappstorage").as_deref(),
        Some("Update")
    );
    assert_eq!(operation("api", "refappapi").as_deref(), Some("Update"));
    assert_eq!(operation("function", "refappfn").as_deref(), Some("Create"));
    // A push with no local record (as from a fresh clone) reads it first, too.
    fs::remove_dir_all(app.join("amplify/#current-cloud-backend")).unwrap();
    let pushed = ok(&scratch.amplify(&emulator, &["push", "--yes"]));
    assert!(
        pushed.contains("No local record of environment `dev`"),
        "{pushed}"
    );

    // The stacks are ours now (the function is new in them)…
    let stacks = cloud.nested(ROOT);
    assert!(
        stacks
            .iter()
            .any(|(l, status, _)| l == "functionrefappfn" && status == "CREATE_COMPLETE"),
        "{stacks:?}"
    );
    // …with the same pool, bucket and table, and what they held.
    let auth = outputs_of(&cloud, "authrefappauth");
    assert_eq!(output(&auth, "UserPoolId"), pool);
    assert!(
        sign_in(emulator.port(), &output(&auth, "AppClientID"))["AuthenticationResult"]["IdToken"]
            .is_string(),
        "the Gen 1 user signs in after the takeover"
    );
    assert_eq!(
        output(&outputs_of(&cloud, "storagerefappstorage"), "BucketName"),
        files
    );
    assert_eq!(
        cloud.object(&files, "public/hello.txt"),
        b"hello from gen 1"
    );
    let kept = cloud
        .rt
        .block_on(
            dynamodb
                .get_item()
                .table_name(&todo_table)
                .key("id", item)
                .send(),
        )
        .unwrap();
    assert_eq!(
        kept.item()
            .and_then(|i| i.get("name"))
            .and_then(|v| v.as_s().ok())
            .map(String::as_str),
        Some("keep me")
    );
    let outputs = scratch.json("amplify_outputs.json");
    assert_eq!(outputs["auth"]["user_pool_id"], json!(pool), "{outputs}");
    assert_eq!(outputs["storage"]["bucket_name"], json!(files), "{outputs}");
    assert!(outputs["data"]["url"].is_string(), "{outputs}");
}
