//! Every command that writes local state runs alone: while another holds the project's
//! state lock it is refused (exit 5) naming itself, and leaves every file as it was;
//! commands that only read keep working.

mod common;

use std::fs;
use std::path::Path;

use common::*;

/// Every file of the crate outside `target/`, except the lock file itself.
fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            if rel == "target" || rel.ends_with("local-state.lock") {
                continue;
            }
            if path.is_dir() {
                dirs.push(path);
            } else {
                out.push((rel, fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn state_changing_commands_wait_for_each_other_and_change_nothing_when_refused() {
    let emulator = Emulator::start();
    let scratch = Scratch::storefront();
    // `init` needs no build: the project's name is in its committed project-config.json
    // (as in a fresh clone; a cargo that cannot run proves it).
    let config = "amplify/.config/project-config.json";
    fs::create_dir_all(scratch.crate_dir().join("amplify/.config")).unwrap();
    fs::copy(
        repo().join("examples/storefront").join(config),
        scratch.crate_dir().join(config),
    )
    .unwrap();
    ok(&scratch.amplify_with(
        &emulator,
        &["init", "--env", "dev", "--yes"],
        &[("CARGO", "/nonexistent/cargo")],
    ));
    ok(&scratch.amplify(&emulator, &["push", "--yes"]));
    let stack = scratch.stack_name("dev");
    let cdk_outputs = scratch.dir.path().join("cdk-outputs.json");
    fs::write(&cdk_outputs, "{}").unwrap();

    // Another process's command holds the lock (as a running push would).
    let lock_path = scratch.crate_dir().join("amplify/.config/local-state.lock");
    let holder = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .unwrap();
    holder.try_lock().unwrap();

    let before = files(&scratch.crate_dir());
    let refused: &[(&str, &[&str])] = &[
        ("init", &["init", "--env", "qa", "--yes"]),
        ("push", &["push", "--yes"]),
        ("publish", &["publish", "--yes"]),
        ("run", &["run", "--yes"]),
        ("pull", &["pull"]),
        ("delete", &["delete", "--yes"]),
        ("env add", &["env", "add", "prod", "--yes"]),
        ("env checkout", &["env", "checkout", "dev"]),
        ("env remove", &["env", "remove", "dev", "--yes"]),
        ("env pull", &["env", "pull"]),
        (
            "env import",
            &["env", "import", "--name", "other", "--stack-name", &stack],
        ),
        ("configure", &["configure", "--use-profile", "staging"]),
        (
            "config import-cdk-outputs",
            &[
                "config",
                "import-cdk-outputs",
                cdk_outputs.to_str().unwrap(),
            ],
        ),
        ("generate outputs", &["generate", "outputs"]),
    ];
    for (name, args) in refused {
        let out = scratch.amplify(&emulator, args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(5), "{name}: {err}");
        assert!(
            err.contains(&format!(
                "cannot run `{name}` now: another command is changing this project's state"
            )),
            "{name}: {err}"
        );
        assert!(
            files(&scratch.crate_dir()) == before,
            "`{name}` changed local state while refused"
        );
    }
    // Reading needs no lock.
    for args in [&["env", "list"][..], &["status"], &["console"]] {
        ok(&scratch.amplify(&emulator, args));
    }

    // Released: the next one runs.
    drop(holder);
    ok(&scratch.amplify(&emulator, &["env", "add", "prod", "--yes"]));
    assert_eq!(
        scratch.json("amplify/.config/local-env-info.json")["envName"],
        "prod"
    );
}
