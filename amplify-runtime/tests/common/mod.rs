//! Shared by the emulator tests: a MiniStack process on a free loopback port, a scratch
//! copy of the blog example to run `cargo amplify` in, and an SDK view of the emulator to
//! check what the CLI claims. Each test binary uses a different part of it.
#![allow(dead_code)]

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod http;
pub use http::*;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Where `cargo amplify` installs its pinned tools (cargo-zigbuild) in tests: an ignored
/// folder of the repository, shared by every test.
pub fn tools_cache() -> PathBuf {
    repo().join("target/tools/amplify-rs-cache")
}

/// A MiniStack process on a free port, killed on drop.
pub struct Emulator {
    /// The process, when this test started it.
    child: Option<Child>,
    pub url: String,
}

impl Emulator {
    pub fn start() -> Emulator {
        Emulator::start_for_account("000000000000")
    }

    /// An emulator whose resources belong to `account` (MINISTACK_ACCOUNT_ID).
    pub fn start_for_account(account: &str) -> Emulator {
        Emulator::start_with(account, &[])
    }

    /// An emulator whose Node.js Lambda functions find the AWS SDK v3 packages, as
    /// Lambda's own Node.js runtimes carry them: MiniStack runs functions as local node
    /// processes, which find them through `NODE_PATH` — here the Amplify CLI's install
    /// (`tests/amplify-cli`, which has `@aws-sdk/client-*`).
    pub fn start_with_node_sdk() -> Emulator {
        let modules = repo().join("tests/amplify-cli/node_modules");
        assert!(
            modules.join("@aws-sdk").is_dir(),
            "the AWS SDK for Node.js is missing: run `bash scripts/setup-node-tools.sh`"
        );
        Emulator::start_with("000000000000", &[("NODE_PATH", modules.to_str().unwrap())])
    }

