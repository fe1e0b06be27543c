//! `cargo amplify` against a real local AWS emulator (MiniStack, installed by
//! `scripts/setup-emulator.sh`) on a free loopback port: init, push, no-op push,
//! one-resource change, failing change, concurrent push, delete.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// A MiniStack process on a free port, killed on drop.
struct Emulator {
    child: Child,
    url: String,
}

impl Emulator {
    fn start() -> Emulator {
        let python = repo().join("target/tools/ministack/bin/python");
        assert!(
            python.exists(),
            "MiniStack is missing: run `bash scripts/setup-emulator.sh` (scripts/test.sh does)"
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log =
            fs::File::create(std::env::temp_dir().join(format!("ministack-{port}.log"))).unwrap();
        let child = Command::new(python)
            .arg(repo().join("scripts/ministack_launcher.py"))
            .env("GATEWAY_PORT", port.to_string())
            .env("BIND_HOST", "127.0.0.1")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        // Owned by the guard from here on, so it is killed and reaped on every path.
        let emulator = Emulator {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if http_get(port, "/_ministack/health").is_some_and(|b| b.contains("available")) {
                return emulator;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("MiniStack did not start on port {port}");
    }

    fn port(&self) -> u16 {
        self.url.rsplit(':').next().unwrap().parse().unwrap()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // It keeps its state in memory: SIGKILL loses nothing worth keeping.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn http_get(port: u16, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

/// A scratch workspace with the blog example and its function crate.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn blog() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let root = repo();
        copy(&root.join("examples/blog"), &dir.path().join("blog"));
        copy(
            &root.join("examples/blog-posts-fn"),
            &dir.path().join("blog-posts-fn"),
        );
        fs::write(
            dir.path().join("Cargo.toml"),
            format!(
                "[workspace]\nresolver = \"2\"\nmembers = [\"blog\", \"blog-posts-fn\"]\n\n[workspace.package]\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.95\"\nlicense = \"Apache-2.0\"\n\n[workspace.dependencies]\namplify-build = {{ path = \"{}\" }}\nserde_json = \"1\"\n",
                root.join("amplify-build").display()
            ),
        )
        .unwrap();
        let manifest = dir.path().join("blog/Cargo.toml");
        let text = fs::read_to_string(&manifest).unwrap();
        fs::write(
            &manifest,
            text.replace(
                "../../amplify-runtime",
                &root.join("amplify-runtime").display().to_string(),
            ),
        )
        .unwrap();
        fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
        Scratch { dir }
    }

    fn crate_dir(&self) -> PathBuf {
        self.dir.path().join("blog")
    }

    fn amplify(&self, emulator: &Emulator, args: &[&str]) -> Output {
        self.amplify_with(emulator, args, &[])
    }

    fn amplify_with(&self, emulator: &Emulator, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.command(args);
        cmd.env("AWS_ENDPOINT_URL", &emulator.url);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cargo-amplify"));
        cmd.arg("amplify")
            .args(args)
            .current_dir(self.crate_dir())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("CARGO_TARGET_DIR", repo().join("target/scratch-builds"))
            .env_remove("AWS_PROFILE")
            .stdin(Stdio::null());
        cmd
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.crate_dir().join(rel)).unwrap_or_default()
    }

    fn json(&self, rel: &str) -> Value {
        serde_json::from_str(&self.read(rel)).unwrap()
    }

    /// Bytes of every local state file, to prove a failure changed nothing.
    fn state_snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for rel in [
            "amplify/team-provider-info.json",
            "amplify/backend/amplify-meta.json",
        ] {
            out.push((
                rel.to_owned(),
                fs::read(self.crate_dir().join(rel)).unwrap_or_default(),
            ));
        }
        let ccb = self.crate_dir().join("amplify/#current-cloud-backend");
        let mut stack = vec![ccb.clone()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push((
                        p.strip_prefix(&ccb).unwrap().display().to_string(),
                        fs::read(&p).unwrap(),
                    ));
                }
            }
        }
        out.sort();
        out
    }
}

