//! `cargo amplify export` included by the real `AmplifyExportedBackend` construct under
//! `cdk synth` (offline), for two environments.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;
use serde_json::Value;

/// `cdk synth` of the test CDK app over an export folder, offline; returns the stack
/// name and the nested templates it produced.
fn cdk_synth(export: &Path, env: &str, functions: &str) -> (String, usize) {
    cdk_synth_with(export, env, &[("FUNCTIONS", functions)])
}

/// [`cdk_synth`] with the app's lookups given as environment variables (`FUNCTIONS`,
/// `REST_APIS`, `GRAPHQL=0`).
fn cdk_synth_with(export: &Path, env: &str, lookups: &[(&str, &str)]) -> (String, usize) {
    let app = repo().join("tests/cdk-export");
    assert!(
        app.join("node_modules/@aws-amplify/cdk-exported-backend").is_dir(),
        "the CDK app's packages are missing: run `bash scripts/setup-node-tools.sh` (scripts/test.sh does)"
    );
    let out = tempfile::tempdir().unwrap();
    let synth = Command::new(app.join("node_modules/.bin/cdk"))
        .args([
            "synth",
            "--no-notices",
            "--no-version-reporting",
            "-q",
            "-o",
        ])
        .arg(out.path())
        .current_dir(&app)
        .env("EXPORT_PATH", export)
        .env("AMPLIFY_ENV", env)
        .envs(lookups.iter().copied())
        .env("CDK_DEFAULT_ACCOUNT", "123456789012")
        .env("CDK_DEFAULT_REGION", "us-east-1")
        .env("CDK_DISABLE_CLI_TELEMETRY", "true")
        .output()
        .unwrap();
    assert!(
        synth.status.success(),
        "cdk synth failed:\n{}{}",
        String::from_utf8_lossy(&synth.stdout),
        String::from_utf8_lossy(&synth.stderr)
    );
    let manifest: Value =
        serde_json::from_str(&fs::read_to_string(out.path().join("manifest.json")).unwrap())
            .unwrap();
    let stack_name = manifest["artifacts"]
        .as_object()
        .unwrap()
        .values()
        .find_map(|a| a["properties"]["stackName"].as_str())
        .unwrap()
        .to_owned();
    let nested = fs::read_dir(out.path())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .ends_with(".nested.template.json")
        })
        .count();
    (stack_name, nested)
}

