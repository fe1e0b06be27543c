//! The real Amplify CLI (Gen 1, 14.2.2, pinned in `tests/amplify-cli`, installed by
//! `scripts/setup-node-tools.sh`) on the blog example's folder after `cargo amplify push`:
//! its `env list`, `status`, `push` and `export` succeed, its push finds nothing to
//! deploy and deploys nothing, its export keeps our resolvers and data sources and
//! packages the Rust function's binary, and our next push still succeeds. And a Gen 1
//! project the CLI creates and pushes itself, adopted and pushed by us (`gen1.rs`).

#[path = "../common/mod.rs"]
mod common;
mod gen1;
mod service;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::*;
use serde_json::Value;
use service::AmplifyService;

/// The installed CLI, run with its own home (its plugin registry and logs) and a
/// `$PREFIX/lib/node_modules` that is the install itself: the CLI looks for plugins
/// (the function runtimes among them) under its global prefix, which `PREFIX` names.
struct AmplifyCli {
    bin: PathBuf,
    home: tempfile::TempDir,
    prefix: tempfile::TempDir,
    /// The Amplify service it calls (`init`, `pull`), when a test started one.
    service: Option<String>,
}

impl AmplifyCli {
    fn installed() -> AmplifyCli {
        let modules = repo().join("tests/amplify-cli/node_modules");
        assert!(
            modules.join("@aws-amplify/cli-internal").is_dir(),
            "the Amplify CLI is missing: run `bash scripts/setup-node-tools.sh` (scripts/test.sh does)"
        );
        let prefix = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(prefix.path().join("lib")).unwrap();
        std::os::unix::fs::symlink(&modules, prefix.path().join("lib/node_modules")).unwrap();
        AmplifyCli {
            bin: modules.join(".bin/amplify"),
            home: tempfile::tempdir().unwrap(),
            prefix,
            service: None,
        }
    }

    /// The CLI calling `service` for the Amplify service and its Studio check.
    fn with_service(mut self, service: &AmplifyService) -> AmplifyCli {
        self.service = Some(service.url.clone());
        self
    }

    /// `amplify <args>` with `input` on its standard input (a headless command's request).
    fn run_with_input(
        &self,
        dir: &Path,
        emulator: &Emulator,
        args: &[&str],
        input: &str,
    ) -> Output {
        let mut command = Command::new(&self.bin);
        if let Some(service) = &self.service {
            command
                .env("AWS_AMPLIFY_ENDPOINT", service)
                .env("AMPLIFY_CLI_APPSTATE_BASE_URL", service);
        }
        let mut child = command
            .args(args)
            .current_dir(dir)
            .env("HOME", self.home.path())
            .env("PREFIX", self.prefix.path())
            .env("CI", "1")
            .env("NO_UPDATE_NOTIFIER", "1")
            .env("AMPLIFY_CLI_ENABLE_USAGE_DATA", "false")
            .env("AWS_ENDPOINT_URL", &emulator.url)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env_remove("AWS_PROFILE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input.as_bytes()).unwrap();
        drop(stdin);
        child.wait_with_output().unwrap()
    }

    /// `amplify <args>`, which must succeed; its standard output.
    fn ok(&self, dir: &Path, emulator: &Emulator, args: &[&str]) -> String {
        self.ok_with_input(dir, emulator, args, "")
    }

    /// [`AmplifyCli::ok`] with `input` on its standard input.
    fn ok_with_input(&self, dir: &Path, emulator: &Emulator, args: &[&str], input: &str) -> String {
        let out = self.run_with_input(dir, emulator, args, input);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "amplify {} failed ({:?}):\n{stdout}\n{}",
            args.join(" "),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }
}

/// The rows of the CLI's status table: (category, resource, operation).
fn status_rows(stdout: &str) -> Vec<(String, String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line
                .split('│')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            match cells.as_slice() {
                [category, resource, operation, "awscloudformation"] => Some((
                    category.to_string(),
                    resource.to_string(),
                    operation.to_string(),
                )),
                _ => None,
            }
        })
        .collect()
}