fn copy(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let name = e.file_name();
        if ["target", "amplify", ".gitignore", "amplify_outputs.json"]
            .iter()
            .any(|n| name == *n)
        {
            continue;
        }
        if e.path().is_dir() {
            copy(&e.path(), &to.join(&name));
        } else {
            fs::copy(e.path(), to.join(&name)).unwrap();
        }
    }
}

fn ok(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "cargo amplify failed ({:?}):\n{stderr}",
        out.status.code()
    );
    stderr
}

fn push_json(scratch: &Scratch, emulator: &Emulator) -> Value {
    let out = scratch.amplify(emulator, &["push", "--yes", "--json"]);
    ok(&out);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (logical id, status, outputs) of one nested stack.
type NestedStack = (String, String, Vec<(String, String)>);

/// Our own view of the emulator, through the SDK, to check what the CLI claims.
struct Cloud {
    cfn: aws_sdk_cloudformation::Client,
    s3: aws_sdk_s3::Client,
    rt: tokio::runtime::Runtime,
}

impl Cloud {
    fn new(emulator: &Emulator) -> Cloud {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let sdk = rt.block_on(
            aws_config::defaults(aws_config::BehaviorVersion::latest())
                .http_client(http)
                .region(aws_config::Region::new("us-east-1"))
                .endpoint_url(&emulator.url)
                .credentials_provider(aws_sdk_s3::config::Credentials::new(
                    "testing", "testing", None, None, "test",
                ))
                .load(),
        );
        Cloud {
            cfn: aws_sdk_cloudformation::Client::new(&sdk),
            s3: aws_sdk_s3::Client::from_conf(
                aws_sdk_s3::config::Builder::from(&sdk)
                    .force_path_style(true)
                    .build(),
            ),
            rt,
        }
    }

    fn stack(&self, name: &str) -> Option<aws_sdk_cloudformation::types::Stack> {
        self.rt
            .block_on(self.cfn.describe_stacks().stack_name(name).send())
            .ok()
            .and_then(|o| o.stacks().first().cloned())
    }

    /// Logical id, status and outputs of every nested stack.
    fn nested(&self, root: &str) -> Vec<NestedStack> {
        let resources = self
            .rt
            .block_on(self.cfn.list_stack_resources().stack_name(root).send())
            .unwrap();
        resources
            .stack_resource_summaries()
            .iter()
            .filter(|r| r.resource_type() == Some("AWS::CloudFormation::Stack"))
            .map(|r| {
                let s = self.stack(r.physical_resource_id().unwrap()).unwrap();
                let outputs = s
                    .outputs()
                    .iter()
                    .map(|o| {
                        (
                            o.output_key().unwrap().to_owned(),
                            o.output_value().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect();
                (
                    r.logical_resource_id().unwrap().to_owned(),
                    s.stack_status().unwrap().as_str().to_owned(),
                    outputs,
                )
            })
            .collect()
    }

    /// Number of resource events inside a nested stack so far.
    fn nested_event_count(&self, root: &str, logical: &str) -> usize {
        let resources = self
            .rt
            .block_on(self.cfn.list_stack_resources().stack_name(root).send())
            .unwrap();
        let physical = resources
            .stack_resource_summaries()
            .iter()
            .find(|r| r.logical_resource_id() == Some(logical))
            .and_then(|r| r.physical_resource_id())
            .unwrap()
            .to_owned();
        let events = self
            .rt
            .block_on(
                self.cfn
                    .describe_stack_events()
                    .stack_name(&physical)
                    .send(),
            )
            .unwrap();
        events
            .stack_events()
            .iter()
            .filter(|e| e.resource_type() != Some("AWS::CloudFormation::Stack"))
            .count()
    }

    fn object_exists(&self, bucket: &str, key: &str) -> bool {
        self.rt
            .block_on(self.s3.head_object().bucket(bucket).key(key).send())
            .is_ok()
    }

    fn bucket_exists(&self, bucket: &str) -> bool {
        self.rt
            .block_on(self.s3.head_bucket().bucket(bucket).send())
            .is_ok()
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

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
    assert_eq!(
        cloud
            .stack(&stack)
            .unwrap()
            .stack_status()
            .unwrap()
            .as_str(),
        "CREATE_COMPLETE"
    );
    assert!(cloud.bucket_exists(&bucket));

    // push: everything deployed, outputs recorded.
    let first = push_json(&scratch, &emulator);
    assert_eq!(first["deployed"], true);
    assert_eq!(
        cloud
            .stack(&stack)
            .unwrap()
            .stack_status()
            .unwrap()
            .as_str(),
        "UPDATE_COMPLETE"
    );
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
    let app = Command::new(env!("CARGO"))
        .args(["run", "-q", "-p", "blog-example"])
        .current_dir(scratch.crate_dir())
        .env("CARGO_TARGET_DIR", repo().join("target/scratch-builds"))
        .env_remove("AMPLIFY_OUTPUTS")
        .output()
        .unwrap();
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

    // A push with nothing changed: decided locally, no AWS call at all.
    let again = push_json(&scratch, &emulator);
    assert_eq!(again["deployed"], false);
    assert_eq!(again["uploaded"].as_array().unwrap().len(), 0);
    assert_eq!(again["apiCalls"].as_array().unwrap().len(), 0, "{again}");
    let status = scratch.amplify(&emulator, &["status", "--json"]);
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert!(
        status["resources"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["operation"] == "No Change"),
        "{status}"
    );

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
    let failed = scratch.amplify(&emulator, &["push", "--yes"]);
    assert_eq!(failed.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("Root cause:"), "{stderr}");
    assert!(
        stderr.contains("storagePostTable › DynamoDBTable (AWS::DynamoDB::Table) UPDATE_FAILED"),
        "{stderr}"
    );
    assert!(stderr.contains("requires replacing"), "{stderr}");
    assert!(
        !stderr.contains("stackUpdateComplete"),
        "the waiter's message is not the error"
    );
    assert_eq!(
        scratch.state_snapshot(),
        snapshot,
        "a failed push changed local state"
    );
    assert!(cloud
        .stack(&stack)
        .unwrap()
        .stack_status()
        .unwrap()
        .as_str()
        .ends_with("ROLLBACK_COMPLETE"));
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
}

fn tpi_after(scratch: &Scratch) -> Value {
    scratch.json("amplify/team-provider-info.json")
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
    let lock = scratch
        .crate_dir()
        .join("amplify/.config/local-push-dev.lock");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !lock.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(lock.exists(), "the first push never took the lock");
    let second = scratch.amplify(&emulator, &["push", "--yes"]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(5), "{stderr}");
    assert!(
        stderr.contains("another push of environment `dev` is running"),
        "{stderr}"
    );
    assert!(
        first.wait().unwrap().success(),
        "the first push still completes"
    );
    assert!(!lock.exists(), "the lock is released");
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
    assert_eq!(
        cloud
            .stack(&stack)
            .unwrap()
            .stack_status()
            .unwrap()
            .as_str(),
        "UPDATE_COMPLETE"
    );
    assert_eq!(cloud.nested(&stack).len(), 5);
}

#[test]
fn client_files_load_in_the_real_aws_amplify_library() {
    let checker = repo().join("tests/js-config");
    assert!(
        checker.join("node_modules/aws-amplify").is_dir(),
        "aws-amplify is missing: run `bash scripts/setup-node-tools.sh` (scripts/test.sh does)"
    );
    let emulator = Emulator::start();
    let scratch = Scratch::blog();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    push_json(&scratch, &emulator);
    let meta = scratch.json("amplify/backend/amplify-meta.json");
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    for format in ["aws-exports", "amplify-outputs", "awsconfiguration"] {
        ok(&scratch.amplify(
            &emulator,
            &["generate", "outputs", "--format", format, "--out-dir", dir],
        ));
    }
    // A key the user added by hand survives regeneration.
    let exports_path = out.path().join("aws-exports.js");
    let exports = fs::read_to_string(&exports_path).unwrap();
    fs::write(
        &exports_path,
        exports.replacen("{\n", "{\n    \"my_feature_flag\": \"on\",\n", 1),
    )
    .unwrap();
    ok(&scratch.amplify(
        &emulator,
        &[
            "generate",
            "outputs",
            "--format",
            "aws-exports",
            "--out-dir",
            dir,
        ],
    ));
    assert!(fs::read_to_string(&exports_path)
        .unwrap()
        .contains("\"my_feature_flag\": \"on\""));

    let node = Command::new("node")
        .arg(checker.join("check.mjs"))
        .arg(&exports_path)
        .arg(out.path().join("amplify_outputs.json"))
        .current_dir(&checker)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&node.stdout);
    assert!(
        node.status.success(),
        "aws-amplify rejected a file: {stdout}{}",
        String::from_utf8_lossy(&node.stderr)
    );
    let parsed: Value = serde_json::from_str(&stdout).unwrap();
    let auth = &meta["auth"]["BlogAuth"]["output"];
    let api = &meta["api"]["BlogApi"]["output"];
    let bucket = &meta["storage"]["Photos"]["output"];
    for file in ["aws-exports.js", "amplify_outputs.json"] {
        let c = &parsed[file];
        assert_eq!(
            c["Auth"]["Cognito"]["userPoolId"], auth["UserPoolId"],
            "{file}: {c}"
        );
        assert_eq!(
            c["Auth"]["Cognito"]["userPoolClientId"], auth["AppClientIDWeb"],
            "{file}"
        );
        assert_eq!(
            c["Auth"]["Cognito"]["identityPoolId"], auth["IdentityPoolId"],
            "{file}"
        );
        assert_eq!(c["Auth"]["Cognito"]["loginWith"]["email"], true, "{file}");
        assert_eq!(
            c["API"]["GraphQL"]["endpoint"], api["GraphQLAPIEndpointOutput"],
            "{file}"
        );
        assert_eq!(
            c["API"]["GraphQL"]["apiKey"], api["GraphQLAPIKeyOutput"],
            "{file}"
        );
        assert_eq!(c["API"]["GraphQL"]["defaultAuthMode"], "apiKey", "{file}");
        assert_eq!(c["API"]["GraphQL"]["region"], "us-east-1", "{file}");
        assert_eq!(c["Storage"]["S3"]["bucket"], bucket["BucketName"], "{file}");
        assert_eq!(c["Storage"]["S3"]["region"], "us-east-1", "{file}");
    }

    // awsconfiguration.json, field by field against the native clients' shape.
    let native: Value = serde_json::from_str(
        &fs::read_to_string(out.path().join("awsconfiguration.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(native["UserAgent"], "aws-amplify-cli/0.1.0");
    assert_eq!(native["Version"], "0.1.0");
    assert_eq!(native["IdentityManager"]["Default"], serde_json::json!({}));
    assert_eq!(
        native["CredentialsProvider"]["CognitoIdentity"]["Default"]["PoolId"],
        auth["IdentityPoolId"]
    );
    assert_eq!(
        native["CredentialsProvider"]["CognitoIdentity"]["Default"]["Region"],
        "us-east-1"
    );
    assert_eq!(
        native["CognitoUserPool"]["Default"]["PoolId"],
        auth["UserPoolId"]
    );
    assert_eq!(
        native["CognitoUserPool"]["Default"]["AppClientId"], auth["AppClientID"],
        "native clients use AppClientID"
    );
    assert_ne!(
        native["CognitoUserPool"]["Default"]["AppClientId"],
        auth["AppClientIDWeb"]
    );
    assert_eq!(native["CognitoUserPool"]["Default"]["Region"], "us-east-1");
    assert_eq!(
        native["Auth"]["Default"]["authenticationFlowType"],
        "USER_SRP_AUTH"
    );
    assert_eq!(
        native["AppSync"]["Default"]["ApiUrl"],
        api["GraphQLAPIEndpointOutput"]
    );
    assert_eq!(native["AppSync"]["Default"]["AuthMode"], "API_KEY");
    assert_eq!(
        native["AppSync"]["Default"]["ApiKey"],
        api["GraphQLAPIKeyOutput"]
    );
    assert_eq!(
        native["AppSync"]["Default"]["ClientDatabasePrefix"],
        "BlogApi_API_KEY"
    );
    assert_eq!(
        native["AppSync"]["BlogApi_AMAZON_COGNITO_USER_POOLS"]["AuthMode"],
        "AMAZON_COGNITO_USER_POOLS"
    );
    assert_eq!(
        native["S3TransferUtility"]["Default"]["Bucket"],
        bucket["BucketName"]
    );
    assert_eq!(
        native["S3TransferUtility"]["Default"]["Region"],
        "us-east-1"
    );
}

#[test]
fn imported_resources_and_cdk_outputs_reach_the_typed_config() {
    let emulator = Emulator::start();
    let cloud = Cloud::new(&emulator);
    let scratch = Scratch::blog();
    let cloud_rs = scratch.crate_dir().join("src/cloud.rs");
    edit(
        &cloud_rs,
        "grant(PostTable = [read, write]),",
        "grant(PostTable = [read, write], Orders = [read]),",
    );
    edit(
        &cloud_rs,
        "    pub struct Photos;\n",
        "    pub struct Photos;\n\n    /// Orders live in a table created before this backend.\n    #[table(import(name = \"LegacyOrders\"))]\n    pub struct Orders;\n",
    );
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    push_json(&scratch, &emulator);
    let stack = scratch.json("amplify/team-provider-info.json")["dev"]["awscloudformation"]
        ["StackName"]
        .as_str()
        .unwrap()
        .to_owned();

    // No stack for the imported table; its name reaches the function's parameters.
    let nested = cloud.nested(&stack);
    assert!(
        !nested.iter().any(|(l, _, _)| l == "storageOrders"),
        "an imported table got a stack"
    );
    let resources = cloud
        .rt
        .block_on(cloud.cfn.list_stack_resources().stack_name(&stack).send())
        .unwrap();
    let function_stack = resources
        .stack_resource_summaries()
        .iter()
        .find(|r| r.logical_resource_id() == Some("functionPostsFn"))
        .and_then(|r| r.physical_resource_id())
        .unwrap()
        .to_owned();
    let parameters: Vec<(String, String)> = cloud
        .stack(&function_stack)
        .unwrap()
        .parameters()
        .iter()
        .map(|p| {
            (
                p.parameter_key().unwrap().to_owned(),
                p.parameter_value().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(
        parameters.contains(&("storageOrdersName".into(), "LegacyOrders".into())),
        "{parameters:?}"
    );

    // The outputs of a CDK app, in the shape `cdk deploy --outputs-file` writes.
    let cdk_file = scratch.dir.path().join("cdk-outputs.json");
    fs::write(
        &cdk_file,
        r#"{"CdkBackendStack": {"aws_appsync_graphqlEndpoint": "https://cdk.example/graphql", "aws_appsync_apiKey": "da2-cdkkey", "PostTableName": "cdk-posts"}}"#,
    )
    .unwrap();
    ok(&scratch.amplify(
        &emulator,
        &["config", "import-cdk-outputs", cdk_file.to_str().unwrap()],
    ));

    let outputs =
        amplify_runtime::Outputs::from_path(scratch.crate_dir().join("amplify_outputs.json"))
            .unwrap();
    assert_eq!(
        outputs.output("storage", "Orders", "Name", "f").unwrap(),
        "LegacyOrders"
    );
    let arn = outputs.output("storage", "Orders", "Arn", "f").unwrap();
    assert_eq!(
        arn,
        "arn:aws:dynamodb:us-east-1:000000000000:table/LegacyOrders"
    );
    assert_eq!(
        outputs.cdk_output("CdkBackendStack", "aws_appsync_apiKey"),
        Some("da2-cdkkey")
    );
    assert_eq!(
        outputs.cdk_output("CdkBackendStack", "PostTableName"),
        Some("cdk-posts")
    );
    // Deployed resources are still there beside them.
    assert!(outputs
        .output("storage", "PostTable", "Name", "f")
        .unwrap()
        .starts_with("PostTable-"));

    // A file that is not a CDK outputs file is refused, naming it, and changes nothing.
    let before = fs::read(scratch.crate_dir().join("amplify_outputs.json")).unwrap();
    let bad = scratch.dir.path().join("not-cdk.json");
    fs::write(&bad, r#"{"CdkBackendStack": ["not", "outputs"]}"#).unwrap();
    let refused = scratch.amplify(
        &emulator,
        &["config", "import-cdk-outputs", bad.to_str().unwrap()],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr)
        .contains("not-cdk.json` is not a CDK outputs file"));
    assert_eq!(
        fs::read(scratch.crate_dir().join("amplify_outputs.json")).unwrap(),
        before
    );
}

/// `cdk synth` of the test CDK app over an export folder, offline; returns the stack
/// name and the nested templates it produced.
fn cdk_synth(export: &Path, env: &str, functions: &str) -> (String, usize) {
    let app = repo().join("tests/cdk-export");
    assert!(
        app.join("node_modules/@aws-amplify/cdk-exported-backend").is_dir(),
        "the CDK app's packages are missing: run `bash scripts/setup-node-tools.sh` (scripts/test.sh does)"
    );
    let out = tempfile::tempdir().unwrap();
    let synth = Command::new(app.join("node_modules/.bin/cdk"))
        .args([
            "synth",
            "--no-notices",
            "--no-version-reporting",
            "-q",
            "-o",
        ])
        .arg(out.path())
        .current_dir(&app)
        .env("EXPORT_PATH", export)
        .env("AMPLIFY_ENV", env)
        .env("FUNCTIONS", functions)
        .env("CDK_DEFAULT_ACCOUNT", "123456789012")
        .env("CDK_DEFAULT_REGION", "us-east-1")
        .env("CDK_DISABLE_CLI_TELEMETRY", "true")
        .output()
        .unwrap();
    assert!(
        synth.status.success(),
        "cdk synth failed:\n{}{}",
        String::from_utf8_lossy(&synth.stdout),
        String::from_utf8_lossy(&synth.stderr)
    );
    let manifest: Value =
        serde_json::from_str(&fs::read_to_string(out.path().join("manifest.json")).unwrap())
            .unwrap();
    let stack_name = manifest["artifacts"]
        .as_object()
        .unwrap()
        .values()
        .find_map(|a| a["properties"]["stackName"].as_str())
        .unwrap()
        .to_owned();
    let nested = fs::read_dir(out.path())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .ends_with(".nested.template.json")
        })
        .count();
    (stack_name, nested)
}

#[test]
fn export_is_included_by_the_real_cdk_construct_for_two_environments() {
    let emulator = Emulator::start();
    let scratch = Scratch::blog();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().to_str().unwrap();
    ok(&scratch.amplify(&emulator, &["export", "--out", out_dir]));
    let folder = out.path().join("amplify-export-blogexample");

    let manifest: Value = serde_json::from_str(
        &fs::read_to_string(folder.join("amplify-export-manifest.json")).unwrap(),
    )
    .unwrap();
    let stack = manifest["stackName"].as_str().unwrap().to_owned();
    assert!(stack.starts_with("amplify-blogexample-dev-"), "{stack}");
    let root_params = &manifest["props"]["parameters"];
    assert_eq!(
        root_params["DeploymentBucketName"],
        format!("{stack}-deployment")
    );
    assert_eq!(root_params["AuthRoleName"], format!("{stack}-authRole"));
    assert_eq!(root_params["UnauthRoleName"], format!("{stack}-unauthRole"));
    let nested = manifest["props"]["loadNestedStacks"].as_object().unwrap();
    assert_eq!(nested.len(), 5);
    for (logical, node) in nested {
        assert_eq!(node["loadNestedStacks"], serde_json::json!({}), "{logical}");
        assert_eq!(node["preserveLogicalIds"], true);
        let template_file = node["templateFile"].as_str().unwrap();
        assert!(folder.join(template_file).is_file(), "{template_file}");
        // Every manifest parameter is one the template declares.
        let template: Value =
            serde_json::from_str(&fs::read_to_string(folder.join(template_file)).unwrap()).unwrap();
        for key in node["parameters"].as_object().unwrap().keys() {
            assert!(
                template["Parameters"].get(key).is_some(),
                "{logical}: `{key}` is not a parameter of {template_file}"
            );
        }
    }
    let mapping: Value = serde_json::from_str(
        &fs::read_to_string(folder.join("category-stack-mapping.json")).unwrap(),
    )
    .unwrap();
    assert!(mapping.as_array().unwrap().contains(
        &serde_json::json!({"category": "function", "resourceName": "PostsFn", "service": "Lambda"})
    ));
    let tags = fs::read_to_string(folder.join("export-tags.json")).unwrap();
    assert!(
        tags.contains("\"key\": \"user:Stack\"")
            && tags.contains("{project-env}")
            && tags.contains("blogexample"),
        "{tags}"
    );
    let root: Value =
        serde_json::from_str(&fs::read_to_string(folder.join("root-stack-template.json")).unwrap())
            .unwrap();
    assert!(!serde_json::to_string(&root)
        .unwrap()
        .contains("TemplateURL"));
    let zips: Vec<_> = fs::read_dir(folder.join("function/PostsFn/amplify-builds"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(zips.len(), 1);
    assert!(zips[0].file_name().to_string_lossy().ends_with(".zip"));
    assert!(folder
        .join("api/BlogApi/amplify-appsync-files/schema.graphql")
        .is_file());

    // The exported templates pass cfn-lint; only the root's TemplateURL-less stacks (E3003).
    let mut templates = vec![folder.join("root-stack-template.json")];
    templates.extend(
        nested
            .values()
            .map(|n| folder.join(n["templateFile"].as_str().unwrap())),
    );
    let lint = Command::new(repo().join("target/tools/venv/bin/cfn-lint"))
        .arg("-f")
        .arg("json")
        .args(&templates)
        .output()
        .unwrap();
    let findings: Value = serde_json::from_slice(&lint.stdout).unwrap();
    for f in findings.as_array().unwrap() {
        assert_eq!(f["Rule"]["Id"], "E3003", "{f}");
        assert!(
            f["Filename"]
                .as_str()
                .unwrap()
                .ends_with("root-stack-template.json"),
            "{f}"
        );
    }

    // Re-running replaces the folder with the same bytes; a folder export did not write
    // is not replaced without --force.
    let first = fs::read(folder.join("amplify-export-manifest.json")).unwrap();
    let zip_name = zips[0].file_name();
    ok(&scratch.amplify(&emulator, &["export", "--out", out_dir]));
    assert_eq!(
        fs::read(folder.join("amplify-export-manifest.json")).unwrap(),
        first
    );
    assert!(
        folder
            .join("function/PostsFn/amplify-builds")
            .join(&zip_name)
            .is_file(),
        "zip bytes are reproducible"
    );
    let foreign = tempfile::tempdir().unwrap();
    fs::create_dir_all(foreign.path().join("amplify-export-blogexample")).unwrap();
    fs::write(
        foreign.path().join("amplify-export-blogexample/keep.txt"),
        "mine",
    )
    .unwrap();
    let refused = scratch.amplify(
        &emulator,
        &["export", "--out", foreign.path().to_str().unwrap()],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert!(foreign
        .path()
        .join("amplify-export-blogexample/keep.txt")
        .exists());

    // The real construct includes it; the environment it is given names the stack.
    let (dev, dev_nested) = cdk_synth(&folder, "dev", "PostsFn");
    let (prod, prod_nested) = cdk_synth(&folder, "prod", "PostsFn");
    assert_eq!(dev, stack);
    assert_eq!(prod, stack.replacen("-dev-", "-prod-", 1));
    assert_ne!(dev, prod);
    assert_eq!(dev_nested, 5);
    assert_eq!(prod_nested, 5);
}
