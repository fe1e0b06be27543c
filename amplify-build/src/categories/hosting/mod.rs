//! `#[hosting(...)]`: a static site or single-page app served by CloudFront from a
//! private S3 bucket (Amplify's `S3AndCloudFront`, with origin access control in place of
//! the retired origin access identity). The site's folder is a published-folder asset
//! ([`crate::plan::PublishedFolder`]): `cargo amplify publish` runs the declared build,
//! deploys, uploads the files that changed with their content types and cache headers,
//! removes deleted ones and invalidates the distribution.

mod decl;
mod synth;

use crate::category::model::Backend;
use crate::category::stack::{NestedStack, StackContext};
use crate::category::{Category, Declared, Descriptor, OutputDef, ParseContext};
use crate::decl::args::ArgReader;
use crate::decl::diagnostics::Diagnostics;
use crate::plan::{BuildCommand, ClientFile, ClientFragment, Fragment};

/// The hosting category (S3 and CloudFront).
pub struct Hosting;

/// `#[hosting(...)]`: one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostingSpec {
    /// The folder served, relative to the crate root (`web/dist`).
    pub site: String,
    /// The command that builds it, run by `cargo amplify publish`.
    pub build: Option<BuildCommand>,
    /// The page served for `/` (and, for a single-page app, for unknown paths).
    pub index: String,
    /// Unknown paths answer with the index page and status 200 (client-side routing).
    pub spa: bool,
    /// How long browsers and CloudFront keep files other than HTML pages, in seconds.
    pub max_age: u32,
}

const KEYS: &[&str] = &["site", "build", "build_dir", "index", "spa", "max_age"];

/// The id of the site's published folder (its record in `amplify-meta.json`).
pub const SITE_ASSET: &str = "site";

impl Category for Hosting {
    type Spec = HostingSpec;

    fn console_page(&self) -> Option<&'static str> {
        Some("https://us-east-1.console.aws.amazon.com/cloudfront/v4/home#/distributions/{CloudFrontDistributionID}")
    }

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "hosting",
            category: "hosting",
            service: "S3AndCloudFront",
            keys: KEYS,
            import: None,
            import_derived: &[],
            exportable: true,
            local_cloud: true,
        }
    }

    fn parse(&self, args: &mut ArgReader<'_>, cx: &ParseContext<'_>) -> Option<HostingSpec> {
        decl::parse(args, cx)
    }

    fn check(&self, it: Declared<'_, HostingSpec>, backend: &Backend, cx: &Diagnostics) {
        // Amplify serves one site per backend: its client config has one
        // `aws_content_delivery_*` set, and the CLI one `S3AndCloudFront` resource.
        let first = backend
            .resources
            .iter()
            .find(|r| r.is_a::<HostingSpec>())
            .expect("this resource is one");
        if first.ident != it.ident {
            cx.error(
                it.span,
                format!(
                    "a backend has one `#[hosting]` site, and `{}` is already declared; serve both from one site folder, or give the second its own backend",
                    first.ident
                ),
            );
        }
    }

    fn outputs(&self, _: Option<&HostingSpec>) -> Vec<OutputDef> {
        vec![
            OutputDef::new("Region").accessor("region", "The bucket's region."),
            OutputDef::new("HostingBucketName")
                .accessor("bucket_name", "The S3 bucket the site's files are in."),
            OutputDef::new("S3BucketSecureURL"),
            OutputDef::new("CloudFrontDistributionID")
                .accessor("distribution_id", "The CloudFront distribution's id."),
            OutputDef::new("CloudFrontDomainName"),
            OutputDef::new("CloudFrontSecureURL")
                .accessor("url", "The site's address (https://…cloudfront.net).")
                .in_status("Hosting endpoint"),
            OutputDef::new("CloudFrontOriginAccessControl"),
        ]
    }

    fn synthesize(&self, it: Declared<'_, HostingSpec>, _: &StackContext<'_>) -> NestedStack {
        synth::nested_stack(it.spec)
    }

    fn client_config(&self, _: Declared<'_, HostingSpec>, _: &Backend) -> Vec<ClientFragment> {
        // The keys Amplify JS's config reads (`aws_content_delivery_*`); Gen 2's
        // `amplify_outputs.json` has no hosting section, so the site is under `custom`.
        vec![
            ClientFragment {
                file: ClientFile::AwsExports,
                value: Fragment::object([
                    (
                        "aws_content_delivery_bucket",
                        Fragment::output("HostingBucketName"),
                    ),
                    ("aws_content_delivery_bucket_region", Fragment::Region),
                    (
                        "aws_content_delivery_url",
                        Fragment::output("CloudFrontSecureURL"),
                    ),
                ]),
            },
            ClientFragment {
                file: ClientFile::AmplifyOutputs,
                value: Fragment::object([(
                    "custom",
                    Fragment::object([(
                        "hosting",
                        Fragment::object([
                            ("bucket_name", Fragment::output("HostingBucketName")),
                            ("aws_region", Fragment::Region),
                            ("url", Fragment::output("CloudFrontSecureURL")),
                            (
                                "distribution_id",
                                Fragment::output("CloudFrontDistributionID"),
                            ),
                        ]),
                    )]),
                )]),
            },
        ]
    }
}
