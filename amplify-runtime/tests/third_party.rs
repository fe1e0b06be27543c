//! A third-party category end to end on the local emulator: `examples/jobs` declares an
//! SQS queue with `#[queue]` from `amplify-category-queue`; `cargo amplify push` deploys
//! it without knowing the category, its outputs reach `amplify-meta.json`,
//! `amplify_outputs.json` and the app's typed accessors, and the function granted
//! `[send]` receives the queue's URL; `consumer = Worker` puts the worker's event source
//! mapping in a link stack (no cycle with the function's grant). Its `#[seeded_table]` (from
//! `amplify-category-seed`) has a post-deploy action: the items of its seed file are in
//! the table after the push, `status` reports it done, and it runs again only when the
//! file changes; without its program on PATH, push fails naming it, after recording the
//! deployment.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;

/// Builds the seed category's program and returns a PATH that has it first.
fn path_with_seed_program(scratch: &Scratch) -> String {
    let build = common::without_test_package_env(&mut Command::new(env!("CARGO")))
        .args([
            "build",
            "-q",
            "-p",
            "amplify-category-seed",
            "--features",
            "program",
            "--bin",
            "amplify-seed",
        ])
        .current_dir(scratch.crate_dir())
        .env("CARGO_TARGET_DIR", repo().join("target/scratch-builds"))
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let bin = scratch.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::copy(
        repo().join("target/scratch-builds/debug/amplify-seed"),
        bin.join("amplify-seed"),
    )
    .unwrap();
    let mut paths = vec![bin];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// The items of a table, as `code → label`.
fn labels(cloud: &Cloud, table: &str) -> Vec<(String, String)> {
    let client = aws_sdk_dynamodb::Client::new(&cloud.sdk);
    let scan = cloud
        .rt
        .block_on(client.scan().table_name(table).send())
        .unwrap();
    let text =
        |item: &std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>,
         key: &str| {
            item.get(key)
                .and_then(|v| v.as_s().ok())
                .cloned()
                .unwrap_or_default()
        };
    let mut out: Vec<(String, String)> = scan
        .items()
        .iter()
        .map(|item| (text(item, "code"), text(item, "label")))
        .collect();
    out.sort();
    out
}

#[test]
fn a_post_deploy_action_runs_after_the_deploy_and_again_only_on_change() {
    let emulator = Emulator::start();
    let cloud = Cloud::new(&emulator);
    let scratch = Scratch::jobs();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));

    // Without the program: the stacks deploy and are recorded; push fails naming it.
    let no_program = scratch.amplify(&emulator, &["push", "--yes"]);
    let err = String::from_utf8_lossy(&no_program.stderr).into_owned();
    assert_eq!(no_program.status.code(), Some(4), "{err}");
    assert!(
        err.contains("the post-deploy action `seed` of `Priorities` (amplify-seed) cannot start: `amplify-seed` is not on PATH"),
        "{err}"
    );
    let meta = scratch.json("amplify/backend/amplify-meta.json");
    assert!(
        meta["storage"]["Priorities"]["output"]["Name"].is_string(),
        "{meta}"
    );
    assert!(
        meta["storage"]["Priorities"]["postDeployActions"].is_null(),
        "{meta}"
    );
    let status = scratch.amplify(&emulator, &["status"]);
    let printed = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(
        printed.contains(
            "Priorities.seed (load seed/priorities.json into the table): runs on the next push"
        ),
        "{printed}"
    );

    // With it: the next push has nothing to deploy but runs the action.
    let path = path_with_seed_program(&scratch);
    let pushed = ok(&scratch.amplify_with(&emulator, &["push", "--yes"], &[("PATH", &path)]));
    assert!(pushed.contains("Running seed of Priorities"), "{pushed}");
    let table = scratch.json("amplify/backend/amplify-meta.json")["storage"]["Priorities"]
        ["output"]["Name"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        labels(&cloud, &table),
        [
            ("high".to_owned(), "High".to_owned()),
            ("low".to_owned(), "Low".to_owned()),
            ("normal".to_owned(), "Normal".to_owned())
        ]
    );
    let meta = scratch.json("amplify/backend/amplify-meta.json");
    assert_eq!(
        meta["storage"]["Priorities"]["postDeployActions"]["seed"]["result"],
        serde_json::json!({"written": 3})
    );

    // Unchanged: nothing runs, also after `pull` rewrote amplify-meta.json from the
    // stacks. A changed seed file: the action runs again.
    ok(&scratch.amplify(&emulator, &["pull"]));
    let meta = scratch.json("amplify/backend/amplify-meta.json");
    assert!(
        meta["storage"]["Priorities"]["postDeployActions"]["seed"].is_object(),
        "pull keeps the action's record: {meta}"
    );
    let again = ok(&scratch.amplify_with(&emulator, &["push", "--yes"], &[("PATH", &path)]));
    assert!(again.contains("No changes detected"), "{again}");
    let seed: PathBuf = scratch.crate_dir().join("seed/priorities.json");
    edit(&seed, "\"label\": \"Low\"", "\"label\": \"Later\"");
    let status: serde_json::Value =
        serde_json::from_slice(&scratch.amplify(&emulator, &["status", "--json"]).stdout).unwrap();
    assert_eq!(status["postDeployActions"][0]["pending"], true, "{status}");
    let rerun = ok(&scratch.amplify_with(&emulator, &["push", "--yes"], &[("PATH", &path)]));
    assert!(rerun.contains("Running seed of Priorities"), "{rerun}");
    assert!(
        labels(&cloud, &table).contains(&("low".to_owned(), "Later".to_owned())),
        "{rerun}"
    );
}

