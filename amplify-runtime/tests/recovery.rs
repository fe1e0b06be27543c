//! Ctrl-C during a push, and what the next command does about it. The push is held
//! (feature `test-hooks`) between starting the stack update and following it, and
//! interrupted there: it exits 130 with local state as it was and the push marked
//! pending; the next `status` settles it against the stack's real state — recording a
//! deployment that completed, forgetting one that rolled back.

mod common;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::*;

const BACKEND: &str = "#[amplify::backend]\npub mod backend {\n    #[table(partition_key = id: string)]\n    pub struct Items;\n}\n\nfn main() {}\n";

/// Starts `push --yes` held after the stack update started.
fn held_push(scratch: &Scratch, emulator: &Emulator) -> Child {
    // (The key change below would lose the table's items: named, so the push goes on.)
    scratch
        .command(&["push", "--yes", "--allow-replace", "Items"])
        .env("AWS_ENDPOINT_URL", &emulator.url)
        .env("AMPLIFY_RS_TEST_SLOW_FOLLOW_MS", "30000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Interrupts `child` with SIGINT once `marker` exists (the update has started).
fn interrupt_when(child: Child, marker: &Path) -> std::process::Output {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !marker.exists() {
        assert!(
            Instant::now() < deadline,
            "the push never started the update"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Past the marker, push is in the held follow, where Ctrl-C is handled.
    std::thread::sleep(Duration::from_millis(500));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    child.wait_with_output().unwrap()
}

fn operation(scratch: &Scratch, emulator: &Emulator, name: &str) -> (String, String) {
    let out = scratch.amplify(emulator, &["status", "--json"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{said}");
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = status["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["resourceName"] == name)
        .unwrap_or_else(|| panic!("{status}"))
        .clone();
    (row["operation"].as_str().unwrap().to_owned(), said)
}

#[test]
fn an_interrupted_push_leaves_state_as_it_was_and_the_next_command_settles_it() {
    let emulator = Emulator::start();
    let cloud = Cloud::new(&emulator);
    let scratch = Scratch::generated("recovery", &[("src/main.rs", BACKEND.to_owned())]);
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    ok(&scratch.amplify(&emulator, &["push", "--yes"]));
    let stack = scratch.stack_name("dev");
    let marker = scratch
        .crate_dir()
        .join("amplify/.config/local-push-pending-dev.json");
    let main_rs = scratch.crate_dir().join("src/main.rs");

    // A change CloudFormation completes, interrupted while it works.
    edit(
        &main_rs,
        "partition_key = id: string)",
        "partition_key = id: string, stream)",
    );
    let before = scratch.state_snapshot();
    let out = interrupt_when(held_push(&scratch, &emulator), &marker);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(130), "{said}");
    assert!(
        said.contains(&format!("interrupted: CloudFormation keeps working on `{stack}`; local state for `dev` was not changed")),
        "{said}"
    );
    assert_eq!(scratch.state_snapshot(), before, "state as it was");
    assert!(marker.exists(), "the push is remembered as pending");
    // The next command finds the update completed and records it.
    let (op, said) = operation(&scratch, &emulator, "Items");
    assert!(
        said.contains("the interrupted push of `dev` completed; local state is now up to date"),
        "{said}"
    );
    assert_eq!(op, "No Change");
    assert!(!marker.exists());
    assert_eq!(cloud.status(&stack), "UPDATE_COMPLETE");

    // A change CloudFormation rolls back (a new key replaces the table), interrupted.
    edit(
        &main_rs,
        "partition_key = id: string",
        "partition_key = slug: string",
    );
    let before = scratch.state_snapshot();
    let out = interrupt_when(held_push(&scratch, &emulator), &marker);
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(scratch.state_snapshot(), before);
    // The next command finds it rolled back: forgotten, still to push.
    let (op, said) = operation(&scratch, &emulator, "Items");
    assert!(
        said.contains(
            "the interrupted push of `dev` did not complete; local state was left as it was"
        ),
        "{said}"
    );
    assert_eq!(op, "Update");
    assert!(!marker.exists());
    assert_eq!(scratch.state_snapshot(), before);
    assert!(
        cloud.status(&stack).ends_with("ROLLBACK_COMPLETE"),
        "{}",
        cloud.status(&stack)
    );
}