    /// An emulator for `account`, its process (and the functions it runs) given `env`.
    fn start_with(account: &str, env: &[(&str, &str)]) -> Emulator {
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
            .arg(repo().join("amplify-runtime/emulator/ministack_launcher.py"))
            .env("GATEWAY_PORT", port.to_string())
            .env("BIND_HOST", "127.0.0.1")
            .env("MINISTACK_ACCOUNT_ID", account)
            .envs(env.iter().copied())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        // Owned by the guard from here on, so it is killed and reaped on every path.
        let emulator = Emulator {
            child: Some(child),
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

    /// An emulator someone else started (and stops): not killed on drop.
    pub fn at(url: &str) -> Emulator {
        Emulator {
            child: None,
            url: url.to_owned(),
        }
    }

    pub fn port(&self) -> u16 {
        self.url.rsplit(':').next().unwrap().parse().unwrap()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // It keeps its state in memory: SIGKILL loses nothing worth keeping.
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A scratch workspace with an example app and the crates beside it that it uses.
pub struct Scratch {
    pub dir: tempfile::TempDir,
    /// The app's folder in the workspace.
    app: &'static str,
}

impl Scratch {
    /// The blog example and its function crate.
    pub fn blog() -> Scratch {
        Scratch::workspace("blog", &["blog", "blog-posts-fn"])
    }

    /// The jobs example and the third-party categories its build.rs registers.
    pub fn jobs() -> Scratch {
        Scratch::workspace("jobs", &["jobs", "queue-category", "seed-category"])
    }

    /// The storefront example (hosting).
    pub fn storefront() -> Scratch {
        Scratch::workspace("storefront", &["storefront"])
    }

    /// A new app crate `package` (its build.rs calls `amplify_build::synthesize`) with
    /// `files` (paths relative to the crate root), alone in a workspace.
    pub fn generated(package: &str, files: &[(&str, String)]) -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let root = repo();
        let app = dir.path().join("app");
        fs::create_dir_all(&app).unwrap();
        fs::write(
            dir.path().join("Cargo.toml"),
            "[workspace]\nresolver = \"2\"\nmembers = [\"app\"]\n",
        )
        .unwrap();
        fs::write(
            app.join("Cargo.toml"),
            format!(
                "[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\namplify = {{ package = \"amplify-runtime\", path = \"{}\" }}\n\n[build-dependencies]\namplify-build = {{ path = \"{}\" }}\n",
                root.join("amplify-runtime").display(),
                root.join("amplify-build").display()
            ),
        )
        .unwrap();
        fs::write(
            app.join("build.rs"),
            "fn main() {\n    amplify_build::synthesize().expect(\"amplify backend synthesis\");\n}\n",
        )
        .unwrap();
        for (path, text) in files {
            let path = app.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
        Scratch { dir, app: "app" }
    }

    /// A binary crate `package` as `cargo new` makes it (no dependencies, no build script),
    /// alone in a workspace: where `cargo amplify adopt` writes a Gen 1 project's crate.
    pub fn new_app(package: &str) -> Scratch {
        let scratch = Scratch::generated(package, &[("src/main.rs", "fn main() {}\n".to_owned())]);
        let app = scratch.crate_dir();
        fs::write(
            app.join("Cargo.toml"),
            format!("[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n"),
        )
        .unwrap();
        fs::remove_file(app.join("build.rs")).unwrap();
        scratch
    }

    /// `members` copied from `examples/`, in a workspace of their own whose path
    /// dependencies point back at this repository; the first member is the app.
    fn workspace(app: &'static str, members: &[&str]) -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let root = repo();
        for member in members {
            copy(
                &root.join("examples").join(member),
                &dir.path().join(member),
            );
        }
        let listed: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
        fs::write(
            dir.path().join("Cargo.toml"),
            format!(
                "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[workspace.package]\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.95\"\nlicense = \"Apache-2.0\"\n\n[workspace.dependencies]\namplify-build = {{ path = \"{}\" }}\nserde_json = \"1\"\n",
                listed.join(", "),
                root.join("amplify-build").display()
            ),
        )
        .unwrap();
        // Path dependencies on this repository's crates point back at it.
        for member in members {
            let manifest = dir.path().join(member).join("Cargo.toml");
            let text = fs::read_to_string(&manifest).unwrap();
            fs::write(
                &manifest,
                text.replace(
                    "../../amplify-runtime",
                    &root.join("amplify-runtime").display().to_string(),
                ),
            )
            .unwrap();
        }
        fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
        Scratch { dir, app }
    }

    pub fn crate_dir(&self) -> PathBuf {
        self.dir.path().join(self.app)
    }

    pub fn amplify(&self, emulator: &Emulator, args: &[&str]) -> Output {
        self.amplify_with(emulator, args, &[])
    }

    pub fn amplify_with(&self, emulator: &Emulator, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.command(args);
        cmd.env("AWS_ENDPOINT_URL", &emulator.url);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cargo-amplify"));
        without_test_package_env(&mut cmd)
            .arg("amplify")
            .args(args)
            .current_dir(self.crate_dir())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("CARGO_TARGET_DIR", repo().join("target/scratch-builds"))
            .env("AMPLIFY_RS_CACHE", tools_cache())
            .env_remove("AWS_PROFILE")
            .stdin(Stdio::null());
        cmd
    }

    /// The root stack name of `env`, from team-provider-info.json.
    pub fn stack_name(&self, env: &str) -> String {
        self.json("amplify/team-provider-info.json")[env]["awscloudformation"]["StackName"]
            .as_str()
            .unwrap_or_else(|| panic!("no stack for `{env}` in team-provider-info.json"))
            .to_owned()
    }

    /// `cargo run` of the app `package` with `args`, built with the configuration now on
    /// disk.
    pub fn run_app(&self, package: &str, args: &[&str]) -> Output {
        let _exclusive = lock_scratch_builds();
        without_test_package_env(&mut Command::new(env!("CARGO")))
            .args(["run", "-q", "-p", package, "--"])
            .args(args)
            .current_dir(self.crate_dir())
            .env("CARGO_TARGET_DIR", repo().join("target/scratch-builds"))
            .env_remove("AMPLIFY_OUTPUTS")
            .output()
            .unwrap()
    }

    /// [`Scratch::run_app`] with the emulator's credentials and region in the
    /// environment, as an app calling its backend has them (the endpoint it reads from
    /// the configuration the push recorded).
    pub fn run_app_with_credentials(&self, package: &str, args: &[&str]) -> Output {
        let _exclusive = lock_scratch_builds();
        without_test_package_env(&mut Command::new(env!("CARGO")))
            .args(["run", "-q", "-p", package, "--"])
            .args(args)
            .current_dir(self.crate_dir())
            .env("CARGO_TARGET_DIR", repo().join("target/scratch-builds"))
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AMPLIFY_OUTPUTS")
            .env_remove("AWS_ENDPOINT_URL")
            .env_remove("AWS_PROFILE")
            .output()
            .unwrap()
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.crate_dir().join(rel)).unwrap_or_default()
    }

    pub fn json(&self, rel: &str) -> Value {
        serde_json::from_str(&self.read(rel)).unwrap()
    }

    /// Bytes of every local state file, to prove a failure changed nothing.
    pub fn state_snapshot(&self) -> Vec<(String, Vec<u8>)> {
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

pub fn copy(from: &Path, to: &Path) {
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

pub fn ok(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "cargo amplify failed ({:?}):\n{stderr}",
        out.status.code()
    );
    stderr
}

pub fn push_json(scratch: &Scratch, emulator: &Emulator) -> Value {
    let out = scratch.amplify(emulator, &["push", "--yes", "--json"]);
    ok(&out);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (logical id, status, outputs) of one nested stack.
pub type NestedStack = (String, String, Vec<(String, String)>);

/// Our own view of the emulator, through the SDK, to check what the CLI claims.
pub struct Cloud {
    pub cfn: aws_sdk_cloudformation::Client,
    pub s3: aws_sdk_s3::Client,
    /// For other services' clients.
    pub sdk: aws_config::SdkConfig,
    pub rt: tokio::runtime::Runtime,
}

impl Cloud {
    pub fn new(emulator: &Emulator) -> Cloud {
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
            sdk,
            rt,
        }
    }

    /// The stack, or `None` only when CloudFormation says it does not exist: any other
    /// failure (the emulator down, a transport error) fails the test instead of reading
    /// as "gone".
    pub fn stack(&self, name: &str) -> Option<aws_sdk_cloudformation::types::Stack> {
        match self
            .rt
            .block_on(self.cfn.describe_stacks().stack_name(name).send())
        {
            Ok(o) => o.stacks().first().cloned(),
            Err(e) => {
                let missing = e
                    .as_service_error()
                    .and_then(|s| {
                        aws_smithy_types::error::metadata::ProvideErrorMetadata::message(s)
                    })
                    .is_some_and(|m| m.contains("does not exist"));
                assert!(missing, "describing stack {name} failed: {e:?}");
                None
            }
        }
    }

    /// Waits until `name` is no longer in progress (two minutes at most).
    pub fn wait(&self, name: &str) {
        for _ in 0..1200 {
            if !self.status(name).ends_with("_IN_PROGRESS") {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("stack {name} still in progress: {}", self.status(name));
    }

    /// The status of a stack that must exist.
    pub fn status(&self, name: &str) -> String {
        let stack = self
            .stack(name)
            .unwrap_or_else(|| panic!("stack {name} does not exist"));
        stack.stack_status().unwrap().as_str().to_owned()
    }

    /// Every resource of `stack`, all pages.
    pub fn resources(
        &self,
        stack: &str,
    ) -> Vec<aws_sdk_cloudformation::types::StackResourceSummary> {
        let pages = self.rt.block_on(
            self.cfn
                .list_stack_resources()
                .stack_name(stack)
                .into_paginator()
                .items()
                .send()
                .collect::<Vec<_>>(),
        );
        pages.into_iter().map(Result::unwrap).collect()
    }

    /// Logical id, status and outputs of every nested stack.
    pub fn nested(&self, root: &str) -> Vec<NestedStack> {
        self.resources(root)
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

    /// The parameters a nested stack was deployed with.
    pub fn nested_parameters(&self, root: &str, logical: &str) -> Vec<(String, String)> {
        let resources = self.resources(root);
        let nested = resources
            .iter()
            .find(|r| r.logical_resource_id() == Some(logical))
            .unwrap_or_else(|| panic!("no {logical} in {root}"));
        let stack = self.stack(nested.physical_resource_id().unwrap()).unwrap();
        stack
            .parameters()
            .iter()
            .map(|p| {
                (
                    p.parameter_key().unwrap_or_default().to_owned(),
                    p.parameter_value().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    /// Number of resource events inside a nested stack so far.
    pub fn nested_event_count(&self, root: &str, logical: &str) -> usize {
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

    /// Whether the object exists: false only for S3's 404, any other failure fails the
    /// test.
    pub fn object_exists(&self, bucket: &str, key: &str) -> bool {
        match self
            .rt
            .block_on(self.s3.head_object().bucket(bucket).key(key).send())
        {
            Ok(_) => true,
            Err(e) => {
                assert_eq!(status_of(&e), Some(404), "head s3://{bucket}/{key}: {e:?}");
                false
            }
        }
    }

    /// Puts `bytes` at `key` of `bucket`.
    pub fn put(&self, bucket: &str, key: &str, bytes: Vec<u8>) {
        self.rt
            .block_on(
                self.s3
                    .put_object()
                    .bucket(bucket)
                    .key(key)
                    .body(bytes.into())
                    .send(),
            )
            .unwrap();
    }

    /// An object's bytes.
    pub fn object(&self, bucket: &str, key: &str) -> Vec<u8> {
        self.rt.block_on(async {
            let object = self.s3.get_object().bucket(bucket).key(key).send().await;
            let object = object.unwrap_or_else(|e| panic!("get s3://{bucket}/{key}: {e:?}"));
            object.body.collect().await.unwrap().into_bytes().to_vec()
        })
    }

    /// Whether the bucket exists: false only for S3's 404.
    pub fn bucket_exists(&self, bucket: &str) -> bool {
        match self
            .rt
            .block_on(self.s3.head_bucket().bucket(bucket).send())
        {
            Ok(_) => true,
            Err(e) => {
                assert_eq!(status_of(&e), Some(404), "head s3://{bucket}: {e:?}");
                false
            }
        }
    }
}

/// The HTTP status of a service's answer, `None` when there was none (transport).
fn status_of<E, R: HttpStatus>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> Option<u16> {
    e.raw_response().map(HttpStatus::status_code)
}

/// An SDK response's status code.
pub trait HttpStatus {
    fn status_code(&self) -> u16;
}

impl HttpStatus for aws_smithy_runtime_api::http::Response {
    fn status_code(&self) -> u16 {
        self.status().as_u16()
    }
}

pub fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

pub fn tpi_after(scratch: &Scratch) -> Value {
    scratch.json("amplify/team-provider-info.json")
}

/// An exclusive lock on `target/scratch-builds/.tests.lock`, held while an app is built
/// and run: scratch crates of one package share their binary's path in that shared target
/// directory, and test binaries may run side by side (amplify-tests takes the same lock).
/// Released when dropped or when the process ends.
pub fn lock_scratch_builds() -> fs::File {
    let dir = repo().join("target/scratch-builds");
    fs::create_dir_all(&dir).unwrap();
    let file = fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(".tests.lock"))
        .unwrap();
    file.lock().unwrap();
    file
}

/// Removes from `cmd` the variables `cargo test` set for this test's own package
/// (`CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR`, …). Cargo fingerprints a variable a build
/// script watches by its value in cargo's own environment, so a cargo run from a test
/// that passed them on would rebuild such dependencies (ring, and all above it) each time
/// tests of another package had built in the same target folder.
pub fn without_test_package_env(cmd: &mut Command) -> &mut Command {
    for (key, _) in std::env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        let per_package = [
            "CARGO_PKG_",
            "CARGO_MANIFEST_",
            "CARGO_BIN_",
            "CARGO_CRATE_",
        ]
        .iter()
        .any(|prefix| key.starts_with(prefix));
        if per_package || key == "CARGO_PRIMARY_PACKAGE" || key == "CARGO_TARGET_TMPDIR" {
            cmd.env_remove(key);
        }
    }
    cmd
}
