//! The storefront example end to end on MiniStack. `#[hosting]`: `cargo amplify publish`
//! builds the site, deploys the bucket and the CloudFront distribution, uploads the files
//! with their content types and cache headers, and the page is served back through the
//! emulator's CloudFront; a second publish uploads only what changed, removes what was
//! deleted and invalidates; `delete` removes a stack whose bucket holds the site. Its
//! REST APIs answer through API Gateway and refuse unsigned or unauthenticated calls; the
//! custom resource and the analytics stream deploy with their outputs.

mod common;

use common::*;

/// The `Cache-Control` and `Content-Type` of an object.
fn object_headers(cloud: &Cloud, bucket: &str, key: &str) -> (String, String) {
    let head = cloud
        .rt
        .block_on(cloud.s3.head_object().bucket(bucket).key(key).send())
        .unwrap_or_else(|e| panic!("{key} is not in {bucket}: {e:?}"));
    (
        head.cache_control().unwrap_or_default().to_owned(),
        head.content_type().unwrap_or_default().to_owned(),
    )
}

fn keys(cloud: &Cloud, bucket: &str) -> Vec<String> {
    let listed = cloud
        .rt
        .block_on(cloud.s3.list_objects_v2().bucket(bucket).send())
        .unwrap();
    let mut keys: Vec<String> = listed
        .contents()
        .iter()
        .filter_map(|o| o.key().map(ToOwned::to_owned))
        .collect();
    keys.sort();
    keys
}

/// The physical id of the nested stack `logical` of `root`.
fn cloud_nested_id(cloud: &Cloud, root: &str, logical: &str) -> String {
    cloud
        .resources(root)
        .into_iter()
        .find(|r| r.logical_resource_id() == Some(logical))
        .and_then(|r| r.physical_resource_id().map(ToOwned::to_owned))
        .unwrap_or_else(|| panic!("no nested stack {logical}"))
}

fn fs_read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

