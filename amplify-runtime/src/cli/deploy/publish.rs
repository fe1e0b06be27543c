//! Published folders ([`PublishedFolder`]): after the stacks deployed, a folder of the
//! project is copied to a bucket one of its stack's outputs names — every file with its
//! content type, objects no longer in the folder removed — and the CloudFront
//! distribution in front of it invalidated. It is a post-deploy step like an action: it
//! runs again only when its fingerprint (the bucket, the prefix, every file's path and
//! content) changes, and its record sits beside the actions' in `amplify-meta.json`.
//! `cargo amplify publish` runs each folder's build command first.

use std::path::{Path, PathBuf};
use std::process::Command;

use amplify_build::plan::{content_hash, Asset, Plan, PublishedFolder, StackPlan};
use aws_sdk_cloudfront::types::{InvalidationBatch, Paths};
use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use serde_json::{json, Map, Value};

use crate::cli::aws::{sdk_error, Aws};
use crate::cli::error::{CliError, Kind, Result};
use crate::cli::state::project::{files_under, Project};

/// Objects uploaded at once.
const PARALLEL_UPLOADS: usize = 16;

/// Every published folder of the plan, with its stack.
pub fn folders(plan: &Plan) -> impl Iterator<Item = (&StackPlan, &PublishedFolder)> {
    plan.stacks
        .iter()
        .flat_map(|stack| folders_of(stack).map(move |folder| (stack, folder)))
}

/// The folders one stack publishes.
pub fn folders_of(stack: &StackPlan) -> impl Iterator<Item = &PublishedFolder> {
    stack.assets.iter().filter_map(|asset| match asset {
        Asset::PublishedFolder(folder) => Some(folder),
        _ => None,
    })
}

/// A folder ready to publish: its files and where they go.
pub struct Publication<'a> {
    /// What the category declared.
    pub folder: &'a PublishedFolder,
    /// Each file: its path inside the folder (`/`-separated), on disk, and its content
    /// hash.
    files: Vec<(String, PathBuf, String)>,
    /// The bucket, from the stack's outputs.
    bucket: String,
    /// The distribution to invalidate, from the stack's outputs.
    distribution: Option<String>,
    /// Changes exactly when the published objects would.
    pub fingerprint: String,
}

/// Why a folder cannot be published now.
pub enum NotReady {
    /// The folder does not exist: nothing was built yet. Not an error for `push`.
    NotBuilt(PathBuf),
    /// Something it needs is missing (an output the deployed stack lacks).
    Error(CliError),
}

/// The folder's files, read with the stack's deployed `outputs`.
pub fn resolve<'a>(
    project: &Project,
    stack: &'a StackPlan,
    folder: &'a PublishedFolder,
    outputs: &Map<String, Value>,
) -> std::result::Result<Publication<'a>, NotReady> {
    let dir = project.root.join(&folder.folder);
    if !dir.is_dir() {
        return Err(NotReady::NotBuilt(dir));
    }
    let output = |name: &str| {
        outputs
            .get(name)
            .and_then(Value::as_str)
            .map(ToOwned::to_owned)
            .ok_or_else(|| {
                NotReady::Error(
                    CliError::input(format!(
                        "publishing `{}` of `{}` needs output `{name}`, which the deployed stack does not have",
                        folder.folder, stack.name
                    ))
                    .help("push again: the stack was not deployed with this output yet"),
                )
            })
    };
    let bucket = output(&folder.bucket_output)?;
    let distribution = match &folder.distribution_output {
        Some(name) => Some(output(name)?),
        None => None,
    };
    let mut files = Vec::new();
    for rel in files_under(&dir) {
        let path = dir.join(&rel);
        let bytes =
            std::fs::read(&path).map_err(|e| NotReady::Error(CliError::io("read", &path, e)))?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        files.push((rel, path, content_hash(&bytes)));
    }
    files.sort();
    let fingerprint = fingerprint(&bucket, folder, distribution.as_deref(), &files);
    Ok(Publication {
        folder,
        files,
        bucket,
        distribution,
        fingerprint,
    })
}

/// Changes with the destination, the headers and any file's path or content.
fn fingerprint(
    bucket: &str,
    folder: &PublishedFolder,
    distribution: Option<&str>,
    files: &[(String, PathBuf, String)],
) -> String {
    let mut text = format!(
        "{bucket}\0{}\0{}\0{}\0{}\0",
        folder.prefix,
        distribution.unwrap_or_default(),
        folder.document_cache_control.as_deref().unwrap_or_default(),
        folder.asset_cache_control.as_deref().unwrap_or_default(),
    );
    for (rel, _, hash) in files {
        text.push_str(&format!("{rel}\0{hash}\n"));
    }
    content_hash(text.as_bytes())
}

