//! Helpers shared by the end-to-end tests: locating the workspace and its tools,
//! copying a crate into a scratch workspace, and running real `cargo` builds there.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_owned()
}

/// The golden fixtures of amplify-build.
pub fn fixtures_dir() -> PathBuf {
    workspace_root().join("amplify-build/tests/fixtures")
}

/// A tool installed by `scripts/setup-python-tools.sh`; panics with the fix if missing.
pub fn python_tool(name: &str) -> PathBuf {
    let path = workspace_root().join("target/tools/venv/bin").join(name);
    assert!(
        path.exists(),
        "{} is missing: run `bash scripts/setup-python-tools.sh` (the test command in the README does)",
        path.display()
    );
    path
}

/// Copies a directory tree, skipping `target/`, `expected/` and an existing `amplify/`.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if [
            "target",
            "expected",
            "amplify",
            ".gitignore",
            "amplify_outputs.json",
        ]
        .iter()
        .any(|n| name == *n)
        {
            continue;
        }
        let dest = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// Every file under `root` with its bytes, sorted by path.
pub fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((
                    path.strip_prefix(root).unwrap().to_owned(),
                    fs::read(&path).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// A copy of an example as a stand-alone workspace in a temp directory, built
/// with a target directory shared between test runs (so dependencies compile once).
pub struct ScratchCrate {
    /// Keeps the directory alive.
    pub dir: tempfile::TempDir,
}

impl ScratchCrate {
    /// Copies `examples/blog` (sources, schema, resolvers, build.rs) into a new workspace
    /// whose path dependencies point back at this repository.
    pub fn blog() -> Self {
        Self::example("blog", "blog-example", "")
    }

    /// Copies `examples/jobs`, whose build script registers the third-party categories
    /// of `examples/queue-category` and `examples/seed-category`.
    pub fn jobs() -> Self {
        let examples = workspace_root().join("examples");
        Self::example(
            "jobs",
            "jobs-example",
            &format!(
                "amplify-category-queue = {{ path = \"{}\" }}\namplify-category-seed = {{ path = \"{}\" }}\n",
                examples.join("queue-category").display(),
                examples.join("seed-category").display()
            ),
        )
    }

    /// A new crate `package` with the given files (paths relative to the crate root,
    /// `build.rs` included) and `manifest_extra` appended to its manifest (e.g. a
    /// `[features]` table).
    pub fn custom(package: &str, files: &[(&str, &str)], manifest_extra: &str) -> Self {
        Self::custom_with_dependencies(package, files, "", manifest_extra)
    }

    /// [`ScratchCrate::custom`] with its own `[dependencies]` lines (`{runtime}` stands
    /// for the path of amplify-runtime).
    pub fn custom_with_dependencies(
        package: &str,
        files: &[(&str, &str)],
        dependencies: &str,
        manifest_extra: &str,
    ) -> Self {
        let runtime = workspace_root().join("amplify-runtime");
        let dependencies = dependencies.replace("{runtime}", &runtime.display().to_string());
        let krate = Self::from_dir(
            tempfile::tempdir().unwrap(),
            package,
            &dependencies,
            manifest_extra,
        );
        for (path, text) in files {
            let path = krate.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        krate
    }

    /// A copy of `examples/<example>` as package `package`, with `extra` appended to its
    /// build dependencies.
    /// Its `[dependencies]` are the example's own, with the runtime's path made absolute.
    fn example(example: &str, package: &str, extra: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let source = workspace_root().join("examples").join(example);
        copy_tree(&source, dir.path());
        let manifest = fs::read_to_string(source.join("Cargo.toml")).unwrap();
        let dependencies: String = manifest
            .split("\n[dependencies]\n")
            .nth(1)
            .and_then(|rest| rest.split("\n[").next())
            .expect("the example has dependencies")
            .replace(
                "../../amplify-runtime",
                &workspace_root()
                    .join("amplify-runtime")
                    .display()
                    .to_string(),
            );
        Self::from_dir(dir, package, &dependencies, extra)
    }

    /// Writes the manifest and lockfile of package `package` into `dir`: `dependencies`
    /// (empty: the runtime alone) and `extra` build dependencies.
    fn from_dir(dir: tempfile::TempDir, package: &str, dependencies: &str, extra: &str) -> Self {
        let root = workspace_root();
        let dependencies = if dependencies.is_empty() {
            format!(
                "amplify = {{ package = \"amplify-runtime\", path = \"{}\" }}\n",
                root.join("amplify-runtime").display()
            )
        } else {
            dependencies.to_owned()
        };
        let manifest = format!(
            r#"[package]
name = "{package}"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
{dependencies}

[build-dependencies]
amplify-build = {{ path = "{build}" }}
{extra}
[workspace]
"#,
            build = root.join("amplify-build").display(),
        );
        fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
        fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
        ScratchCrate { dir }
    }

    /// The crate directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `cargo <args>` in the crate with the shared target directory.
    pub fn cargo(&self, args: &[&str]) -> Output {
        self.cargo_with(args, &[])
    }

    /// [`ScratchCrate::cargo`] with extra environment variables.
    pub fn cargo_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        without_test_package_env(&mut Command::new(env!("CARGO")))
            .args(args)
            .current_dir(self.path())
            .env(
                "CARGO_TARGET_DIR",
                workspace_root().join("target/scratch-builds"),
            )
            .env_remove("RUSTFLAGS")
            .envs(vars.iter().copied())
            .output()
            .expect("cargo runs")
    }
}

/// Held while a test builds and runs scratch crates: see [`exclusive`].
pub struct Exclusive {
    _thread: std::sync::MutexGuard<'static, ()>,
    _process: fs::File,
}

/// Scratch crates share one target directory (dependencies build once), so crates of
/// the same package share their binaries' paths: one test at a time may build and run,
/// in this process (a mutex) and in the other test binaries running beside it (a lock
/// on a file in that directory, released when the process ends, however it ends).
pub fn exclusive() -> Exclusive {
    static SHARED_TARGET: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let thread = SHARED_TARGET
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    Exclusive {
        _thread: thread,
        _process: lock_scratch_builds(&workspace_root().join("target/scratch-builds")),
    }
}

/// An exclusive lock on `<dir>/.tests.lock`, shared with amplify-runtime's tests.
fn lock_scratch_builds(dir: &Path) -> fs::File {
    fs::create_dir_all(dir).unwrap();
    let file = fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(".tests.lock"))
        .unwrap();
    file.lock().unwrap();
    file
}

/// Every CloudFormation template under `dir` (nested templates and the root stack).
pub fn collect_templates(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            collect_templates(&path, out);
        } else if name.contains("template")
            || name == "root-cloudformation-stack.json"
            // A stack nested in a resource's (a model's in its API's: `build/stacks/Post.json`).
            || (name.ends_with(".json") && dir.ends_with("stacks"))
        {
            out.push(path);
        }
    }
}

/// cfn-lint's findings (its JSON objects) over `templates`, in one run.
pub fn cfn_lint<P: AsRef<Path>>(templates: impl IntoIterator<Item = P>) -> Vec<serde_json::Value> {
    let out = Command::new(python_tool("cfn-lint"))
        .arg("-f")
        .arg("json")
        .args(templates.into_iter().map(|t| t.as_ref().to_owned()))
        .output()
        .unwrap();
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "cfn-lint output is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let findings = findings.as_array().expect("an array of findings").clone();
    // cfn-lint exits non-zero exactly when it has findings.
    assert_eq!(out.status.success(), findings.is_empty(), "{findings:?}");
    findings
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
