//! `cargo build` of a backend crate, for real: synthesis writes the folder, a second
//! build is fresh and byte-identical, exactly the inputs read trigger a re-run, and bad
//! input fails with the file named.

use std::fs;

use amplify_tests::{exclusive, snapshot, ScratchCrate};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Whether this `cargo build -v` ran the example's build script.
fn ran_build_script(out: &std::process::Output) -> bool {
    stderr(out).lines().any(|l| {
        l.contains("Running") && l.contains("blog-example-") && l.contains("build-script-build")
    })
}

#[test]
fn second_build_is_fresh_and_only_read_inputs_trigger_synthesis() {
    let _serial = exclusive();
    let krate = ScratchCrate::blog();
    let first = krate.cargo(&["build", "-v"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        ran_build_script(&first),
        "first build runs the build script"
    );
    let amplify = krate.path().join("amplify");
    for file in [
        "backend/backend-config.json",
        "backend/awscloudformation/build/root-cloudformation-stack.json",
        "backend/auth/BlogAuth/build/BlogAuth-cloudformation-template.json",
        "backend/api/BlogApi/build/cloudformation-template.json",
        "backend/function/PostsFn/PostsFn-cloudformation-template.json",
        "backend/storage/PostTable/build/PostTable-cloudformation-template.json",
        "backend/storage/Photos/build/cloudformation-template.json",
        ".config/project-config.json",
        "backend/tags.json",
    ] {
        assert!(amplify.join(file).is_file(), "{file} was not written");
    }
    assert!(fs::read_to_string(krate.path().join(".gitignore"))
        .unwrap()
        .contains("#amplify-do-not-edit-begin"));
    let before = snapshot(&amplify);

    let second = krate.cargo(&["build", "-v"]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        !ran_build_script(&second),
        "second build re-ran the build script:\n{}",
        stderr(&second)
    );
    assert!(
        stderr(&second).contains("Fresh blog-example"),
        "{}",
        stderr(&second)
    );
    assert_eq!(
        snapshot(&amplify),
        before,
        "a second build changed bytes under amplify/"
    );

    // A file the build script never read does not wake it up…
    fs::write(krate.path().join("NOTES.md"), "unrelated\n").unwrap();
    let unrelated = krate.cargo(&["build", "-v"]);
    assert!(!ran_build_script(&unrelated), "{}", stderr(&unrelated));

    // …but the schema it read does, and the change reaches the synthesised files.
    let schema = krate.path().join("schema.graphql");
    let text = fs::read_to_string(&schema).unwrap();
    fs::write(
        &schema,
        text.replace("author: String", "author: String\n  tags: [String]"),
    )
    .unwrap();
    let third = krate.cargo(&["build", "-v"]);
    assert!(third.status.success(), "{}", stderr(&third));
    assert!(
        ran_build_script(&third),
        "editing the schema must re-run synthesis"
    );
    let synthesized =
        fs::read_to_string(amplify.join("backend/api/BlogApi/build/schema.graphql")).unwrap();
    assert!(synthesized.contains("tags: [String]"));
    assert_ne!(snapshot(&amplify), before);

    // `git clean` of the synthesised folder: the next build writes it again, then is
    // fresh.
    let synthesized = snapshot(&amplify.join("backend"));
    fs::remove_dir_all(amplify.join("backend")).unwrap();
    let restored = krate.cargo(&["build", "-v"]);
    assert!(ran_build_script(&restored), "{}", stderr(&restored));
    assert_eq!(snapshot(&amplify.join("backend")), synthesized);
    let fresh = krate.cargo(&["build", "-v"]);
    assert!(!ran_build_script(&fresh), "{}", stderr(&fresh));
}

#[test]
fn corrupt_json_under_amplify_fails_the_build_naming_file_and_line() {
    let _serial = exclusive();
    let krate = ScratchCrate::blog();
    let config = krate.path().join("amplify/.config/project-config.json");
    fs::create_dir_all(config.parent().unwrap()).unwrap();
    let corrupt = "{\n  \"projectName\": \"blog\",\n  \"frontend\": rust\n}\n";
    fs::write(&config, corrupt).unwrap();
    let out = krate.cargo(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("project-config.json` line 3"), "{err}");
    assert_eq!(
        fs::read_to_string(&config).unwrap(),
        corrupt,
        "the user's file is untouched"
    );
    assert!(
        !krate
            .path()
            .join("amplify/backend/backend-config.json")
            .exists(),
        "nothing half-written"
    );
}

#[test]
fn missing_schema_is_a_compile_error_naming_the_path() {
    let _serial = exclusive();
    let krate = ScratchCrate::blog();
    fs::remove_file(krate.path().join("schema.graphql")).unwrap();
    let out = krate.cargo(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("cannot read GraphQL schema `schema.graphql`"),
        "{err}"
    );
    assert!(
        err.contains("src/cloud.rs"),
        "the error points at the declaration: {err}"
    );
    assert!(!krate
        .path()
        .join("amplify/backend/backend-config.json")
        .exists());
}

/// A crate whose backend has one Node.js 22 function, AWS deprecating it on 2027-04-30.
fn node22_crate() -> ScratchCrate {
    ScratchCrate::custom(
        "node-dates",
        &[
            (
                "build.rs",
                "fn main() {\n    amplify_build::synthesize().expect(\"amplify backend synthesis\");\n}\n",
            ),
            (
                "src/main.rs",
                "#[amplify::backend]\nmod backend {\n    #[function(runtime = node(version = 22, code = \"fn\"))]\n    pub struct Greeter;\n}\n\nfn main() {}\n",
            ),
            ("fn/index.js", "exports.handler = async () => 'hi';\n"),
        ],
        "",
    )
}

#[test]
fn a_runtime_deprecated_on_the_build_date_is_one_error_at_its_version() {
    let _serial = exclusive();
    let krate = node22_crate();
    // 2027-05-01: the day after Node.js 22's deprecation.
    let late = krate.cargo_with(&["build"], &[("SOURCE_DATE_EPOCH", "1809129600")]);
    assert!(!late.status.success());
    let err = stderr(&late);
    assert_eq!(
        err.matches("Node.js 22 was deprecated by AWS Lambda on 2027-04-30; use one of 24 (24 is the newest)").count(),
        1,
        "one error: {err}"
    );
    assert!(
        err.contains("src/main.rs:3:31"),
        "the error points at the version: {err}"
    );
    assert!(
        err.contains("amplify/ left unchanged until the 1 error(s) the compiler reports"),
        "{err}"
    );
    assert!(!krate
        .path()
        .join("amplify/backend/backend-config.json")
        .exists());

    // 2026-12-01: the same declaration builds, and a changed date re-runs the check.
    let early = krate.cargo_with(&["build"], &[("SOURCE_DATE_EPOCH", "1796083200")]);
    assert!(early.status.success(), "{}", stderr(&early));
    let template = fs::read_to_string(
        krate
            .path()
            .join("amplify/backend/function/Greeter/Greeter-cloudformation-template.json"),
    )
    .unwrap();
    assert!(template.contains("nodejs22.x"), "{template}");
}

#[test]
fn packaged_source_tree_is_left_alone_and_synthesis_goes_to_out_dir() {
    let _serial = exclusive();
    let krate = ScratchCrate::blog();
    // What `cargo package` and registry downloads leave beside Cargo.toml.
    fs::write(krate.path().join(".cargo_vcs_info.json"), "{}").unwrap();
    let out = krate.cargo(&["build", "-vv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !krate.path().join("amplify").exists(),
        "the source tree was written"
    );
    let err = stderr(&out);
    assert!(err.contains("source tree is read-only"), "{err}");
    let mentioned = err
        .lines()
        .find(|l| l.contains("wrote the amplify/ folder under"))
        .and_then(|l| l.split("wrote the amplify/ folder under ").nth(1))
        .map(|p| std::path::PathBuf::from(p.trim().trim_end_matches(" instead")))
        .expect("warning names the folder");
    assert!(mentioned
        .join("amplify/backend/backend-config.json")
        .is_file());
}

fn run_app(
    krate: &ScratchCrate,
    outputs_override: Option<&std::path::Path>,
) -> std::process::Output {
    let bin = amplify_tests::workspace_root().join("target/scratch-builds/debug/blog-example");
    let mut cmd = std::process::Command::new(bin);
    cmd.arg("config")
        .current_dir(krate.path())
        .env_remove("AMPLIFY_OUTPUTS");
    if let Some(path) = outputs_override {
        cmd.env("AMPLIFY_OUTPUTS", path);
    }
    cmd.output().unwrap()
}

fn outputs_file(project: &str, table: Option<&str>) -> String {
    let table = table
        .map(|t| format!(r#", "storage": {{"PostTable": {{"Name": "{t}", "Arn": "arn:aws:dynamodb:us-east-1:1:table/{t}"}}, "Photos": {{"BucketName": "photos-bucket", "Region": "us-east-1"}}}}"#))
        .unwrap_or_default();
    format!(
        r#"{{"version": "1.4", "custom": {{"amplify_rs": {{"project": "{project}", "environment": "dev", "resources": {{
            "auth": {{"BlogAuth": {{"UserPoolId": "us-east-1_pool", "AppClientIDWeb": "webclient", "AppClientID": "nativeclient", "IdentityPoolId": "us-east-1:ids"}}}},
            "api": {{"BlogApi": {{"GraphQLAPIEndpointOutput": "https://api.example/graphql", "GraphQLAPIKeyOutput": "da2-key", "GraphQLAPIIdOutput": "apiid"}}}},
            "function": {{"PostsFn": {{"Name": "PostsFn-dev", "Arn": "arn:fn"}}}}{table}
        }}}}}}}}"#
    )
}

