//! A category from outside the amplify-rs crates, for real: `examples/jobs` registers
//! `amplify-category-queue` in its build.rs, and a `cargo build` synthesises the queue's
//! stack, grants a function access to it, generates its typed accessors, and reports
//! mistakes in its keys at the token, one error per mistake.

use std::fs;

use amplify_tests::{exclusive, ScratchCrate};
use serde_json::Value;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(krate: &ScratchCrate, rel: &str) -> Value {
    let path = krate.path().join(rel);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn a_registered_category_synthesises_grants_and_has_typed_accessors() {
    let _serial = exclusive();
    let krate = ScratchCrate::jobs();
    let out = krate.cargo(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let config = json(&krate, "amplify/backend/backend-config.json");
    assert_eq!(config["queue"]["Jobs"]["service"], "SQS");
    let depends = &config["function"]["Enqueue"]["dependsOn"][0];
    assert_eq!(depends["category"], "queue");
    assert_eq!(depends["resourceName"], "Jobs");
    assert_eq!(
        depends["attributes"],
        serde_json::json!(["QueueUrl", "QueueArn"])
    );

    let queue = json(
        &krate,
        "amplify/backend/queue/Jobs/build/Jobs-cloudformation-template.json",
    );
    let props = &queue["Resources"]["Queue"]["Properties"];
    assert_eq!(props["VisibilityTimeout"], 60);
    assert_eq!(props["MessageRetentionPeriod"], 7 * 24 * 3600);
    assert_eq!(props["RedrivePolicy"]["maxReceiveCount"], 5);
    assert_eq!(
        props["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0],
        "DeadLetterQueue"
    );
    for output in [
        "QueueUrl",
        "QueueArn",
        "QueueName",
        "Region",
        "DeadLetterQueueUrl",
    ] {
        assert!(queue["Outputs"][output].is_object(), "output {output}");
    }

    // The grant: the queue's outputs arrive as parameters, become Amplify-named
    // environment variables, and the role may send to exactly that queue.
    let function = json(
        &krate,
        "amplify/backend/function/Enqueue/Enqueue-cloudformation-template.json",
    );
    let lambda = &function["Resources"]["LambdaFunction"]["Properties"];
    assert_eq!(
        lambda["Environment"]["Variables"]["QUEUE_JOBS_QUEUEURL"]["Ref"],
        "queueJobsQueueUrl"
    );
    let text = function.to_string();
    assert!(text.contains("\"sqs:SendMessage\""), "{text}");
    assert!(!text.contains("sqs:ReceiveMessage"), "send only: {text}");

    // The root stack wires the queue's outputs into the function's stack, and the
    // deployment plan lists the queue's stack for `cargo amplify push`.
    let root = json(
        &krate,
        "amplify/backend/awscloudformation/build/root-cloudformation-stack.json",
    );
    assert_eq!(
        root["Resources"]["functionEnqueue"]["Properties"]["Parameters"]["queueJobsQueueArn"]
            ["Fn::GetAtt"],
        serde_json::json!(["queueJobs", "Outputs.QueueArn"])
    );
    let plan = fs::read_to_string(
        krate
            .path()
            .join("amplify/backend/awscloudformation/build/deployment-plan.json"),
    )
    .unwrap();
    assert!(plan.contains("\"queueJobs\""), "{plan}");

    // The app calls `Jobs::queue_url()`; before a push it says so instead of
    // printing an empty URL.
    let run = krate.cargo(&["run", "--quiet"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(stderr(&run).contains("Jobs"), "{}", stderr(&run));
}

#[test]
fn mistakes_in_a_registered_category_are_errors_at_the_token() {
    let _serial = exclusive();
    let krate = ScratchCrate::jobs();
    let cloud = krate.path().join("src/cloud.rs");
    let source = fs::read_to_string(&cloud).unwrap();
    let broken = source
        .replace("visibility_timeout = 60", "visibilty_timeout = 60")
        .replace("retention_days = 7", "retention_days = 30")
        .replace("grant(Jobs = [send]", "grant(Jobs = [sned]")
        .replace("on_change = Audit", "on_change = Jobs");
    assert_ne!(broken, source);
    fs::write(&cloud, &broken).unwrap();

    let out = krate.cargo(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    let at = |needle: &str| {
        let (line, text) = broken
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .unwrap();
        format!(
            "src/cloud.rs:{}:{}",
            line + 1,
            text.find(needle).unwrap() + 1
        )
    };
    let expected = [
        (
            "unknown key `visibilty_timeout` in `#[queue]`; did you mean `visibility_timeout`?",
            at("visibilty_timeout"),
        ),
        (
            "`retention_days` must be between 1 and 14 days, found 30",
            at("30"),
        ),
        ("`sned`", at("sned")),
        (
            "`on_change = Jobs` must name a Lambda function, but `Jobs` is a `#[queue]`; declare it with `#[function]`",
            at("Jobs)]"),
        ),
    ];
    let errors: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("error") && !l.starts_with("error: could not compile"))
        .collect();
    assert_eq!(
        errors.len(),
        expected.len(),
        "one error per mistake:\n{err}"
    );
    let lines: Vec<&str> = err.lines().collect();
    for (message, location) in expected {
        let at = lines
            .iter()
            .position(|l| l.starts_with("error") && l.contains(message))
            .unwrap_or_else(|| panic!("no error containing {message}:\n{err}"));
        assert!(
            lines[at + 1].trim_start() == format!("--> {location}"),
            "{message} should point at {location}:\n{err}"
        );
    }
    assert!(
        !krate.path().join("amplify/backend/queue").exists(),
        "nothing is synthesised from a declaration with errors"
    );
}