/// The (logical id, type) pairs of a deployed link stack's resources, sorted, after
/// checking the stack completed.
fn link_resources(
    cloud: &Cloud,
    root: &str,
    nested: &[NestedStack],
    link: &str,
) -> Vec<(String, String)> {
    let (_, status, _) = nested
        .iter()
        .find(|(logical, _, _)| logical == link)
        .unwrap_or_else(|| panic!("no {link} stack: {nested:?}"));
    assert!(status.ends_with("_COMPLETE"), "{link}: {status}");
    let id = cloud
        .resources(root)
        .into_iter()
        .find(|r| r.logical_resource_id() == Some(link))
        .and_then(|r| r.physical_resource_id().map(ToOwned::to_owned))
        .unwrap();
    let mut resources: Vec<(String, String)> = cloud
        .resources(&id)
        .iter()
        .map(|r| {
            (
                r.logical_resource_id().unwrap_or_default().to_owned(),
                r.resource_type().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    resources.sort();
    resources
}

#[test]
fn a_third_party_category_deploys_and_reaches_the_typed_config() {
    let emulator = Emulator::start();
    let cloud = Cloud::new(&emulator);
    let scratch = Scratch::jobs();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    let path = path_with_seed_program(&scratch);
    let out = scratch.amplify_with(&emulator, &["push", "--yes", "--json"], &[("PATH", &path)]);
    ok(&out);
    let pushed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
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

    // `consumer = Worker` (queue) and `on_change = Audit` (seeded table): each event
    // source mapping and its function's permission live in a link stack, created after
    // both the source and the function.
    for (link, permission) in [
        ("linkJobsConsumer", "ConsumerPolicy"),
        ("linkPrioritiesChanges", "StreamPolicy"),
    ] {
        let mut expected = [
            (
                "Mapping".to_owned(),
                "AWS::Lambda::EventSourceMapping".to_owned(),
            ),
            (permission.to_owned(), "AWS::IAM::Policy".to_owned()),
        ];
        expected.sort();
        assert_eq!(link_resources(&cloud, &stack, &nested, link), expected);
    }

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
    let ran = scratch.amplify_with(&emulator, &["run", "--yes"], &[("PATH", &path)]);
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

    // `console Jobs`: the page the category names.
    let console = scratch.amplify(&emulator, &["console", "Jobs"]);
    let page = String::from_utf8_lossy(&console.stdout).into_owned();
    assert!(
        page.starts_with(
            "https://us-east-1.console.aws.amazon.com/sqs/v3/home?region=us-east-1#/queues/http"
        ),
        "{page}"
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