#[test]
fn a_site_is_published_served_through_cloudfront_and_updated_by_difference() {
    let emulator = Emulator::start();
    let cloud = Cloud::new(&emulator);
    let scratch = Scratch::storefront();
    let _ = std::fs::remove_dir_all(scratch.crate_dir().join("web/dist"));
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));

    // Push deploys the stack; with no built site there is nothing to publish yet.
    let pushed = ok(&scratch.amplify(&emulator, &["push", "--yes"]));
    assert!(pushed.contains("has nothing to publish"), "{pushed}");
    // MiniStack has no Lex: the bot is left out of the local cloud, saying so, and the
    // rest deploys.
    for left_out in [
        "The local cloud cannot deploy ShopBot (interactions `Lex`)",
        "The local cloud cannot deploy ShopNotices (notifications `EndUserMessaging`)",
    ] {
        assert!(pushed.contains(left_out), "{pushed}");
    }
    // Events in time order across stacks: the nested stack's resources complete before
    // the root's last event, which says the whole update completed.
    let lines: Vec<&str> = pushed.lines().collect();
    let nested = lines
        .iter()
        .position(|l| l.contains("hostingStorefront › CloudFrontDistribution"))
        .unwrap_or_else(|| panic!("{pushed}"));
    let root_done = lines
        .iter()
        .rposition(|l| l.trim_start().starts_with("UPDATE_COMPLETE ") && !l.contains('›'))
        .unwrap_or_else(|| panic!("{pushed}"));
    assert!(nested < root_done, "{pushed}");
    let status = ok(&scratch.amplify(&emulator, &["status"]));
    let printed =
        String::from_utf8_lossy(&scratch.amplify(&emulator, &["status"]).stdout).into_owned();
    assert!(
        printed.contains("Left out of the local cloud")
            && printed.contains("  ShopBot (interactions `Lex`)")
            && printed.contains("  ShopNotices (notifications `EndUserMessaging`)"),
        "{printed}"
    );
    assert!(
        printed.contains("Storefront.site (publish web/dist/ to the bucket): not built yet"),
        "{printed}{status}"
    );

    // Publish: the build runs, then every file goes up.
    let published = ok(&scratch.amplify(&emulator, &["publish", "--yes"]));
    assert!(
        published.contains("Building web/dist of Storefront: sh build.sh"),
        "{published}"
    );
    let meta = scratch.json("amplify/backend/amplify-meta.json");
    let hosting = &meta["hosting"]["Storefront"];
    assert_eq!(hosting["service"], "S3AndCloudFront");
    let bucket = hosting["output"]["HostingBucketName"]
        .as_str()
        .unwrap()
        .to_owned();
    let domain = hosting["output"]["CloudFrontDomainName"]
        .as_str()
        .unwrap()
        .to_owned();
    let record = &hosting["postDeployActions"]["site"]["result"];
    assert_eq!(record["uploaded"], 3, "{record}");
    assert_eq!(keys(&cloud, &bucket), ["app.js", "index.html", "style.css"]);
    assert_eq!(
        object_headers(&cloud, &bucket, "index.html"),
        ("no-cache".to_owned(), "text/html".to_owned())
    );
    assert_eq!(
        object_headers(&cloud, &bucket, "style.css"),
        ("public, max-age=3600".to_owned(), "text/css".to_owned())
    );

    // Served through CloudFront (origin access control signs the bucket reads).
    let (code, headers, body) = viewer_get(emulator.port(), &domain, "/");
    assert_eq!(code, 200, "{headers:?}{body}");
    assert!(body.contains("<h1>Storefront</h1>"), "{body}");
    assert!(
        header(&headers, "content-type").starts_with("text/html"),
        "{headers:?}"
    );
    let (code, headers, _) = viewer_get(emulator.port(), &domain, "/style.css");
    assert_eq!(code, 200);
    assert!(
        header(&headers, "content-type").starts_with("text/css"),
        "{headers:?}"
    );
    // A client-side route is answered with the app's page.
    let (code, _, body) = viewer_get(emulator.port(), &domain, "/orders/42");
    assert_eq!(code, 200);
    assert!(body.contains("<h1>Storefront</h1>"), "{body}");

    // The typed accessors and aws-exports.js point at the site.
    let url = format!("https://{domain}");
    let app = scratch.run_app("storefront-example", &[]);
    let printed = String::from_utf8_lossy(&app.stdout).into_owned();
    assert!(
        app.status.success(),
        "{}",
        String::from_utf8_lossy(&app.stderr)
    );
    assert!(
        printed.contains(&format!("site url         {url}")),
        "{printed}"
    );
    // The custom resource (a hand-written template) deployed with the site's bucket name,
    // and its outputs reach amplify-meta.json, the outputs file and the typed accessors.
    let alerts = &meta["custom"]["Alerts"];
    assert_eq!(alerts["service"], "customCloudformation", "{meta}");
    let topic = alerts["output"]["TopicArn"].as_str().unwrap().to_owned();
    assert!(topic.starts_with("arn:aws:sns:us-east-1:"), "{topic}");
    assert!(
        printed.contains(&format!("alerts topic     {topic}")),
        "{printed}"
    );
    let root = scratch.stack_name("dev");
    let parameters = cloud.nested_parameters(&root, "customAlerts");
    assert!(
        parameters.contains(&(
            "hostingStorefrontHostingBucketName".to_owned(),
            bucket.clone()
        )),
        "{parameters:?}"
    );
    assert!(
        parameters.contains(&("DisplayName".to_owned(), "Storefront orders".to_owned())),
        "{parameters:?}"
    );
    // Analytics: a Kinesis stream events are put into, the identity pool roles allowed to.
    let clicks = &meta["analytics"]["Clicks"];
    assert_eq!(clicks["service"], "Kinesis", "{meta}");
    let stream = clicks["output"]["kinesisStreamId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(stream, "Clicks-dev");
    assert!(
        printed.contains(&format!("clicks stream    {stream}")),
        "{printed}"
    );
    let outputs = scratch.json("amplify_outputs.json");
    assert_eq!(
        outputs["custom"]["analytics"]["Clicks"]["kinesis_stream_name"],
        stream.as_str()
    );
    let kinesis = aws_sdk_kinesis::Client::new(&cloud.sdk);
    let put = cloud
        .rt
        .block_on(
            kinesis
                .put_record()
                .stream_name(&stream)
                .partition_key("visitor-1")
                .data(aws_sdk_kinesis::primitives::Blob::new(
                    br#"{"event":"view"}"#.to_vec(),
                ))
                .send(),
        )
        .unwrap();
    assert!(!put.sequence_number().is_empty());
    let policies: Vec<String> = cloud
        .resources(&cloud_nested_id(&cloud, &root, "analyticsClicks"))
        .iter()
        .filter(|r| r.resource_type() == Some("AWS::IAM::Policy"))
        .filter_map(|r| r.logical_resource_id().map(ToOwned::to_owned))
        .collect();
    assert_eq!(
        policies.len(),
        2,
        "signed-in users and guests: {policies:?}"
    );
    rest_apis_answer_and_refuse(&emulator, &scratch);
    let outputs = scratch.json("amplify_outputs.json");
    assert_eq!(
        outputs["custom"]["hosting"]["url"],
        url.as_str(),
        "{outputs}"
    );
    let generated = scratch.dir.path().join("generated");
    ok(&scratch.amplify(
        &emulator,
        &[
            "generate",
            "outputs",
            "--format",
            "aws-exports",
            "--out-dir",
            generated.to_str().unwrap(),
        ],
    ));
    let exports = std::fs::read_to_string(generated.join("aws-exports.js")).unwrap();
    for (key, value) in [
        ("aws_content_delivery_url", url.as_str()),
        ("aws_content_delivery_bucket", bucket.as_str()),
        ("aws_content_delivery_bucket_region", "us-east-1"),
    ] {
        assert!(
            exports.contains(&format!("\"{key}\": \"{value}\"")),
            "{exports}"
        );
    }

    // One file changed, one deleted: one upload, one removal, a second invalidation.
    let web = scratch.crate_dir().join("web/src");
    edit(
        &web.join("app.js"),
        "Served by CloudFront.",
        "Now with offers.",
    );
    std::fs::remove_file(web.join("style.css")).unwrap();
    ok(&scratch.amplify(&emulator, &["publish", "--yes"]));
    let meta = scratch.json("amplify/backend/amplify-meta.json");
    let record = &meta["hosting"]["Storefront"]["postDeployActions"]["site"]["result"];
    assert_eq!(record["uploaded"], 1, "{record}");
    assert_eq!(record["deleted"], 1, "{record}");
    assert_eq!(keys(&cloud, &bucket), ["app.js", "index.html"]);
    let (_, _, script) = viewer_get(emulator.port(), &domain, "/app.js");
    assert!(script.contains("Now with offers."), "{script}");
    let distribution = meta["hosting"]["Storefront"]["output"]["CloudFrontDistributionID"]
        .as_str()
        .unwrap()
        .to_owned();
    let cloudfront = aws_sdk_cloudfront::Client::new(&cloud.sdk);
    let invalidations = cloud
        .rt
        .block_on(
            cloudfront
                .list_invalidations()
                .distribution_id(&distribution)
                .send(),
        )
        .unwrap();
    let count = invalidations
        .invalidation_list()
        .map(|l| l.quantity())
        .unwrap_or_default();
    assert_eq!(count, 2, "{invalidations:?}");

    // Nothing changed: nothing to do. Export leaves the files to the CDK app, saying so.
    let again = ok(&scratch.amplify(&emulator, &["push", "--yes"]));
    assert!(again.contains("No changes detected"), "{again}");
    let out = scratch.dir.path().join("export");
    let exported = ok(&scratch.amplify(&emulator, &["export", "--out", out.to_str().unwrap()]));
    assert!(
        exported.contains(
            "The folder `web/dist` that 'Storefront' publishes to its bucket is not exported"
        ),
        "{exported}"
    );

    // A build that fails stops publish before anything is deployed, naming the command.
    let build = scratch.crate_dir().join("web/build.sh");
    let script = fs_read(&build);
    std::fs::write(
        &build,
        "#!/bin/sh\necho 'bundler: syntax error' >&2\nexit 3\n",
    )
    .unwrap();
    let failed = scratch.amplify(&emulator, &["publish", "--yes"]);
    let said = String::from_utf8_lossy(&failed.stderr).into_owned();
    assert_eq!(failed.status.code(), Some(2), "{said}");
    assert!(
        said.contains("the build of `web/dist` for `Storefront` (`sh build.sh` in")
            && said.contains("exited with"),
        "{said}"
    );
    std::fs::write(&build, script).unwrap();

    // Delete empties the site's bucket, so its stack can go.
    ok(&scratch.amplify(&emulator, &["delete", "--yes"]));
    assert!(!cloud.bucket_exists(&bucket), "the site's bucket is gone");
}

