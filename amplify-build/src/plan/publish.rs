//! Published folders: files a category puts in a bucket of its own stack after the
//! deploy (a static site, a web app's assets), as opposed to the code and templates the
//! deployment itself needs.

use serde::{Deserialize, Serialize};

/// A folder of the project published after the stacks deploy, to the S3 bucket one of
/// the resource's stack outputs names: every file under [`PublishedFolder::prefix`] with
/// its content type, objects no longer in the folder removed, and then — when
/// [`PublishedFolder::distribution_output`] names one — the CloudFront distribution in
/// front of it invalidated.
///
/// `cargo amplify publish` runs [`PublishedFolder::build`] first (the site's own build,
/// as `amplify publish` does), then deploys and publishes; `cargo amplify push` publishes
/// the folder as it is whenever its files changed since the last publish, and leaves it
/// alone when it does not exist yet. Only files whose content changed are uploaded. `status` shows it; `export` leaves it out with a
/// warning (a CDK app deploys its own assets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishedFolder {
    /// Unique within the resource: the key of its record in `amplify-meta.json`.
    pub id: String,
    /// The folder, relative to the folder holding `amplify/`.
    pub folder: String,
    /// The command that (re)builds the folder, run by `cargo amplify publish`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<BuildCommand>,
    /// The stack output holding the bucket's name (checked at synthesis).
    pub bucket_output: String,
    /// Key prefix in the bucket, without a trailing `/`; empty for the bucket's root.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prefix: String,
    /// The stack output holding a CloudFront distribution's id to invalidate after each
    /// publish (checked at synthesis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution_output: Option<String>,
    /// `Cache-Control` of HTML documents (`no-cache`: a browser revalidates the page,
    /// so a publish shows at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_cache_control: Option<String>,
    /// `Cache-Control` of every other file (scripts, styles, images).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_cache_control: Option<String>,
}

impl PublishedFolder {
    /// The stack outputs it reads.
    pub fn outputs(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.bucket_output.as_str()).chain(self.distribution_output.as_deref())
    }

    /// The `Cache-Control` of a file with this content type.
    pub fn cache_control(&self, content_type: &str) -> Option<&str> {
        if content_type == "text/html" {
            self.document_cache_control.as_deref()
        } else {
            self.asset_cache_control.as_deref()
        }
    }

    /// The object key of a file at `relative` (a `/`-separated path inside the folder).
    pub fn key(&self, relative: &str) -> String {
        if self.prefix.is_empty() {
            relative.to_owned()
        } else {
            format!("{}/{relative}", self.prefix)
        }
    }
}

/// A command run to build something before it is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildCommand {
    /// The executable, found on `PATH` (`npm`, `trunk`, `cargo`).
    pub program: String,
    /// Its arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// The folder it runs in, relative to the folder holding `amplify/`; empty for that
    /// folder itself.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub dir: String,
}

impl std::fmt::Display for BuildCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.program)?;
        for arg in &self.args {
            write!(f, " {arg}")?;
        }
        Ok(())
    }
}
