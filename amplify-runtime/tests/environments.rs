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
