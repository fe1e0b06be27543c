//! Two environments of the blog example side by side on one emulator: `env add`, `list`,
//! `get`, `checkout` (state and client configuration follow), `remove` (refused for the
//! current one) and `import` of an environment from its root stack.

mod common;

use common::*;
use serde_json::Value;

fn json_out(scratch: &Scratch, emulator: &Emulator, args: &[&str]) -> Value {
    let out = scratch.amplify(emulator, args);
    ok(&out);
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn environments_live_side_by_side_and_checkout_brings_their_state() {
    let emulator = Emulator::start();
    let cloud = Cloud::new(&emulator);
    let scratch = Scratch::blog();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    push_json(&scratch, &emulator);
    let dev_pool = scratch.json("amplify_outputs.json")["auth"]["user_pool_id"].clone();
    let dev_stack = scratch.stack_name("dev");

    ok(&scratch.amplify(&emulator, &["env", "add", "prod", "--yes"]));
    push_json(&scratch, &emulator);
    let prod_pool = scratch.json("amplify_outputs.json")["auth"]["user_pool_id"].clone();
    let prod_stack = scratch.stack_name("prod");
    assert_ne!(dev_pool, prod_pool);
    assert_ne!(dev_stack, prod_stack);

    // A declared value overridden for prod only, in team-provider-info.json: a change
    // to push there, and the function gets it; dev keeps the declared one.
    let tpi_path = scratch.crate_dir().join("amplify/team-provider-info.json");
    let mut tpi: Value = scratch.json("amplify/team-provider-info.json");
    tpi["prod"]["categories"]["function"]["PostsFn"]["LOG_LEVEL"] = "debug".into();
    std::fs::write(&tpi_path, serde_json::to_string_pretty(&tpi).unwrap()).unwrap();
    let status = json_out(&scratch, &emulator, &["status", "--json"]);
    let row = |status: &Value, name: &str| {
        status["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["resourceName"] == name)
            .unwrap()["operation"]
            .clone()
    };
    assert_eq!(row(&status, "PostsFn"), "Update", "{status}");
    push_json(&scratch, &emulator);
    let log_level = |stack: &str| {
        cloud
            .nested_parameters(stack, "functionPostsFn")
            .into_iter()
            .find(|(k, _)| k == "envVar0")
            .map(|(_, v)| v)
    };
    assert_eq!(log_level(&prod_stack).as_deref(), Some("debug"));
    assert_eq!(log_level(&dev_stack).as_deref(), Some("info"));
    let kept: Value = scratch.json("amplify/team-provider-info.json");
    assert_eq!(
        kept["prod"]["categories"]["function"]["PostsFn"]["LOG_LEVEL"], "debug",
        "the override survives the push"
    );
    let status = json_out(&scratch, &emulator, &["status", "--json"]);
    assert_eq!(row(&status, "PostsFn"), "No Change", "{status}");

    // A misspelt override is not ignored: status and push refuse it, naming the key,
    // the function and the variable it meant, and deploy nothing.
    let mut typo = kept.clone();
    typo["prod"]["categories"]["function"]["PostsFn"]["LOG_LEVL"] = "trace".into();
    std::fs::write(&tpi_path, serde_json::to_string_pretty(&typo).unwrap()).unwrap();
    for args in [&["status"][..], &["push", "--yes"]] {
        let command = args[0];
        let out = scratch.amplify(&emulator, args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{command}: {err}");
        assert!(
            err.contains("amplify/team-provider-info.json overrides `LOG_LEVL` of `PostsFn` in environment `prod`, which it does not declare"),
            "{command}: {err}"
        );
        assert!(
            err.contains("did you mean `LOG_LEVEL`? Rename the key at `prod.categories.function.PostsFn.LOG_LEVL`"),
            "{command}: {err}"
        );
    }
    std::fs::write(&tpi_path, serde_json::to_string_pretty(&kept).unwrap()).unwrap();

    let listed = json_out(&scratch, &emulator, &["env", "list", "--json"]);
    assert_eq!(listed["envs"], serde_json::json!(["dev", "prod"]));
    assert_eq!(listed["current"], "prod");
    let got = json_out(
        &scratch,
        &emulator,
        &["env", "get", "--name", "dev", "--json"],
    );
    assert_eq!(got["awscloudformation"]["StackName"], dev_stack.as_str());

    // Checkout: the env's outputs, client config and last pushed state come back.
    ok(&scratch.amplify(&emulator, &["env", "checkout", "dev"]));
    assert_eq!(
        scratch.json("amplify/.config/local-env-info.json")["envName"],
        "dev"
    );
    assert_eq!(
        scratch.json("amplify_outputs.json")["auth"]["user_pool_id"],
        dev_pool
    );
    let status = json_out(&scratch, &emulator, &["status", "--json"]);
    assert!(
        status["resources"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["operation"] == "No Change"),
        "the restored #current-cloud-backend matches what dev has: {status}"
    );

    // The current environment cannot be removed; another one can.
    let out = scratch.amplify(&emulator, &["env", "remove", "dev", "--yes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("check out another"));
    ok(&scratch.amplify(&emulator, &["env", "remove", "prod", "--yes"]));
    assert!(cloud
        .stack(&prod_stack)
        .is_none_or(|s| s.stack_status().unwrap().as_str() == "DELETE_COMPLETE"));
    let listed = json_out(&scratch, &emulator, &["env", "list", "--json"]);
    assert_eq!(listed["envs"], serde_json::json!(["dev"]));

    // Import: an environment created elsewhere, by its root stack.
    ok(&scratch.amplify(
        &emulator,
        &[
            "env",
            "import",
            "--name",
            "shared",
            "--stack-name",
            &dev_stack,
        ],
    ));
    let got = json_out(
        &scratch,
        &emulator,
        &["env", "get", "--name", "shared", "--json"],
    );
    assert_eq!(
        got["awscloudformation"]["DeploymentBucketName"],
        format!("{dev_stack}-deployment")
    );
}
