//! The plugin platform of `cargo amplify`: command hooks (a failing pre-push hook stops
//! the push with exit 76 and nothing deployed; a post-push hook gets Amplify's payload,
//! after a failure too), general plugins found on PATH and run with the project's
//! context, `plugin list`, and every error class rendered with its help line.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;
use serde_json::Value;

fn write_script(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

fn code(out: &std::process::Output) -> Option<i32> {
    out.status.code()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_failing_pre_push_hook_stops_the_push_and_post_hooks_get_the_payload() {
    let emulator = Emulator::start();
    let cloud = Cloud::new(&emulator);
    let scratch = Scratch::blog();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    let stack = scratch.stack_name("dev");
    let hooks = scratch.crate_dir().join("amplify/hooks");

    // A pre-push hook that fails: exit 76, nothing deployed, local state unchanged.
    write_script(
        &hooks.join("pre-push.sh"),
        "#!/bin/bash\ncat > pre-push-payload.json\necho 'tests are red' >&2\nexit 3\n",
    );
    let before = scratch.state_snapshot();
    let out = scratch.amplify(&emulator, &["push", "--yes"]);
    assert_eq!(code(&out), Some(76), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("hook `pre-push.sh` failed"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("tests are red"),
        "the hook's own output is shown"
    );
    assert!(
        stderr(&out).contains("help: fix or remove"),
        "{}",
        stderr(&out)
    );
    assert_eq!(scratch.state_snapshot(), before, "local state unchanged");
    assert_eq!(cloud.status(&stack), "CREATE_COMPLETE", "nothing deployed");
    assert!(cloud.nested(&stack).is_empty());
    let payload: Value = scratch.json("pre-push-payload.json");
    assert_eq!(payload["data"]["amplify"]["command"], "push");
    assert_eq!(payload["data"]["amplify"]["environment"]["envName"], "dev");
    assert_eq!(
        payload["data"]["amplify"]["argv"],
        serde_json::json!(["push", "--yes"])
    );
    fs::remove_file(hooks.join("pre-push.sh")).unwrap();

    // A post-push hook (in JavaScript) receives the payload after a push that worked…
    write_script(
        &hooks.join("post-push.js"),
        "const fs = require('fs');\nconst input = fs.readFileSync(0, 'utf8');\nconst n = fs.readdirSync('.').filter(f => f.startsWith('post-push-')).length;\nfs.writeFileSync(`post-push-${n}.json`, input);\nconsole.log('post-push hook ran');\n",
    );
    // (-vv logs every AWS call.)
    let logged = ok(&scratch.amplify(&emulator, &["push", "--yes", "-vv"]));
    assert_eq!(cloud.status(&stack), "UPDATE_COMPLETE");
    assert!(
        logged.contains("AWS call") && logged.contains("operation=\"UpdateStack\""),
        "{logged}"
    );
    let payload: Value = scratch.json("post-push-0.json");
    assert_eq!(payload["data"]["amplify"]["command"], "push");
    assert!(payload["error"].is_null(), "{payload}");
    // …with the phases the push went through, as they happened.
    let phases: Vec<&str> = payload["data"]["amplify"]["phases"]
        .as_array()
        .unwrap_or_else(|| panic!("no phases: {payload}"))
        .iter()
        .map(|p| p["phase"].as_str().unwrap())
        .collect();
    assert_eq!(
        phases,
        [
            "prepared",
            "uploaded",
            "deployed",
            "outputsCollected",
            "actionsRun",
            "stateWritten"
        ]
    );
    assert_eq!(
        payload["data"]["amplify"]["phases"][2]["status"],
        "UPDATE_COMPLETE"
    );
    // What a hook prints goes to stderr: `--json` output stays one JSON document.
    let out = scratch.amplify(&emulator, &["push", "--yes", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert!(report["deployed"].is_boolean(), "{report}");
    assert!(
        stderr(&out).contains("post-push hook ran"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        payload["data"]["amplify"]["environment"]["projectPath"],
        scratch.crate_dir().display().to_string()
    );

    // console: the root stack's page, and a resource's own page.
    let out = scratch.amplify(&emulator, &["console", "--json"]);
    let console: Value = serde_json::from_slice(&out.stdout).unwrap();
    let url = console["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://us-east-1.console.aws.amazon.com/cloudformation/"),
        "{url}"
    );
    assert!(url.contains(&stack), "{url}");
    let out = scratch.amplify(&emulator, &["console", "PostTable"]);
    let table_url = String::from_utf8_lossy(&out.stdout);
    assert!(
        table_url.contains("/dynamodbv2/home?region=us-east-1#table?name=PostTable-dev"),
        "{table_url}"
    );
    // status: the endpoint the API category marks, and its key masked unless asked for.
    let key = scratch.json("amplify/backend/amplify-meta.json")["api"]["BlogApi"]["output"]
        ["GraphQLAPIKeyOutput"]
        .as_str()
        .unwrap()
        .to_owned();
    let shown =
        String::from_utf8_lossy(&scratch.amplify(&emulator, &["status"]).stdout).into_owned();
    assert!(shown.contains("GraphQL endpoint: http"), "{shown}");
    assert!(
        shown.contains("(`status --show-secrets` prints it)"),
        "{shown}"
    );
    assert!(!shown.contains(&key), "{shown}");
    let secrets = scratch.amplify(&emulator, &["status", "--show-secrets"]);
    let secrets = String::from_utf8_lossy(&secrets.stdout);
    assert!(
        secrets.contains(&format!("GraphQL API KEY: {key}")),
        "{secrets}"
    );

    let out = scratch.amplify(&emulator, &["console", "Nope"]);
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("help: deployed resources:"),
        "{}",
        stderr(&out)
    );

    // configure: a profile recorded for the environment is used from then on.
    let aws_dir = tempfile::tempdir().unwrap();
    let credentials = aws_dir.path().join("credentials");
    fs::write(
        &credentials,
        "[staging]\naws_access_key_id = testing\naws_secret_access_key = testing\n",
    )
    .unwrap();
    let with_profile_only = |args: &[&str]| {
        scratch
            .command(args)
            .env("AWS_ENDPOINT_URL", &emulator.url)
            .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
            .env("AWS_CONFIG_FILE", aws_dir.path().join("config"))
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .output()
            .unwrap()
    };
    let out = with_profile_only(&["configure", "--use-profile", "staging", "--check", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let configured: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(configured["profile"], "staging");
    assert_eq!(configured["rootStackStatus"], "UPDATE_COMPLETE");
    assert_eq!(
        scratch.json("amplify/.config/local-aws-info.json")["dev"]["profileName"],
        "staging"
    );
    let out = with_profile_only(&["push", "--yes", "--force"]);
    assert!(
        out.status.success(),
        "the stored profile is used: {}",
        stderr(&out)
    );

    // A profile that does not exist is named, with the close one, and not recorded.
    let out = with_profile_only(&["configure", "--use-profile", "stagin", "--check"]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("AWS profile `stagin` (given with `--use-profile`) is not defined in ~/.aws/config or ~/.aws/credentials"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("did you mean `staging`?"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        scratch.json("amplify/.config/local-aws-info.json")["dev"]["profileName"],
        "staging",
        "the failed check recorded nothing"
    );
    // Keys in the environment win over the recorded profile: said, not silent.
    let out = scratch
        .command(&["configure", "--check"])
        .env("AWS_ENDPOINT_URL", &emulator.url)
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        .env("AWS_CONFIG_FILE", aws_dir.path().join("config"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("note: AWS_ACCESS_KEY_ID is set, so those credentials are used, not profile `staging` (recorded for environment `dev`"),
        "{}",
        stderr(&out)
    );
    // A role ARN that is not one is named by its flag, before any AWS call.
    for (arn, problem) in [
        ("not-an-arn", "it is not an ARN"),
        (
            "arn:aws:s3:::deploy-bucket",
            "it is an ARN of `s3`, not of an IAM role",
        ),
        (
            "arn:aws:iam::12345:role/deploy",
            "`12345` is not a 12-digit account id",
        ),
    ] {
        let out = with_profile_only(&["configure", "--check", "--role-arn", arn]);
        assert_eq!(code(&out), Some(2), "{arn}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!(
                "`--role-arn {arn}` does not name an IAM role: {problem}"
            )),
            "{arn}: {}",
            stderr(&out)
        );
    }

    // …and after one that failed, with the error.
    let out = scratch.amplify(&emulator, &["push", "--yes", "--env", "nosuch"]);
    assert_eq!(code(&out), Some(2), "the push's own error is reported");
    let payload: Value = scratch.json("post-push-3.json");
    assert!(
        payload["error"]["message"]
            .as_str()
            .unwrap()
            .contains("nosuch"),
        "{payload}"
    );
}

#[test]
fn general_plugins_on_path_run_with_the_project_context_and_are_listed() {
    let scratch = Scratch::blog();
    let bin = tempfile::tempdir().unwrap();
    write_script(
        &bin.path().join("cargo-amplify-hello"),
        "#!/bin/bash\n{ echo \"args=$*\"; echo \"root=$AMPLIFY_PROJECT_ROOT\"; echo \"env=${AMPLIFY_ENV:-none}\"; echo \"version=$AMPLIFY_CLI_VERSION\"; } > \"$AMPLIFY_PROJECT_ROOT/hello.txt\"\nexit 7\n",
    );
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = scratch
        .command(&["hello", "world", "--loud"])
        .env("PATH", &path)
        .output()
        .unwrap();
    assert_eq!(
        code(&out),
        Some(7),
        "the plugin's exit code: {}",
        stderr(&out)
    );
    // A plugin named like a built-in command never runs; the list says so.
    write_script(
        &bin.path().join("cargo-amplify-status"),
        "#!/bin/bash\necho shadow > \"$AMPLIFY_PROJECT_ROOT/shadow.txt\"\n",
    );
    let seen = scratch.read("hello.txt");
    assert!(seen.contains("args=world --loud"), "{seen}");
    assert!(
        seen.contains(&format!("root={}", scratch.crate_dir().display())),
        "{seen}"
    );
    assert!(
        seen.contains("env=none"),
        "no environment before init: {seen}"
    );
    assert!(seen.contains("version=0."), "{seen}");

    let out = scratch
        .command(&["plugin", "list", "--json"])
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let attributes: Vec<&str> = list["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["attribute"].as_str().unwrap())
        .collect();
    for builtin in ["auth", "api", "table", "bucket", "function"] {
        assert!(attributes.contains(&builtin), "{list}");
    }
    assert_eq!(list["providers"], serde_json::json!(["awscloudformation"]));
    assert!(list["frontends"]
        .as_array()
        .unwrap()
        .contains(&Value::from("javascript")));
    let hello = list["general"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "hello")
        .unwrap_or_else(|| panic!("{list}"));
    assert_eq!(
        hello["path"],
        bin.path().join("cargo-amplify-hello").display().to_string()
    );
    assert!(hello.get("shadowed").is_none(), "{hello}");
    let status = list["general"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "status")
        .unwrap_or_else(|| panic!("{list}"));
    assert_eq!(status["shadowed"], true, "{list}");
    let text = scratch
        .command(&["plugin", "list"])
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&text.stdout)
            .contains("cargo-amplify-status  (shadowed: the built-in command of that name runs)"),
        "{}",
        String::from_utf8_lossy(&text.stdout)
    );

    // A command that is neither built in nor on PATH says where plugins come from.
    let out = scratch.command(&["nothere"]).output().unwrap();
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("no command `nothere`")
            && stderr(&out).contains("help: ")
            && stderr(&out).contains("cargo-amplify-nothere"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_third_party_category_of_the_crate_is_listed() {
    let scratch = Scratch::jobs();
    let build = common::without_test_package_env(&mut Command::new(env!("CARGO")))
        .args(["build", "-q", "-p", "jobs-example"])
        .current_dir(scratch.crate_dir())
        .env("CARGO_TARGET_DIR", repo().join("target/scratch-builds"))
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", stderr(&build));
    let out = scratch
        .command(&["plugin", "list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let queue = list["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["attribute"] == "queue")
        .unwrap_or_else(|| panic!("{list}"));
    assert_eq!(queue["service"], "SQS");
    assert_eq!(queue["source"], "crate");
}

#[test]
fn an_unreachable_endpoint_is_an_aws_error_with_help_not_a_debug_dump() {
    let scratch = Scratch::blog();
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = scratch
        .command(&["init", "--env", "dev", "--yes"])
        .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}"))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(code(&out), Some(3), "{err}");
    assert!(err.contains("help: "), "{err}");
    assert!(!err.contains("DispatchFailure"), "{err}");
    assert!(!err.contains("ConnectorError {"), "{err}");
}
