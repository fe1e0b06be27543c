//! A third-party category end to end on the local emulator: `examples/jobs` declares an
//! SQS queue with `#[queue]` from `amplify-category-queue`; `cargo amplify push` deploys
//! it without knowing the category, its outputs reach `amplify-meta.json`,
//! `amplify_outputs.json` and the app's typed accessors, and the function granted
//! `[send]` receives the queue's URL.

mod common;

use common::*;

#[test]
fn a_third_party_category_deploys_and_reaches_the_typed_config() {
    let emulator = Emulator::start();
    let cloud = Cloud::new(&emulator);
    let scratch = Scratch::jobs();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    let pushed = push_json(&scratch, &emulator);
    assert_eq!(pushed["deployed"], true, "{pushed}");

    let stack = scratch.stack_name("dev");
    let nested = cloud.nested(&stack);
    let (_, status, outputs) = nested
        .iter()
        .find(|(logical, _, _)| logical == "queueJobs")
        .unwrap_or_else(|| panic!("no queueJobs stack: {nested:?}"));
    assert!(status.ends_with("_COMPLETE"), "{status}");
    let deployed = |key: &str| {
        outputs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("queueJobs has no output {key}: {outputs:?}"))
    };
    let url = deployed("QueueUrl");
    assert!(url.contains("Jobs-dev"), "{url}");
    assert!(deployed("QueueArn").starts_with("arn:aws:sqs:"));

    // amplify-meta.json records the category's resource with its stack's outputs.
    let meta = scratch.json("amplify/backend/amplify-meta.json");
    let jobs = &meta["queue"]["Jobs"];
    assert_eq!(jobs["service"], "SQS");
    assert_eq!(jobs["providerPlugin"], "awscloudformation");
    assert_eq!(jobs["output"]["QueueUrl"], url.as_str());
    assert_eq!(
        jobs["output"]["DeadLetterQueueUrl"],
        deployed("DeadLetterQueueUrl").as_str()
    );

    // amplify_outputs.json: the outputs the typed accessors read, and the category's
    // own client fragment under `custom`.
    let outputs = scratch.json("amplify_outputs.json");
    let custom = &outputs["custom"];
    assert_eq!(
        custom["amplify_rs"]["resources"]["queue"]["Jobs"]["QueueUrl"],
        url.as_str()
    );
    assert_eq!(custom["queues"]["Jobs"]["url"], url.as_str());
    assert_eq!(custom["queues"]["Jobs"]["aws_region"], "us-east-1");

    // The function's stack got the queue's URL for its environment variable.
    let function = nested
        .iter()
        .find(|(logical, _, _)| logical == "functionEnqueue")
        .unwrap_or_else(|| panic!("no functionEnqueue stack: {nested:?}"));
    assert!(function.1.ends_with("_COMPLETE"), "{}", function.1);

    // The app, built after the push, prints the queue through its typed accessors.
    let app = scratch.run_app("jobs-example", &[]);
    let printed = String::from_utf8_lossy(&app.stdout).into_owned();
    assert!(
        app.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&app.stderr)
    );
    assert!(
        printed.contains(&format!("jobs queue url   {url}")),
        "{printed}"
    );
    assert!(
        printed.contains("enqueue function Enqueue-dev"),
        "{printed}"
    );

    // `run`: nothing to deploy, then the app, with its output and exit code.
    let ran = scratch.amplify(&emulator, &["run", "--yes"]);
    let printed = String::from_utf8_lossy(&ran.stdout).into_owned();
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert!(
        printed.contains(&format!("jobs queue url   {url}")),
        "{printed}"
    );

    // `status` reads the plan: nothing left to push.
    let status = scratch.amplify(&emulator, &["status", "--json"]);
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    let resources = status["resources"].as_array().unwrap();
    assert!(
        resources
            .iter()
            .any(|r| r["category"] == "queue" && r["resourceName"] == "Jobs"),
        "{status}"
    );
    assert!(
        resources.iter().all(|r| r["operation"] == "No Change"),
        "{status}"
    );
}
