//! README promises no other test exercised, each on the storefront example (fast to push):
//! `-C <dir>`, `--endpoint-url`, the javascript and android frontends' files after push and
//! pull (hand-added keys kept), `ExtraFormats`, `env pull`, `export --force`, and `run`
//! passing on the app's exit code.

mod common;

use std::fs;

use common::*;
use serde_json::Value;

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
