//! README promises no other test exercised, each on the storefront example (fast to push):
//! `-C <dir>`, `--endpoint-url`, the javascript and android frontends' files after push and
//! pull (hand-added keys kept), `ExtraFormats`, `env pull`, `export --force`, and `run`
//! passing on the app's exit code.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use serde_json::Value;

fn write_script(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

fn set_frontend(scratch: &Scratch, config: Value) {
    let path = scratch
        .crate_dir()
        .join("amplify/.config/project-config.json");
    let mut doc: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    for (k, v) in config.as_object().unwrap() {
        doc[k] = v.clone();
    }
    fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
}

#[test]
fn flags_frontends_and_exports_do_what_the_readme_says() {
    let emulator = Emulator::start();
    let scratch = Scratch::storefront();
    let elsewhere = tempfile::tempdir().unwrap();
    let crate_dir = scratch.crate_dir();
    let dir = crate_dir.to_str().unwrap();

    // `-C <dir>` and `--endpoint-url`, from a folder outside the project, without
    // AWS_ENDPOINT_URL.
    let from_elsewhere = |args: &[&str]| {
        let mut all = vec!["-C", dir, "--endpoint-url", emulator.url.as_str()];
        all.extend_from_slice(args);
        let mut cmd = scratch.command(&all);
        cmd.current_dir(elsewhere.path())
            .env_remove("AWS_ENDPOINT_URL");
        cmd.output().unwrap()
    };
    ok(&from_elsewhere(&["init", "--env", "dev", "--yes"]));
    ok(&from_elsewhere(&["push", "--yes"]));
    let bucket = scratch.json("amplify/backend/amplify-meta.json")["hosting"]["Storefront"]
        ["output"]["HostingBucketName"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(Cloud::new(&emulator).bucket_exists(&bucket));

    // A general plugin gets the project's context once there is an environment.
    let bin = tempfile::tempdir().unwrap();
    write_script(
        &bin.path().join("cargo-amplify-context"),
        "#!/bin/sh\nprintf '%s\\n%s\\n%s\\n' \"$AMPLIFY_ENV\" \"$AMPLIFY_META\" \"$AMPLIFY_PLAN\" > \"$AMPLIFY_PROJECT_ROOT/context.txt\"\n",
    );
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    ok(&scratch.amplify_with(&emulator, &["context"], &[("PATH", &path)]));
    let context = scratch.read("context.txt");
    let lines: Vec<&str> = context.lines().collect();
    assert_eq!(lines[0], "dev", "{context}");
    assert!(
        lines[1].ends_with("amplify/backend/amplify-meta.json") && Path::new(lines[1]).is_file(),
        "{context}"
    );
    assert!(Path::new(lines[2]).is_file(), "{context}");

    // The javascript frontend: aws-exports.js and amplifyconfiguration.json under
    // SourceDir, rewritten on pull with a key added by hand kept.
    set_frontend(
        &scratch,
        serde_json::json!({
            "frontend": "javascript",
            "javascript": {"framework": "none", "config": {"SourceDir": "web/src"}}
        }),
    );
    ok(&scratch.amplify(&emulator, &["pull"]));
    let exports_path = crate_dir.join("web/src/aws-exports.js");
    let exports = fs::read_to_string(&exports_path).unwrap();
    assert!(
        exports.contains(&format!("\"aws_content_delivery_bucket\": \"{bucket}\"")),
        "{exports}"
    );
    assert!(crate_dir
        .join("web/src/amplifyconfiguration.json")
        .is_file());
    fs::write(
        &exports_path,
        exports.replacen("{\n", "{\n    \"my_flag\": \"on\",\n", 1),
    )
    .unwrap();
    ok(&scratch.amplify(&emulator, &["env", "pull"]));
    let exports = fs::read_to_string(&exports_path).unwrap();
    assert!(exports.contains("\"my_flag\": \"on\""), "{exports}");
    assert!(exports.contains(&bucket), "{exports}");

    // The rust frontend with extra formats, and an unknown one named with the valid ones.
    set_frontend(
        &scratch,
        serde_json::json!({
            "frontend": "rust",
            "rust": {"config": {"OutputsFile": "amplify_outputs.json", "ExtraFormats": ["awsconfiguration"], "ResDir": "res"}}
        }),
    );
    ok(&scratch.amplify(&emulator, &["pull"]));
    assert!(crate_dir.join("res/awsconfiguration.json").is_file());
    set_frontend(
        &scratch,
        serde_json::json!({"rust": {"config": {"ExtraFormats": ["aws-export"]}}}),
    );
    let out = scratch.amplify(&emulator, &["pull"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("aws-export") && said.contains("aws-exports"),
        "{said}"
    );
    set_frontend(
        &scratch,
        serde_json::json!({"rust": {"config": {"OutputsFile": "amplify_outputs.json"}}}),
    );

    // export: a folder it did not write is replaced only with --force.
    let out_dir = scratch.dir.path().join("cdk");
    let project = scratch.json("amplify/.config/project-config.json")["projectName"]
        .as_str()
        .unwrap()
        .to_owned();
    let foreign = out_dir.join(format!("amplify-export-{project}"));
    fs::create_dir_all(&foreign).unwrap();
    fs::write(foreign.join("mine.txt"), "not export's").unwrap();
    let refused = scratch.amplify(&emulator, &["export", "--out", out_dir.to_str().unwrap()]);
    assert_eq!(
        refused.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(foreign.join("mine.txt").is_file(), "left alone");
    ok(&scratch.amplify(
        &emulator,
        &["export", "--out", out_dir.to_str().unwrap(), "--force"],
    ));
    assert!(!foreign.join("mine.txt").exists());
    assert!(foreign.join("amplify-export-manifest.json").is_file());

    // `run` exits with the app's own code: the app fails (exit 2) when its outputs file
    // names another project.
    let other = scratch.dir.path().join("other-outputs.json");
    fs::write(
        &other,
        r#"{"version": "1.4", "custom": {"amplify_rs": {"project": "someoneelse", "resources": {}}}}"#,
    )
    .unwrap();
    let ran = scratch.amplify_with(
        &emulator,
        &["run", "--yes"],
        &[("AMPLIFY_OUTPUTS", other.to_str().unwrap())],
    );
    let said = String::from_utf8_lossy(&ran.stderr).into_owned();
    assert_eq!(ran.status.code(), Some(2), "{said}");
    assert!(
        said.contains("storefront-example: ") && said.contains("someoneelse"),
        "the app's own failure: {said}"
    );
}

#[test]
fn hooks_run_through_hooks_config_with_only_path_and_amplify_s_payload() {
    let scratch = Scratch::storefront();
    let hooks = scratch.crate_dir().join("amplify/hooks");
    fs::create_dir_all(&hooks).unwrap();
    fs::write(
        hooks.join("hooks-config.json"),
        r#"{"extensions": {"py": {"runtime": "python3"}}, "ignore": ["pre-env-list.sh"]}"#,
    )
    .unwrap();
    // Listed under `ignore`: never runs (it would fail the command).
    write_script(&hooks.join("pre-env-list.sh"), "#!/bin/sh\nexit 1\n");
    fs::write(
        hooks.join("pre-env-list.py"),
        "import json, os, sys\npayload = json.load(sys.stdin)\nprint('py hook ran')\njson.dump({'env': dict(os.environ), 'payload': payload}, open('hook-saw.json', 'w'))\n",
    )
    .unwrap();
    let out = scratch
        .command(&["env", "list"])
        .env("AWS_SECRET_ACCESS_KEY", "must-not-leak")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("py hook ran"),
        "its output is shown (on stderr): {said}"
    );
    let saw = scratch.json("hook-saw.json");
    let env = saw["env"].as_object().unwrap();
    assert!(env.contains_key("PATH"), "{saw}");
    // Only PATH is passed (the interpreter's launcher may add its own variables): no
    // credentials, nothing of the command's environment.
    assert!(
        env.keys().all(|k| !k.starts_with("AWS_")
            && !k.starts_with("AMPLIFY_")
            && !k.starts_with("CARGO")),
        "{saw}"
    );
    assert!(!saw.to_string().contains("must-not-leak"), "{saw}");
    assert_eq!(saw["payload"]["data"]["amplify"]["command"], "env");
    assert_eq!(saw["payload"]["data"]["amplify"]["subCommand"], "list");
}

fn copy_all(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_all(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A Gen 1 project the Amplify CLI wrote (no Rust crate yet): `pull` reads its deployed
/// stacks' outputs into its client files, and `generate outputs` writes Gen 2's file, as
/// they did before plans existed. Its stacks are stand-ins with Amplify's logical ids and
/// output names.
#[test]
fn a_gen1_project_without_a_crate_is_pulled_into_its_client_files() {
    let emulator = Emulator::start();
    let cloud = Cloud::new(&emulator);
    let dir = tempfile::tempdir().unwrap();
    copy_all(
        &repo().join("../shared/reference/gen1-project/project"),
        dir.path(),
    );
    let bucket = "amplify-refapp-dev-0d4ca-deployment";
    let nested = [
        (
            "authrefappauth",
            r#""UserPoolId": {"Value": "us-east-1_gen1pool"}, "AppClientIDWeb": {"Value": "webclient1"}, "AppClientID": {"Value": "nativeclient1"}, "IdentityPoolId": {"Value": "us-east-1:gen1-identity"}"#,
        ),
        (
            "apirefappapi",
            r#""GraphQLAPIEndpointOutput": {"Value": "https://gen1api.appsync-api.us-east-1.amazonaws.com/graphql"}, "GraphQLAPIKeyOutput": {"Value": "da2-gen1key"}, "GraphQLAPIIdOutput": {"Value": "gen1api"}"#,
        ),
        (
            "storagerefappstorage",
            r#""BucketName": {"Value": "refapp-files-dev"}, "Region": {"Value": "us-east-1"}"#,
        ),
    ];
    cloud
        .rt
        .block_on(cloud.s3.create_bucket().bucket(bucket).send())
        .unwrap();
    let mut root = String::from(r#"{"Resources": {"#);
    for (i, (logical, outputs)) in nested.iter().enumerate() {
        let key = format!("amplify-cfn-templates/{logical}.json");
        let template = format!(
            r#"{{"Resources": {{"Handle": {{"Type": "AWS::CloudFormation::WaitConditionHandle"}}}}, "Outputs": {{{outputs}}}}}"#
        );
        cloud.put(bucket, &key, template.into_bytes());
        if i > 0 {
            root.push(',');
        }
        root.push_str(&format!(
            r#""{logical}": {{"Type": "AWS::CloudFormation::Stack", "Properties": {{"TemplateURL": "https://s3.amazonaws.com/{bucket}/{key}"}}}}"#
        ));
    }
    root.push_str("}}");
    cloud
        .rt
        .block_on(
            cloud
                .cfn
                .create_stack()
                .stack_name("amplify-refapp-dev-0d4ca")
                .template_body(root)
                .send(),
        )
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while cloud.status("amplify-refapp-dev-0d4ca") != "CREATE_COMPLETE" {
        assert!(
            std::time::Instant::now() < deadline,
            "{}",
            cloud.status("amplify-refapp-dev-0d4ca")
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }

    let amplify = |args: &[&str]| {
        common::without_test_package_env(&mut std::process::Command::new(env!(
            "CARGO_BIN_EXE_cargo-amplify"
        )))
        .arg("amplify")
        .args(args)
        .current_dir(dir.path())
        .env("AWS_ENDPOINT_URL", &emulator.url)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap()
    };
    ok(&amplify(&["pull", "--env", "dev"]));
    let exports = fs::read_to_string(dir.path().join("src/aws-exports.js")).unwrap();
    for (key, value) in [
        ("aws_user_pools_id", "us-east-1_gen1pool"),
        ("aws_user_pools_web_client_id", "webclient1"),
        ("aws_cognito_identity_pool_id", "us-east-1:gen1-identity"),
        (
            "aws_appsync_graphqlEndpoint",
            "https://gen1api.appsync-api.us-east-1.amazonaws.com/graphql",
        ),
        ("aws_appsync_apiKey", "da2-gen1key"),
        ("aws_appsync_authenticationType", "API_KEY"),
        ("aws_user_files_s3_bucket", "refapp-files-dev"),
    ] {
        assert!(
            exports.contains(&format!("\"{key}\": \"{value}\"")),
            "{key} in:\n{exports}"
        );
    }
    let meta: Value = serde_json::from_str(
        &fs::read_to_string(dir.path().join("amplify/backend/amplify-meta.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        meta["auth"]["refappauth"]["output"]["UserPoolId"],
        "us-east-1_gen1pool"
    );
    assert_eq!(meta["function"]["refappfn"]["service"], "Lambda");

    let out = tempfile::tempdir().unwrap();
    ok(&amplify(&[
        "generate",
        "outputs",
        "--format",
        "amplify-outputs",
        "--out-dir",
        out.path().to_str().unwrap(),
    ]));
    let outputs: Value =
        serde_json::from_str(&fs::read_to_string(out.path().join("amplify_outputs.json")).unwrap())
            .unwrap();
    assert_eq!(outputs["auth"]["user_pool_id"], "us-east-1_gen1pool");
    assert_eq!(outputs["data"]["api_key"], "da2-gen1key");
    assert_eq!(outputs["storage"]["bucket_name"], "refapp-files-dev");
    // Nothing was synthesised into the Gen 1 folder.
    assert!(!dir.path().join("Cargo.toml").exists());
}