/// `amplify status` in `dir`, which must list every resource as `No Change`: its output
/// and the resources' names, sorted.
fn unchanged_status(cli: &AmplifyCli, dir: &Path, emulator: &Emulator) -> (String, Vec<String>) {
    let status = cli.ok(dir, emulator, &["status"]);
    let rows = status_rows(&status);
    assert!(
        rows.iter()
            .all(|(_, _, operation)| operation == "No Change"),
        "{status}"
    );
    let mut resources: Vec<String> = rows.into_iter().map(|(_, r, _)| r).collect();
    resources.sort();
    (status, resources)
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The logical ids of the template's resources of `kind`.
fn resources_of(template: &Value, kind: &str) -> Vec<String> {
    let mut ids: Vec<String> = template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == kind)
        .map(|(id, _)| id.clone())
        .collect();
    ids.sort();
    ids
}

#[test]
fn the_amplify_cli_runs_on_a_folder_cargo_amplify_pushed() {
    let cli = AmplifyCli::installed();
    let emulator = Emulator::start();
    let cloud = Cloud::new(&emulator);
    let scratch = Scratch::blog();
    let dir = scratch.crate_dir();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    ok(&scratch.amplify(&emulator, &["push", "--yes"]));
    let root = scratch.stack_name("dev");
    let deployed_at = cloud.stack(&root).unwrap().last_updated_time;

    let envs = cli.ok(&dir, &emulator, &["env", "list"]);
    assert!(envs.contains("*dev"), "{envs}");

    let (status, resources) = unchanged_status(&cli, &dir, &emulator);
    assert_eq!(
        resources,
        ["BlogApi", "BlogAuth", "Photos", "PostTable", "PostsFn"],
        "{status}"
    );
    assert!(
        status.contains("GraphQL transformer version: 2"),
        "{status}"
    );

    // Its push reads the environment from the deployment bucket and deploys nothing.
    let pushed = cli.ok(&dir, &emulator, &["push", "--yes"]);
    assert!(pushed.contains("No changes detected"), "{pushed}");
    let after = cloud.stack(&root).unwrap();
    assert_eq!(after.last_updated_time, deployed_at);
    assert_eq!(after.stack_status().unwrap().as_str(), "UPDATE_COMPLETE");
    let ours = scratch.amplify(&emulator, &["status", "--json"]);
    ok(&ours);

    let out = tempfile::tempdir().unwrap();
    let exported = cli.ok(
        &dir,
        &emulator,
        &["export", "--out", out.path().to_str().unwrap(), "--yes"],
    );
    assert!(exported.contains("Successfully exported"), "{exported}");
    let export = out.path().join("amplify-export-blogexample");
    // The API as we synthesised it: our data sources and resolvers, not a regenerated one.
    let backend = dir.join("amplify/backend");
    let ours = json(&backend.join("api/BlogApi/build/cloudformation-template.json"));
    let theirs = json(&export.join("api/BlogApi/cloudformation-template.json"));
    for kind in [
        "AWS::AppSync::DataSource",
        "AWS::AppSync::Resolver",
        "AWS::AppSync::FunctionConfiguration",
    ] {
        assert_eq!(
            resources_of(&theirs, kind),
            resources_of(&ours, kind),
            "{kind}"
        );
    }
    assert!(
        resources_of(&ours, "AWS::AppSync::DataSource").len() >= 2,
        "the blog's API has the function's and the table's data sources"
    );
    assert_eq!(
        std::fs::read(export.join("api/BlogApi/amplify-appsync-files/resolvers/Query.getPost.js"))
            .unwrap(),
        std::fs::read(backend.join("api/BlogApi/build/resolvers/Query.getPost.js")).unwrap(),
    );
    // The function's package runs our binary, as the zip push uploads does.
    let builds: Vec<PathBuf> = std::fs::read_dir(export.join("function/PostsFn/amplify-builds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(builds.len(), 1, "{builds:?}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&builds[0]).unwrap()).unwrap();
    let launcher = {
        let mut entry = zip.by_name("bootstrap").unwrap();
        assert_eq!(
            entry.unix_mode().unwrap() & 0o111,
            0o111,
            "bootstrap is executable"
        );
        let mut text = String::new();
        std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
        text
    };
    assert!(
        launcher.contains("node_modules/amplify-rs-function/bootstrap"),
        "{launcher}"
    );
    let mut binary = Vec::new();
    std::io::Read::read_to_end(
        &mut zip
            .by_name("node_modules/amplify-rs-function/bootstrap")
            .unwrap(),
        &mut binary,
    )
    .unwrap();
    assert_eq!(&binary[..4], b"\x7fELF");

    // The CLI's export rewrote files of the folder (it builds before exporting); our next
    // push synthesises them again and succeeds.
    ok(&scratch.amplify(&emulator, &["push", "--yes"]));
    unchanged_status(&cli, &dir, &emulator);
}