#[test]
fn pushed_outputs_reach_the_typed_config_and_only_they_rerun_synthesis() {
    let _serial = exclusive();
    let krate = ScratchCrate::blog();
    let first = krate.cargo(&["build", "-v"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = run_app(&krate, None);
    assert_eq!(before.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&before.stderr)
        .contains("`BlogAuth` is not deployed yet: run `cargo amplify push`"));

    // What `cargo amplify push` does to the file: the next build re-runs the script and
    // the app sees the new values.
    fs::write(
        krate.path().join("amplify_outputs.json"),
        outputs_file("blogexample", Some("PostTable-dev")),
    )
    .unwrap();
    let rebuilt = krate.cargo(&["build", "-v"]);
    assert!(
        ran_build_script(&rebuilt),
        "a changed outputs file must re-run the build script"
    );
    let after = run_app(&krate, None);
    let stdout = String::from_utf8_lossy(&after.stdout);
    assert!(
        after.status.success(),
        "{}",
        String::from_utf8_lossy(&after.stderr)
    );
    assert!(
        stdout.contains("user pool        us-east-1_pool"),
        "{stdout}"
    );
    assert!(
        stdout.contains("graphql endpoint https://api.example/graphql"),
        "{stdout}"
    );
    assert!(
        stdout.contains("posts table      PostTable-dev"),
        "{stdout}"
    );
    assert!(
        stdout.contains("photos bucket    photos-bucket"),
        "{stdout}"
    );
    let again = krate.cargo(&["build", "-v"]);
    assert!(!ran_build_script(&again), "{}", stderr(&again));

    // One binary, another environment's file at run time.
    let other_env = krate.path().join("prod_outputs.json");
    fs::write(
        &other_env,
        outputs_file("blogexample", Some("PostTable-prod")),
    )
    .unwrap();
    let prod = run_app(&krate, Some(&other_env));
    assert!(String::from_utf8_lossy(&prod.stdout).contains("posts table      PostTable-prod"));

    // Someone else's project, and stale outputs, are errors that name the file.
    let foreign = krate.path().join("foreign.json");
    fs::write(&foreign, outputs_file("shop", Some("Orders"))).unwrap();
    let wrong = run_app(&krate, Some(&foreign));
    assert_eq!(wrong.status.code(), Some(2));
    let err = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        err.contains("foreign.json` belongs to project `shop`") && err.contains("`blogexample`"),
        "{err}"
    );
    let stale = krate.path().join("stale.json");
    fs::write(&stale, outputs_file("blogexample", None)).unwrap();
    let err = run_app(&krate, Some(&stale));
    let err = String::from_utf8_lossy(&err.stderr);
    assert!(
        err.contains("`PostTable` is declared but")
            && err.contains("stale.json` has no outputs for it"),
        "{err}"
    );
}

#[test]
fn an_app_that_reads_config_builds_without_the_aws_sdk() {
    // examples/jobs reads its configuration and nothing else.
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "jobs-example",
            "-e",
            "normal,build",
            "--prefix",
            "none",
            "--offline",
        ])
        .current_dir(amplify_tests::workspace_root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.contains("amplify-runtime"), "{tree}");
    for heavy in ["aws-sdk-", "aws-config", "tokio ", "hyper "] {
        assert!(
            !tree.contains(heavy),
            "jobs-example depends on {heavy}:\n{tree}"
        );
    }
}