#[test]
fn export_is_included_by_the_real_cdk_construct_for_two_environments() {
    let emulator = Emulator::start();
    let scratch = Scratch::blog();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().to_str().unwrap();
    ok(&scratch.amplify(&emulator, &["export", "--out", out_dir]));
    let folder = out.path().join("amplify-export-blogexample");

    let manifest: Value = serde_json::from_str(
        &fs::read_to_string(folder.join("amplify-export-manifest.json")).unwrap(),
    )
    .unwrap();
    let stack = manifest["stackName"].as_str().unwrap().to_owned();
    assert!(stack.starts_with("amplify-blogexample-dev-"), "{stack}");
    let root_params = &manifest["props"]["parameters"];
    assert_eq!(
        root_params["DeploymentBucketName"],
        format!("{stack}-deployment")
    );
    assert_eq!(root_params["AuthRoleName"], format!("{stack}-authRole"));
    assert_eq!(root_params["UnauthRoleName"], format!("{stack}-unauthRole"));
    let nested = manifest["props"]["loadNestedStacks"].as_object().unwrap();
    assert_eq!(nested.len(), 5);
    for (logical, node) in nested {
        assert_eq!(node["preserveLogicalIds"], true);
        let template_file = node["templateFile"].as_str().unwrap();
        assert!(folder.join(template_file).is_file(), "{template_file}");
        // Every manifest parameter is one the template declares.
        let template: Value =
            serde_json::from_str(&fs::read_to_string(folder.join(template_file)).unwrap()).unwrap();
        // The API's model stacks (the blog's comments and replies) are included from
        // their files, as Amplify's export has them: no `TemplateURL` left to follow.
        let children = node["loadNestedStacks"].as_object().unwrap();
        let expected: &[&str] = if logical == "apiBlogApi" {
            &["Comment", "Reply"]
        } else {
            &[]
        };
        assert_eq!(children.keys().collect::<Vec<_>>(), expected, "{logical}");
        for (child, include) in children {
            let file = include["templateFile"].as_str().unwrap();
            assert_eq!(
                file,
                format!("api/BlogApi/amplify-appsync-files/stacks/{child}.json")
            );
            assert!(folder.join(file).is_file(), "{file}");
            let resource = &template["Resources"][child];
            assert_eq!(resource["Type"], "AWS::CloudFormation::Stack", "{child}");
            assert!(
                resource["Properties"].get("TemplateURL").is_none(),
                "{child}"
            );
        }
        for key in node["parameters"].as_object().unwrap().keys() {
            assert!(
                template["Parameters"].get(key).is_some(),
                "{logical}: `{key}` is not a parameter of {template_file}"
            );
        }
    }
    let mapping: Value = serde_json::from_str(
        &fs::read_to_string(folder.join("category-stack-mapping.json")).unwrap(),
    )
    .unwrap();
    assert!(mapping.as_array().unwrap().contains(
        &serde_json::json!({"category": "function", "resourceName": "PostsFn", "service": "Lambda"})
    ));
    let tags = fs::read_to_string(folder.join("export-tags.json")).unwrap();
    assert!(
        tags.contains("\"key\": \"user:Stack\"")
            && tags.contains("{project-env}")
            && tags.contains("blogexample"),
        "{tags}"
    );
    let root: Value =
        serde_json::from_str(&fs::read_to_string(folder.join("root-stack-template.json")).unwrap())
            .unwrap();
    assert!(!serde_json::to_string(&root)
        .unwrap()
        .contains("TemplateURL"));
    let zips: Vec<_> = fs::read_dir(folder.join("function/PostsFn/amplify-builds"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(zips.len(), 1);
    assert!(zips[0].file_name().to_string_lossy().ends_with(".zip"));
    assert!(folder
        .join("api/BlogApi/amplify-appsync-files/schema.graphql")
        .is_file());

    // The exported templates pass cfn-lint, but for the TemplateURL-less stacks the
    // construct includes from files (E3003): the root's, and the API's model stacks.
    let mut templates = vec![folder.join("root-stack-template.json")];
    templates.extend(
        nested
            .values()
            .map(|n| folder.join(n["templateFile"].as_str().unwrap())),
    );
    let lint = Command::new(repo().join("target/tools/venv/bin/cfn-lint"))
        .arg("-f")
        .arg("json")
        .args(&templates)
        .output()
        .unwrap();
    let findings: Value = serde_json::from_slice(&lint.stdout).unwrap();
    for f in findings.as_array().unwrap() {
        assert_eq!(f["Rule"]["Id"], "E3003", "{f}");
        let file = f["Filename"].as_str().unwrap();
        let model_stack = file.ends_with("api/BlogApi/cloudformation-template.json")
            && ["Comment", "Reply"].contains(&f["Location"]["Path"][1].as_str().unwrap_or(""));
        assert!(
            file.ends_with("root-stack-template.json") || model_stack,
            "{f}"
        );
    }

    // Re-running replaces the folder with the same bytes; a folder export did not write
    // is not replaced without --force.
    let first = fs::read(folder.join("amplify-export-manifest.json")).unwrap();
    let zip_name = zips[0].file_name();
    let again = ok(&scratch.amplify(&emulator, &["export", "--out", out_dir]));
    assert!(
        !again.contains("Building function PostsFn"),
        "an unchanged function's Lambda zip is reused: {again}"
    );
    assert_eq!(
        fs::read(folder.join("amplify-export-manifest.json")).unwrap(),
        first
    );
    assert!(
        folder
            .join("function/PostsFn/amplify-builds")
            .join(&zip_name)
            .is_file(),
        "zip bytes are reproducible"
    );
    let foreign = tempfile::tempdir().unwrap();
    fs::create_dir_all(foreign.path().join("amplify-export-blogexample")).unwrap();
    fs::write(
        foreign.path().join("amplify-export-blogexample/keep.txt"),
        "mine",
    )
    .unwrap();
    let refused = scratch.amplify(
        &emulator,
        &["export", "--out", foreign.path().to_str().unwrap()],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert!(foreign
        .path()
        .join("amplify-export-blogexample/keep.txt")
        .exists());

    // The real construct includes it; the environment it is given names the stack.
    let (dev, dev_nested) = cdk_synth(&folder, "dev", "PostsFn");
    let (prod, prod_nested) = cdk_synth(&folder, "prod", "PostsFn");
    assert_eq!(dev, stack);
    assert_eq!(prod, stack.replacen("-dev-", "-prod-", 1));
    assert_ne!(dev, prod);
    // The five resources' stacks, and the two model stacks nested in the API's.
    assert_eq!(dev_nested, 7);
    assert_eq!(prod_nested, 7);
}

/// The storefront: every category it declares but the site's files is exported (REST
/// APIs, hosting, analytics, custom, auth, a Python function; not the Lex bot, which the
/// construct misreads), and the real construct
/// includes it for two environments, finding both REST APIs.
#[test]
fn the_storefront_exports_every_category_for_two_environments() {
    let emulator = Emulator::start();
    let scratch = Scratch::storefront();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    let out = tempfile::tempdir().unwrap();
    let exported = ok(&scratch.amplify(
        &emulator,
        &["export", "--out", out.path().to_str().unwrap()],
    ));
    assert!(
        exported.contains("is not exported"),
        "the site's files are left to the CDK app, with a warning: {exported}"
    );
    // The construct reads an interactions stack as a Lex V1 one (a custom-resource
    // Lambda zip it requires): the bot is left out, saying so.
    assert!(
        exported.contains("The interactions resource 'ShopBot' cannot be exported"),
        "{exported}"
    );
    // Notifications are configured with SDK calls: left out, as Amplify does.
    assert!(
        exported.contains("The notifications resource 'ShopNotices' cannot be exported"),
        "{exported}"
    );
    let folder = out.path().join("amplify-export-storefrontexample");
    let mapping: Value = serde_json::from_str(
        &fs::read_to_string(folder.join("category-stack-mapping.json")).unwrap(),
    )
    .unwrap();
    for (category, name, service) in [
        ("api", "ShopApi", "API Gateway"),
        ("api", "AccountApi", "API Gateway"),
        ("hosting", "Storefront", "S3AndCloudFront"),
        ("analytics", "Clicks", "Kinesis"),
        ("custom", "Alerts", "customCloudformation"),
        ("auth", "ShopAuth", "Cognito"),
        ("function", "Orders", "Lambda"),
    ] {
        let entry =
            serde_json::json!({"category": category, "resourceName": name, "service": service});
        assert!(
            mapping.as_array().unwrap().contains(&entry),
            "{entry} missing from {mapping}"
        );
    }
    let lookups = [
        ("GRAPHQL", "0"),
        ("FUNCTIONS", "Orders"),
        ("REST_APIS", "ShopApi,AccountApi"),
    ];
    let (dev, dev_nested) = cdk_synth_with(&folder, "dev", &lookups);
    let (prod, prod_nested) = cdk_synth_with(&folder, "prod", &lookups);
    assert!(dev.starts_with("amplify-storefrontexample-dev-"), "{dev}");
    assert_eq!(prod, dev.replacen("-dev-", "-prod-", 1));
    assert_eq!(dev_nested, 7);
    assert_eq!(prod_nested, 7);
}
