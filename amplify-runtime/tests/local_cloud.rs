//! `cargo amplify local`: a crate starts the local cloud (installed on first use into the
//! cache), pushes to it, stops it, starts it again on the remembered port, and finds its
//! stack still there.

mod common;

use std::process::Output;

use common::*;

/// The exported variables `local start` prints, as (name, value).
fn exports(out: &Output) -> Vec<(String, String)> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("export "))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

#[test]
fn the_local_cloud_keeps_deployed_stacks_across_restarts() {
    let scratch = Scratch::blog();
    let cache = tools_cache();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let local = |args: &[&str]| {
        let mut command = scratch.command(args);
        command
            .env("AMPLIFY_RS_CACHE", &cache)
            .env_remove("AWS_ENDPOINT_URL");
        command.output().unwrap()
    };
    let stop_on_exit = StopOnDrop(&scratch, cache.clone());

    let started = local(&["local", "start", "--port", &port.to_string()]);
    let said = String::from_utf8_lossy(&started.stderr);
    assert!(started.status.success(), "{said}");
    let vars = exports(&started);
    let endpoint = format!("http://127.0.0.1:{port}");
    assert!(
        vars.contains(&("AWS_ENDPOINT_URL".into(), endpoint.clone())),
        "{vars:?}"
    );
    let emulator = Emulator::at(&endpoint);

    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    // The local cloud runs `bootstrap` on this host: the function is built like the app.
    let pushed = ok(&scratch.amplify(&emulator, &["push", "--yes"]));
    assert!(
        pushed.contains(
            "Building function `PostsFn` (package `blog-posts-fn`) for this host's local cloud"
        ),
        "{pushed}"
    );
    let stack = scratch.stack_name("dev");
    assert_eq!(Cloud::new(&emulator).status(&stack), "UPDATE_COMPLETE");

    let stopped = local(&["local", "stop"]);
    assert!(stopped.status.success());
    assert!(String::from_utf8_lossy(&stopped.stderr).contains("state saved"));
    let status = local(&["local", "status", "--json"]);
    assert!(String::from_utf8_lossy(&status.stdout).contains("\"running\":false"));

    // Started again without --port: the remembered one, and the stack is still there.
    let again = local(&["local", "start"]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(exports(&again).contains(&("AWS_ENDPOINT_URL".into(), endpoint.clone())));
    assert_eq!(Cloud::new(&emulator).status(&stack), "UPDATE_COMPLETE");
    let status = scratch.amplify(&emulator, &["status", "--json"]);
    assert!(status.status.success());

    // The environment remembers where it lives: without AWS_ENDPOINT_URL, commands and
    // the app's typed clients go to the local cloud.
    assert_eq!(
        scratch.json("amplify/.config/local-aws-info.json")["dev"]["endpointUrl"],
        endpoint.as_str()
    );
    assert_eq!(
        scratch.json("amplify_outputs.json")["custom"]["amplify_rs"]["endpoint_url"],
        endpoint.as_str()
    );
    let pushed = local(&["push", "--yes", "--force"]);
    assert!(
        pushed.status.success(),
        "{}",
        String::from_utf8_lossy(&pushed.stderr)
    );
    let exclusive = common::lock_scratch_builds();
    let app = common::without_test_package_env(&mut std::process::Command::new(env!("CARGO")))
        .args(["run", "-q", "-p", "blog-example", "--", "--json"])
        .current_dir(scratch.crate_dir())
        .env("CARGO_TARGET_DIR", repo().join("target/scratch-builds"))
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AMPLIFY_OUTPUTS")
        .output()
        .unwrap();
    drop(exclusive);
    assert!(
        app.status.success(),
        "the round trip reaches the local cloud by itself: {}{}",
        String::from_utf8_lossy(&app.stdout),
        String::from_utf8_lossy(&app.stderr)
    );
    drop(stop_on_exit);
}

/// Stops the crate's local cloud however the test ends.
struct StopOnDrop<'a>(&'a Scratch, std::path::PathBuf);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        let _ = self
            .0
            .command(&["local", "stop"])
            .env("AMPLIFY_RS_CACHE", &self.1)
            .output();
    }
}
