//! `cargo amplify` init, push, status and delete against a real local AWS emulator
//! (MiniStack, installed by `scripts/setup-emulator.sh`) on a free loopback port: a full
//! push, a no-op push, a one-resource change, a change CloudFormation rolls back, a
//! concurrent push, bad settings, and a root stack whose creation failed.

mod common;

use std::fs;
use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

#[test]
fn init_push_noop_change_failure_and_delete() {
    let emulator = Emulator::start();
    let cloud = Cloud::new(&emulator);
    let scratch = Scratch::blog();

    // init: root stack, bucket, roles, Amplify's state files.
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    let tpi = scratch.json("amplify/team-provider-info.json");
    let provider = &tpi["dev"]["awscloudformation"];
    let stack = provider["StackName"].as_str().unwrap().to_owned();
    let bucket = provider["DeploymentBucketName"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(stack.starts_with("amplify-blogexample-dev-"), "{stack}");
    assert_eq!(bucket, format!("{stack}-deployment"));
    assert_eq!(provider["AuthRoleName"], format!("{stack}-authRole"));
    assert_eq!(
        scratch.json("amplify/.config/local-env-info.json")["envName"],
        "dev"
    );
    assert!(scratch.json("amplify/.config/local-aws-info.json")["dev"].is_object());
    assert_eq!(
        scratch.json("amplify/backend/amplify-meta.json")["providers"]["awscloudformation"]
            ["StackName"],
        stack
    );
    assert_eq!(cloud.status(&stack).as_str(), "CREATE_COMPLETE");
    assert!(cloud.bucket_exists(&bucket));

    // push: everything deployed, outputs recorded.
    let first = push_json(&scratch, &emulator);
    assert_eq!(first["deployed"], true);
    assert_eq!(cloud.status(&stack).as_str(), "UPDATE_COMPLETE");
    let nested = cloud.nested(&stack);
    assert_eq!(nested.len(), 5, "{nested:?}");
    let meta = scratch.json("amplify/backend/amplify-meta.json");
    for (logical, status, outputs) in &nested {
        assert!(status.ends_with("_COMPLETE"), "{logical}: {status}");
        let (category, name) =
            logical.split_at(logical.find(|c: char| c.is_ascii_uppercase()).unwrap());
        let entry = &meta[category][name];
        assert!(entry["lastPushTimeStamp"].is_string(), "{logical}");
        for (k, v) in outputs {
            assert_eq!(
                entry["output"][k],
                v.as_str(),
                "{logical}.{k} in amplify-meta.json"
            );
        }
    }
    assert!(meta["auth"]["BlogAuth"]["output"]["UserPoolId"]
        .as_str()
        .unwrap()
        .contains('_'));
    assert!(meta["api"]["BlogApi"]["output"]["GraphQLAPIEndpointOutput"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let uploaded: Vec<String> = first["uploaded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect();
    for key in &uploaded {
        assert!(cloud.object_exists(&bucket, key), "{key} not in the bucket");
    }
    // The report's phases agree with what it says was done.
    let phases = first["phases"].as_array().unwrap();
    let phase = |name: &str| {
        phases
            .iter()
            .find(|p| p["phase"] == name)
            .unwrap_or_else(|| panic!("no {name} phase: {phases:?}"))
    };
    assert_eq!(phase("uploaded")["objects"], uploaded.len());
    assert_eq!(
        phase("prepared")["objects"],
        uploaded.len() + phase("uploaded")["kept"].as_u64().unwrap() as usize
    );
    assert_eq!(phase("deployed")["stack"], stack.as_str());
    assert_eq!(phase("deployed")["status"], "UPDATE_COMPLETE");
    assert!(phase("stateWritten")["clientFiles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f.as_str().unwrap().ends_with("amplify_outputs.json")));
    assert!(uploaded
        .iter()
        .any(|k| k.starts_with("amplify-builds/PostsFn-") && k.ends_with("-build.zip")));
    assert!(uploaded
        .iter()
        .any(|k| k.starts_with("amplify-appsync-files/") && k.ends_with("/schema.graphql")));
    assert!(
        uploaded
            .iter()
            .filter(|k| k.starts_with("amplify-cfn-templates/"))
            .count()
            >= 6,
        "{uploaded:?}"
    );
    assert!(cloud.object_exists(&bucket, "#current-cloud-backend.zip"));
    assert!(scratch
        .crate_dir()
        .join("amplify/#current-cloud-backend/backend-config.json")
        .is_file());
    let function_key = tpi_after(&scratch)["dev"]["categories"]["function"]["PostsFn"]["s3Key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(uploaded.contains(&function_key));

    // The app, built after the push, prints what DescribeStacks says.
    let app = scratch.run_app("blog-example", &["config"]);
    let printed = String::from_utf8_lossy(&app.stdout).into_owned();
    assert!(
        app.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&app.stderr)
    );
    let output_of = |logical: &str, key: &str| {
        nested
            .iter()
            .find(|(l, _, _)| l == logical)
            .and_then(|(_, _, o)| o.iter().find(|(k, _)| k == key))
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    for (label, logical, key) in [
        ("user pool", "authBlogAuth", "UserPoolId"),
        ("web client", "authBlogAuth", "AppClientIDWeb"),
        ("identity pool", "authBlogAuth", "IdentityPoolId"),
        ("graphql endpoint", "apiBlogApi", "GraphQLAPIEndpointOutput"),
        ("graphql api key", "apiBlogApi", "GraphQLAPIKeyOutput"),
        ("posts table", "storagePostTable", "Name"),
        ("posts function", "functionPostsFn", "Name"),
        ("photos bucket", "storagePhotos", "BucketName"),
    ] {
        let line = format!("{label:<16} {}", output_of(logical, key));
        assert!(
            printed.lines().any(|l| l == line),
            "missing `{line}` in:\n{printed}"
        );
    }
    let outputs = scratch.json("amplify_outputs.json");
    assert_eq!(outputs["version"], "1.4");
    assert_eq!(
        outputs["auth"]["user_pool_id"],
        output_of("authBlogAuth", "UserPoolId").as_str()
    );
    assert_eq!(
        outputs["data"]["url"],
        output_of("apiBlogApi", "GraphQLAPIEndpointOutput").as_str()
    );
    assert_eq!(
        outputs["storage"]["bucket_name"],
        output_of("storagePhotos", "BucketName").as_str()
    );

    // pull rebuilds the same outputs from the stacks alone (as on a fresh clone).
    fs::remove_file(
        scratch
            .crate_dir()
            .join("amplify/backend/amplify-meta.json"),
    )
    .unwrap();
    fs::remove_file(scratch.crate_dir().join("amplify_outputs.json")).unwrap();
    ok(&scratch.amplify(&emulator, &["pull"]));
    let pulled = scratch.json("amplify_outputs.json");
    assert_eq!(pulled["auth"], outputs["auth"]);
    assert_eq!(pulled["data"], outputs["data"]);
    assert_eq!(
        pulled["custom"]["amplify_rs"]["resources"],
        outputs["custom"]["amplify_rs"]["resources"]
    );

    // A push with nothing changed: decided locally, no AWS call at all — proven against
    // an endpoint where nothing listens (any call would fail the push), not only by the
    // CLI's own call log.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = scratch.amplify_with(
        &emulator,
        &["push", "--yes", "--json"],
        &[("AWS_ENDPOINT_URL", &format!("http://127.0.0.1:{closed}"))],
    );
    ok(&out);
    let again: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again["deployed"], false);
    assert_eq!(again["uploaded"].as_array().unwrap().len(), 0);
    assert_eq!(again["phases"], serde_json::json!([]), "nothing to deploy");
    assert_eq!(again["apiCalls"].as_array().unwrap().len(), 0, "{again}");
    assert_eq!(
        scratch.json("amplify/.config/local-aws-info.json")["dev"]["endpointUrl"],
        emulator.url.as_str(),
        "a push that reached no endpoint records none"
    );
    // `status` asks Cargo for the Rust function's dependencies only when `Cargo.lock` or
    // a manifest changed since it last did (through a cargo that logs its commands).
    let log = scratch.dir.path().join("cargo-calls.log");
    let logging_cargo = scratch.dir.path().join("logging-cargo");
    std::fs::write(
        &logging_cargo,
        format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            env!("CARGO")
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &logging_cargo,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let status_json = || {
        let out = scratch.amplify_with(
            &emulator,
            &["status", "--json"],
            &[("CARGO", logging_cargo.to_str().unwrap())],
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let all_unchanged = |status: &Value| {
        status["resources"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["operation"] == "No Change")
    };
    let status = status_json();
    assert!(all_unchanged(&status), "{status}");
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(!calls.contains("metadata"), "{calls}");
    // An unrelated edit of Cargo.lock: asked again, and still nothing to push.
    let lock = scratch.dir.path().join("Cargo.lock");
    let text = std::fs::read_to_string(&lock).unwrap();
    std::fs::write(&lock, format!("{text}\n")).unwrap();
    let status = status_json();
    assert!(all_unchanged(&status), "{status}");
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(calls.contains("metadata"), "{calls}");

    // One resource changes: only its template (and the root) is uploaded, only its
    // stack is updated.
    let cloud_rs = scratch.crate_dir().join("src/cloud.rs");
    edit(
        &cloud_rs,
        "index(name = byAuthor, partition_key = author: string),",
        "index(name = byAuthor, partition_key = author: string),\n        stream,",
    );
    let status = scratch.amplify(&emulator, &["status", "--json"]);
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    let changed: Vec<&Value> = status["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["operation"] != "No Change")
        .collect();
    assert_eq!(changed.len(), 1, "{status}");
    assert_eq!(changed[0]["resourceName"], "PostTable");
    assert_eq!(changed[0]["operation"], "Update");
    let names = [
        "storagePostTable",
        "authBlogAuth",
        "functionPostsFn",
        "apiBlogApi",
        "storagePhotos",
    ];
    let before: Vec<usize> = names
        .iter()
        .map(|n| cloud.nested_event_count(&stack, n))
        .collect();
    let change = push_json(&scratch, &emulator);
    assert_eq!(change["deployed"], true);
    let uploaded: Vec<&str> = change["uploaded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(uploaded.len(), 2, "{uploaded:?}");
    assert!(uploaded
        .iter()
        .any(|k| k.starts_with("amplify-cfn-templates/storage/PostTable/")));
    assert!(uploaded
        .iter()
        .any(|k| k.starts_with("amplify-cfn-templates/root-cloudformation-stack-")));
    let after: Vec<usize> = names
        .iter()
        .map(|n| cloud.nested_event_count(&stack, n))
        .collect();
    assert!(after[0] > before[0], "PostTable's stack was not updated");
    for i in 1..names.len() {
        assert_eq!(after[i], before[i], "{} was touched", names[i]);
    }
    assert!(
        scratch.json("amplify/backend/amplify-meta.json")["storage"]["PostTable"]["output"]
            ["StreamArn"]
            .is_string()
    );

    // A change CloudFormation refuses: the rollback's root cause is printed, and local
    // state is byte-for-byte what it was.
    let snapshot = scratch.state_snapshot();
    edit(
        &cloud_rs,
        "partition_key = id: string,",
        "partition_key = slug: string,",
    );
    // It would lose the table's items: refused until the table is named.
    let refused = scratch.amplify(&emulator, &["push", "--yes"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("`--allow-replace PostTable`"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let failed = scratch.amplify(
        &emulator,
        &["push", "--yes", "--allow-replace", "PostTable"],
    );
    assert_eq!(failed.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("Root cause:"), "{stderr}");
    assert!(
        stderr.contains("storagePostTable › DynamoDBTable (AWS::DynamoDB::Table) UPDATE_FAILED"),
        "{stderr}"
    );
    assert!(stderr.contains("requires replacing"), "{stderr}");
    assert!(
        stderr.contains("\n  help: "),
        "a rollback says what to do: {stderr}"
    );
    assert!(
        !stderr.contains("stackUpdateComplete"),
        "the waiter's message is not the error"
    );
    assert_eq!(
        scratch.state_snapshot(),
        snapshot,
        "a failed push changed local state"
    );
    assert!(cloud.status(&stack).as_str().ends_with("ROLLBACK_COMPLETE"));
    // The next push after a failed update works without cleanup.
    edit(
        &cloud_rs,
        "partition_key = slug: string,",
        "partition_key = id: string,",
    );
    let recovered = push_json(&scratch, &emulator);
    assert_eq!(
        recovered["deployed"], false,
        "back to the deployed declaration: nothing to do"
    );

    // delete: no stack, no bucket, no local env.
    ok(&scratch.amplify(&emulator, &["delete", "--yes"]));
    assert!(cloud
        .stack(&stack)
        .is_none_or(|s| s.stack_status().unwrap().as_str() == "DELETE_COMPLETE"));
    assert!(
        !cloud.bucket_exists(&bucket),
        "deployment bucket left behind"
    );
    assert!(tpi_after(&scratch).get("dev").is_none());
    assert!(!scratch
        .crate_dir()
        .join("amplify/.config/local-env-info.json")
        .exists());
    // The client configuration no longer hands out ids that are gone: the app, rebuilt,
    // says the backend is not deployed.
    let outputs = scratch.json("amplify_outputs.json");
    assert_eq!(
        outputs["custom"]["amplify_rs"]["resources"],
        serde_json::json!({})
    );
    let app = scratch.run_app("blog-example", &["config"]);
    let said = String::from_utf8_lossy(&app.stderr);
    assert!(!app.status.success());
    assert!(said.contains("is not deployed yet"), "{said}");

    // Deleting an environment whose stack is already gone works, and says so.
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    let stack = scratch.stack_name("dev");
    cloud
        .rt
        .block_on(cloud.cfn.delete_stack().stack_name(&stack).send())
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while cloud
        .stack(&stack)
        .is_some_and(|s| s.stack_status().unwrap().as_str() != "DELETE_COMPLETE")
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(200));
    }
    ok(&scratch.amplify(&emulator, &["delete", "--yes"]));
    assert!(tpi_after(&scratch).get("dev").is_none());
}

#[test]
fn a_second_push_of_the_same_env_is_refused_while_one_runs() {
    let emulator = Emulator::start();
    let scratch = Scratch::blog();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    let mut first = scratch.command(&["push", "--yes"]);
    first
        .env("AWS_ENDPOINT_URL", &emulator.url)
        .stderr(Stdio::null());
    let mut first = first.spawn().unwrap();
    let lock = scratch.crate_dir().join("amplify/.config/local-state.lock");
    // The holder writes its record once it holds the lock.
    let held = || fs::metadata(&lock).is_ok_and(|m| m.len() > 0);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !held() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(held(), "the first push never took the lock");
    let second = scratch.amplify(&emulator, &["push", "--yes"]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(5), "{stderr}");
    assert!(
        stderr.contains("cannot run `push` now: `push` of environment `dev` is running"),
        "{stderr}"
    );
    // Switching the current environment mid-push would mix the two environments'
    // state files: refused the same way.
    let add = scratch.amplify(&emulator, &["env", "add", "prod", "--yes"]);
    let stderr = String::from_utf8_lossy(&add.stderr);
    assert_eq!(add.status.code(), Some(5), "{stderr}");
    assert!(
        stderr.contains("cannot run `env add` now: `push` of environment `dev` is running"),
        "{stderr}"
    );
    assert!(
        first.wait().unwrap().success(),
        "the first push still completes"
    );
    assert!(!held(), "the lock is released");
    ok(&scratch.amplify(&emulator, &["push", "--yes"]));
    assert_eq!(
        scratch.json("amplify/.config/local-env-info.json")["envName"],
        "dev",
        "the refused env add switched nothing"
    );
}

#[test]
fn pushes_started_together_deploy_once_and_the_other_exits_5() {
    let emulator = Emulator::start();
    let scratch = Scratch::blog();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    // A first push brings the plan up to date, so the pairs below race for the lock
    // and not for a build.
    push_json(&scratch, &emulator);
    for round in 0..4 {
        let barrier = std::sync::Barrier::new(2);
        let outputs: Vec<std::process::Output> = std::thread::scope(|s| {
            let racers: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| {
                        let mut cmd = scratch.command(&["push", "--yes", "--force"]);
                        cmd.env("AWS_ENDPOINT_URL", &emulator.url);
                        barrier.wait();
                        cmd.output().unwrap()
                    })
                })
                .collect();
            racers.into_iter().map(|r| r.join().unwrap()).collect()
        });
        let mut codes: Vec<Option<i32>> = outputs.iter().map(|o| o.status.code()).collect();
        codes.sort();
        let stderr: Vec<String> = outputs
            .iter()
            .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
            .collect();
        assert_eq!(
            codes,
            [Some(0), Some(5)],
            "round {round}: exactly one push deploys:\n{}",
            stderr.join("\n----\n")
        );
        assert!(
            stderr.iter().all(|e| !e.contains("stale")),
            "{}",
            stderr.join("\n----\n")
        );
    }
}

#[test]
fn bad_environment_and_settings_are_explained_and_touch_nothing() {
    let emulator = Emulator::start();
    let scratch = Scratch::blog();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    let snapshot = scratch.state_snapshot();

    let invalid = scratch.amplify(&emulator, &["init", "--env", "Prod1", "--yes"]);
    assert_eq!(invalid.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&invalid.stderr).contains("2–10 lowercase letters"));

    let missing = scratch.amplify(&emulator, &["push", "--env", "prod", "--yes"]);
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("environment `prod` does not exist")
            && stderr.contains("known environments: dev"),
        "{stderr}"
    );

    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable = scratch.amplify_with(
        &emulator,
        &["push", "--yes", "--force"],
        &[("AWS_ENDPOINT_URL", &format!("http://127.0.0.1:{closed}"))],
    );
    assert_eq!(
        unreachable.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&unreachable.stderr)
    );
    assert!(String::from_utf8_lossy(&unreachable.stderr).contains("endpoint-url"));

    let home = tempfile::tempdir().unwrap();
    let nowhere = home.path().join("none").display().to_string();
    let mut no_creds = scratch.command(&["push", "--yes", "--force"]);
    no_creds
        .env("AWS_ENDPOINT_URL", &emulator.url)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", &nowhere)
        .env("AWS_SHARED_CREDENTIALS_FILE", &nowhere);
    let no_creds = no_creds.output().unwrap();
    assert_eq!(
        no_creds.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&no_creds.stderr)
    );
    assert!(String::from_utf8_lossy(&no_creds.stderr).contains("no AWS credentials"));

    let mut no_region = scratch.command(&["push", "--yes", "--force"]);
    no_region
        .env("AWS_ENDPOINT_URL", &emulator.url)
        .env_remove("AWS_REGION")
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", &nowhere)
        .env("AWS_SHARED_CREDENTIALS_FILE", &nowhere);
    let no_region = no_region.output().unwrap();
    assert_eq!(no_region.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_region.stderr).contains("no AWS region"));

    let tpi = scratch.crate_dir().join("amplify/team-provider-info.json");
    let good = fs::read_to_string(&tpi).unwrap();
    fs::write(&tpi, good.replacen('{', "{ oops", 1)).unwrap();
    let corrupt = scratch.amplify(&emulator, &["status"]);
    assert_eq!(corrupt.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&corrupt.stderr).contains("team-provider-info.json` line 1"));
    fs::write(&tpi, good).unwrap();

    assert_eq!(
        scratch.state_snapshot(),
        snapshot,
        "a refused command changed local state"
    );
    let _ = emulator.port();
}

#[test]
fn a_root_stack_whose_creation_failed_is_recreated_by_the_next_push() {
    let emulator = Emulator::start();
    let cloud = Cloud::new(&emulator);
    let scratch = Scratch::blog();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    let tpi = scratch.json("amplify/team-provider-info.json");
    let stack = tpi["dev"]["awscloudformation"]["StackName"]
        .as_str()
        .unwrap()
        .to_owned();
    let bucket = tpi["dev"]["awscloudformation"]["DeploymentBucketName"]
        .as_str()
        .unwrap()
        .to_owned();

    // Replace the root stack by one whose creation failed (its bucket name is taken by
    // the retained deployment bucket): the state an interrupted or failed init leaves.
    cloud
        .rt
        .block_on(cloud.cfn.delete_stack().stack_name(&stack).send())
        .unwrap();
    let template = format!(
        r#"{{"Resources": {{"Clash": {{"Type": "AWS::S3::Bucket", "Properties": {{"BucketName": "{bucket}"}}}}}}}}"#
    );
    let _ = cloud.rt.block_on(
        cloud
            .cfn
            .create_stack()
            .stack_name(&stack)
            .template_body(template)
            .send(),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut status = String::new();
    while Instant::now() < deadline {
        status = cloud
            .stack(&stack)
            .map(|s| s.stack_status().unwrap().as_str().to_owned())
            .unwrap_or_default();
        if !status.ends_with("_IN_PROGRESS") {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        matches!(
            status.as_str(),
            "ROLLBACK_COMPLETE" | "CREATE_FAILED" | "ROLLBACK_FAILED"
        ),
        "{status}"
    );

    // Without --yes on a non-terminal stdin, deleting something needs confirmation.
    let refused = scratch.amplify(&emulator, &["push"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));

    let recovered = push_json(&scratch, &emulator);
    assert_eq!(recovered["deployed"], true);
    assert_eq!(cloud.status(&stack).as_str(), "UPDATE_COMPLETE");
    assert_eq!(cloud.nested(&stack).len(), 5);
}