/// Uploads the files that changed since `previous` (the last publish's result, when it
/// went to the same bucket with the same headers), removes the objects under the prefix
/// that are no longer in the folder, then invalidates the distribution. Returns the
/// record's result.
pub async fn publish(aws: &Aws, p: &Publication<'_>, previous: Option<&Value>) -> Result<Value> {
    let failed = |what: &str| {
        format!(
            "cannot publish `{}` to `{}`: {what}",
            p.folder.folder, p.bucket
        )
    };
    let published = previous
        .filter(|v| v["bucket"] == p.bucket.as_str() && v["headers"] == headers(p.folder))
        .and_then(|v| v["hashes"].as_object());
    let changed: Vec<&(String, PathBuf, String)> = p
        .files
        .iter()
        .filter(|(rel, _, hash)| {
            published.and_then(|h| h.get(rel)).and_then(Value::as_str) != Some(hash.as_str())
        })
        .collect();
    for chunk in changed.chunks(PARALLEL_UPLOADS) {
        let mut uploads = tokio::task::JoinSet::new();
        for (rel, path, _) in chunk {
            let body = std::fs::read(path).map_err(|e| CliError::io("read", path, e))?;
            let content_type = content_type(rel);
            let cache_control = p.folder.cache_control(&content_type).map(ToOwned::to_owned);
            let request = aws
                .s3
                .put_object()
                .bucket(&p.bucket)
                .key(p.folder.key(rel))
                .set_cache_control(cache_control)
                .content_type(content_type)
                .body(body.into());
            let rel = rel.clone();
            uploads.spawn(async move { request.send().await.map_err(|e| (rel, e)) });
        }
        while let Some(done) = uploads.join_next().await {
            done.map_err(|e| CliError::new(Kind::Deploy, failed(&e.to_string())))?
                .map_err(|(rel, e)| sdk_error(failed(&format!("uploading `{rel}`")), e))?;
        }
    }
    let deleted = remove_stale(aws, p).await?;
    let invalidation = match &p.distribution {
        Some(id) => Some(invalidate(aws, p, id).await?),
        None => None,
    };
    let hashes: Map<String, Value> = p
        .files
        .iter()
        .map(|(rel, _, hash)| (rel.clone(), Value::from(hash.as_str())))
        .collect();
    let mut result = json!({
        "bucket": p.bucket,
        "files": p.files.len(),
        "uploaded": changed.len(),
        "deleted": deleted,
        "headers": headers(p.folder),
        "hashes": hashes,
    });
    if let Some(id) = invalidation {
        result["invalidation"] = Value::String(id);
    }
    Ok(result)
}

/// The headers every object was uploaded with: a change uploads every file again.
fn headers(folder: &PublishedFolder) -> Value {
    json!([folder.document_cache_control, folder.asset_cache_control])
}

/// The content type a browser needs for the file (HTML, CSS, JS, WebAssembly…).
fn content_type(rel: &str) -> String {
    mime_guess::from_path(rel)
        .first_or_octet_stream()
        .essence_str()
        .to_owned()
}

/// Deletes the objects under the folder's prefix that it no longer has.
async fn remove_stale(aws: &Aws, p: &Publication<'_>) -> Result<usize> {
    let keep: std::collections::BTreeSet<String> = p
        .files
        .iter()
        .map(|(rel, _, _)| p.folder.key(rel))
        .collect();
    let prefix = p.folder.key("");
    let mut stale = Vec::new();
    let mut pages = aws
        .s3
        .list_objects_v2()
        .bucket(&p.bucket)
        .prefix(&prefix)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| sdk_error(format!("cannot list `{}`", p.bucket), e))?;
        stale.extend(
            page.contents()
                .iter()
                .filter_map(|o| o.key())
                .filter(|k| !keep.contains(*k))
                .map(ToOwned::to_owned),
        );
    }
    for batch in stale.chunks(1000) {
        let objects = batch
            .iter()
            .map(|k| ObjectIdentifier::builder().key(k).build())
            .collect::<std::result::Result<Vec<_>, _>>()
            .expect("every identifier has its key");
        let delete = Delete::builder()
            .set_objects(Some(objects))
            .quiet(true)
            .build()
            .expect("the batch has its objects");
        aws.s3
            .delete_objects()
            .bucket(&p.bucket)
            .delete(delete)
            .send()
            .await
            .map_err(|e| sdk_error(format!("cannot remove old files from `{}`", p.bucket), e))?;
    }
    Ok(stale.len())
}

/// Invalidates everything under the prefix; the fingerprint is the caller reference,
/// so a retried publish of the same files asks once.
async fn invalidate(aws: &Aws, p: &Publication<'_>, distribution: &str) -> Result<String> {
    let path = format!("/{}*", p.folder.key(""));
    let batch = InvalidationBatch::builder()
        .caller_reference(&p.fingerprint)
        .paths(
            Paths::builder()
                .quantity(1)
                .items(path)
                .build()
                .expect("quantity is set"),
        )
        .build()
        .expect("both fields are set");
    let created = aws
        .cloudfront
        .create_invalidation()
        .distribution_id(distribution)
        .invalidation_batch(batch)
        .send()
        .await
        .map_err(|e| {
            sdk_error(
                format!("cannot invalidate the CloudFront distribution `{distribution}`"),
                e,
            )
        })?;
    Ok(created
        .invalidation()
        .map(|i| i.id().to_owned())
        .unwrap_or_default())
}

/// Runs every published folder's build command, in plan order (`cargo amplify publish`).
pub fn build_all(project: &Project, plan: &Plan) -> Result<()> {
    for (stack, folder) in folders(plan) {
        let Some(build) = &folder.build else {
            continue;
        };
        let dir: &Path = &project.root.join(&build.dir);
        eprintln!("Building {} of {}: {build} …", folder.folder, stack.name);
        let failed = |what: String| {
            CliError::input(format!(
                "the build of `{}` for `{}` (`{build}` in `{}`) {what}",
                folder.folder,
                stack.name,
                dir.display()
            ))
        };
        let status = Command::new(&build.program)
            .args(&build.args)
            .current_dir(dir)
            .status()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => {
                    failed(format!("cannot start: `{}` is not on PATH", build.program)).help(
                        format!(
                            "install `{}`, or change the build command in the declaration",
                            build.program
                        ),
                    )
                }
                _ => failed(format!("cannot start: {e}")),
            })?;
        if !status.success() {
            return Err(failed(format!("exited with {status}")).help(
                "fix the build (its output is above) and publish again; nothing was deployed",
            ));
        }
        if !project.root.join(&folder.folder).is_dir() {
            return Err(failed(format!("did not create `{}`", folder.folder)).help(
                "make the build write there, or point the declaration at the folder it writes",
            ));
        }
    }
    Ok(())
}
