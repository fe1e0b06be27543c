//! The blog backend really works on the local cloud: the example app signs a user up
//! and in, creates a post through AppSync with the user's token (the Rust function built
//! with cargo-zigbuild, as for AWS, writes it to DynamoDB), lists it, reads it through the JS resolver,
//! and round-trips a photo through S3. This test then checks the item and the object
//! directly, and the deployed `bootstrap` against Amazon Linux 2023's glibc.

mod common;

use std::io::Read as _;
use std::path::Path;
use std::process::Command;

use common::*;
use serde_json::Value;

/// `GLIBC_x.y` versions the binary at `path` needs, read by binutils' `readelf`.
fn glibc_needs(path: &Path) -> Vec<(u32, u32)> {
    let out = Command::new("readelf")
        .arg("-V")
        .arg(path)
        .output()
        .expect("readelf (binutils) is installed with gcc");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut versions: Vec<(u32, u32)> = text
        .split_whitespace()
        .filter_map(|w| w.strip_prefix("GLIBC_"))
        .filter_map(|v| {
            let mut parts = v.split('.');
            Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
        })
        .collect();
    versions.sort_unstable();
    versions.dedup();
    versions
}

/// The `bootstrap` inside the function zip push uploaded to the deployment bucket.
fn deployed_bootstrap(cloud: &Cloud, scratch: &Scratch, dir: &Path) -> std::path::PathBuf {
    let tpi = scratch.json("amplify/team-provider-info.json");
    let bucket = tpi["dev"]["awscloudformation"]["DeploymentBucketName"]
        .as_str()
        .unwrap()
        .to_owned();
    let zip = cloud.rt.block_on(async {
        let listed = cloud
            .s3
            .list_objects_v2()
            .bucket(&bucket)
            .prefix("amplify-builds/PostsFn-")
            .send()
            .await
            .unwrap();
        let key = listed.contents()[0].key().unwrap().to_owned();
        let object = cloud.s3.get_object().bucket(&bucket).key(key).send().await;
        object.unwrap().body.collect().await.unwrap().into_bytes()
    });
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).unwrap();
    let mut bytes = Vec::new();
    archive
        .by_name("bootstrap")
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    let path = dir.join("bootstrap");
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_signed_in_user_s_post_reaches_dynamodb_and_the_photo_reaches_s3() {
    let emulator = Emulator::start();
    let cloud = Cloud::new(&emulator);
    let scratch = Scratch::blog();
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    // Built as for AWS (the local cloud would get a host build): what Lambda runs.
    ok(&scratch.amplify_with(
        &emulator,
        &["push", "--yes"],
        &[("AMPLIFY_RS_FUNCTION_BUILD", "lambda")],
    ));

    // The function was built for Lambda: no glibc newer than provided.al2023's 2.34.
    let bootstrap = deployed_bootstrap(&cloud, &scratch, scratch.dir.path());
    let needs = glibc_needs(&bootstrap);
    assert!(!needs.is_empty(), "bootstrap links glibc dynamically");
    assert!(
        needs.iter().all(|v| *v <= (2, 34)),
        "bootstrap needs {needs:?}"
    );

    let exclusive = common::lock_scratch_builds();
    let run = common::without_test_package_env(&mut Command::new(env!("CARGO")))
        .args(["run", "-q", "-p", "blog-example", "--", "--json"])
        .current_dir(scratch.crate_dir())
        .env("CARGO_TARGET_DIR", repo().join("target/scratch-builds"))
        .env("AWS_ENDPOINT_URL", &emulator.url)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AMPLIFY_OUTPUTS")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap();
    drop(exclusive);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary: Value = serde_json::from_slice(&run.stdout).unwrap();
    let post = &summary["post"];
    let author = post["author"].as_str().unwrap();
    assert!(!author.is_empty(), "the caller is the author: {summary}");

    // The item, as the function wrote it, read from DynamoDB directly.
    let table = summary["table"].as_str().unwrap();
    let item = cloud.rt.block_on(async {
        let dynamodb = aws_sdk_dynamodb::Client::new(&cloud.sdk);
        dynamodb
            .get_item()
            .table_name(table)
            .key(
                "id",
                aws_sdk_dynamodb::types::AttributeValue::S(post["id"].as_str().unwrap().into()),
            )
            .send()
            .await
            .unwrap()
            .item
            .expect("the post is in the table")
    });
    let text = |key: &str| item[key].as_s().unwrap().clone();
    assert_eq!(text("title"), post["title"].as_str().unwrap());
    assert_eq!(text("content"), post["content"].as_str().unwrap());
    assert_eq!(text("author"), author);

    // The photo, read from S3 directly.
    let bytes = cloud.rt.block_on(async {
        let object = cloud
            .s3
            .get_object()
            .bucket(summary["bucket"].as_str().unwrap())
            .key(summary["photo_key"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        object.body.collect().await.unwrap().into_bytes()
    });
    assert_eq!(bytes.len() as u64, summary["photo_bytes"].as_u64().unwrap());
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn an_arm64_rust_function_builds_for_aarch64_or_says_what_is_missing() {
    let emulator = Emulator::start();
    let scratch = Scratch::blog();
    edit(
        &scratch.crate_dir().join("src/cloud.rs"),
        "memory = 256,",
        "memory = 256,\n        architecture = arm64,",
    );
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    let before = scratch.state_snapshot();
    // The Lambda build (a local-cloud push builds for the host whatever the declared
    // architecture).
    let pushed = scratch.amplify_with(
        &emulator,
        &["push", "--yes"],
        &[("AMPLIFY_RS_FUNCTION_BUILD", "lambda")],
    );
    let said = String::from_utf8_lossy(&pushed.stderr);
    let target_installed = Command::new("rustc")
        .args([
            "--print",
            "target-libdir",
            "--target",
            "aarch64-unknown-linux-gnu",
        ])
        .output()
        .ok()
        .map(|o| std::path::PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .is_some_and(|d| d.is_dir());
    if target_installed {
        assert!(pushed.status.success(), "{said}");
        let dir = tempfile::tempdir().unwrap();
        let bootstrap = deployed_bootstrap(&Cloud::new(&emulator), &scratch, dir.path());
        let header = Command::new("readelf")
            .arg("-h")
            .arg(&bootstrap)
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&header.stdout).contains("AArch64"));
    } else {
        assert!(!pushed.status.success(), "{said}");
        assert!(
            said.contains("`PostsFn`")
                && said.contains("rustup target add aarch64-unknown-linux-gnu"),
            "{said}"
        );
        assert_eq!(
            scratch.state_snapshot(),
            before,
            "a failed push changes nothing"
        );
    }
}
