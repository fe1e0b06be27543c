//! Golden files: each fixture under `tests/fixtures/<name>/` is synthesised into a temp
//! copy and every generated file is compared with `tests/fixtures/<name>/expected/`.
//! Re-accept intended changes with `AMPLIFY_ACCEPT=1 cargo test -p amplify-build --test golden`.

use std::fs;
use std::path::{Path, PathBuf};

use amplify_build::{Config, Outcome};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_inputs(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "expected" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_inputs(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(root).unwrap().to_owned());
            }
        }
    }
    out.sort();
    out
}

/// Synthesises one fixture into a fresh directory and returns it.
fn synthesize(name: &str) -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    copy_inputs(&fixtures_dir().join(name), work.path());
    let report = Config::new()
        .project_name("fixture")
        .synthesize_in(work.path())
        .unwrap();
    assert!(
        matches!(report.outcome, Outcome::Synthesized { .. }),
        "{name}: {:?}",
        report.outcome
    );
    work
}

fn check(name: &str) {
    let work = synthesize(name);
    let produced_root = work.path().join("amplify");
    let expected_root = fixtures_dir().join(name).join("expected");
    let accept = std::env::var_os("AMPLIFY_ACCEPT").is_some();
    if accept {
        let _ = fs::remove_dir_all(&expected_root);
    }
    let produced = files_under(&produced_root);
    if accept {
        for f in &produced {
            let target = expected_root.join(f);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::copy(produced_root.join(f), target).unwrap();
        }
        return;
    }
    assert_eq!(
        produced,
        files_under(&expected_root),
        "{name}: set of generated files differs"
    );
    for f in &produced {
        let got = fs::read_to_string(produced_root.join(f)).unwrap();
        let want = fs::read_to_string(expected_root.join(f)).unwrap();
        assert!(
            got == want,
            "{name}: {} differs from the golden file; if intended, re-run with AMPLIFY_ACCEPT=1",
            f.display()
        );
    }

    // Synthesising again over the result changes nothing.
    let again = Config::new()
        .project_name("fixture")
        .synthesize_in(work.path())
        .unwrap();
    assert!(
        again.written.is_empty(),
        "{name}: second run rewrote {:?}",
        again.written
    );
}

#[test]
fn auth_minimal() {
    check("auth_minimal");
}

#[test]
fn auth_full() {
    check("auth_full");
}

#[test]
fn api_modes() {
    check("api_modes");
}

#[test]
fn adopted_names() {
    check("adopted_names");
}

#[test]
fn storage_options() {
    check("storage_options");
}

#[test]
fn function_grants() {
    check("function_grants");
}

#[test]
fn imports() {
    check("imports");
}

#[test]
fn rest_apis() {
    check("rest_apis");
}

#[test]
fn bots() {
    check("bots");
}

#[test]
fn notifications() {
    check("notifications");
}

#[test]
fn models() {
    check("models");
}