/// The REST APIs: their outputs and client keys, CORS, and calls through the app's typed
/// routes — open, refused unsigned, signed with IAM, refused without or with a forged
/// user-pool token, answered with a real one, an undeclared method refused.
fn rest_apis_answer_and_refuse(emulator: &Emulator, scratch: &Scratch) {
    let meta = scratch.json("amplify/backend/amplify-meta.json");
    let shop = &meta["api"]["ShopApi"];
    assert_eq!(shop["service"], "API Gateway", "{meta}");
    let endpoint = shop["output"]["RootUrl"].as_str().unwrap().to_owned();
    let id = shop["output"]["ApiId"].as_str().unwrap().to_owned();
    assert_eq!(
        endpoint,
        format!("https://{id}.execute-api.us-east-1.amazonaws.com/dev")
    );
    let outputs = scratch.json("amplify_outputs.json");
    assert_eq!(
        outputs["custom"]["API"]["ShopApi"]["endpoint"],
        endpoint.as_str()
    );
    assert_eq!(outputs["custom"]["API"]["ShopApi"]["region"], "us-east-1");
    let status =
        String::from_utf8_lossy(&scratch.amplify(emulator, &["status"]).stdout).into_owned();
    assert!(
        status.contains(&format!("REST API endpoint: {endpoint}")),
        "{status}"
    );

    // aws-exports.js lists both APIs in `aws_cloud_logic_custom`, which the real
    // aws-amplify library reads as `API.REST`.
    let generated = tempfile::tempdir().unwrap();
    ok(&scratch.amplify(
        emulator,
        &[
            "generate",
            "outputs",
            "--format",
            "aws-exports",
            "--out-dir",
            generated.path().to_str().unwrap(),
        ],
    ));
    let checker = repo().join("tests/js-config");
    let node = std::process::Command::new("node")
        .arg(checker.join("check.mjs"))
        .arg(generated.path().join("aws-exports.js"))
        .current_dir(&checker)
        .output()
        .expect("node runs");
    let parsed: serde_json::Value = serde_json::from_slice(&node.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&node.stderr)));
    let rest = &parsed["aws-exports.js"]["API"]["REST"];
    assert_eq!(rest["ShopApi"]["endpoint"], endpoint.as_str(), "{parsed}");
    assert_eq!(rest["ShopApi"]["region"], "us-east-1", "{parsed}");
    assert!(
        rest["AccountApi"]["endpoint"].as_str().is_some(),
        "{parsed}"
    );

    // Preflight and API Gateway's own refusals carry CORS headers for browser apps.
    let url = |path: &str| format!("/restapis/{id}/dev/_user_request_{path}");
    let (code, headers, _) = raw_request(emulator.port(), "OPTIONS", &url("/orders/7"), &[]);
    assert_eq!(code, 200, "{headers:?}");
    assert_eq!(header(&headers, "access-control-allow-origin"), "*");
    assert!(
        header(&headers, "access-control-allow-methods").contains("DELETE"),
        "{headers:?}"
    );
    let (code, headers, body) = raw_request(emulator.port(), "GET", &url("/orders"), &[]);
    assert_eq!(code, 403, "{body}");
    assert_eq!(
        header(&headers, "access-control-allow-origin"),
        "*",
        "{headers:?}"
    );
    // `{proxy+}`: a path below an open route reaches the function.
    let (code, _, body) = raw_request(emulator.port(), "GET", &url("/products/tea/green"), &[]);
    assert_eq!(code, 200, "{body}");
    assert!(body.contains(r#""route": "/products/{proxy+}""#), "{body}");

    let app = scratch.run_app_with_credentials("storefront-example", &["shop"]);
    let printed = String::from_utf8_lossy(&app.stdout).into_owned();
    assert!(
        app.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&app.stderr)
    );
    for line in [
        r#"products         200 {"route": "/products", "method": "GET", "path": "/products", "order": null, "query": {"page": "1"}"#,
        "unsigned orders  refused 403",
        r#"order created    201 {"route": "/orders", "method": "POST""#,
        r#""received": {"item": "tea", "quantity": 2}"#,
        r#"order read       "A-17 b""#,
        "account no token refused 401",
        "account forged   refused 401",
        "account delete   refused 403",
    ] {
        assert!(printed.contains(line), "missing `{line}` in:\n{printed}");
    }
    let caller = printed
        .lines()
        .find(|l| l.starts_with("account caller"))
        .unwrap_or_else(|| panic!("{printed}"));
    let (said, signed_up) = caller.split_once(" (signed up as ").unwrap();
    assert_eq!(
        said.trim_start_matches("account caller").trim(),
        format!("\"{}\"", signed_up.trim_end_matches(')'))
    );
}
