//! The site's nested stack: a private bucket, CloudFront in front of it signing its
//! requests with origin access control, and a bucket policy that lets only that
//! distribution read. Logical ids and outputs are Amplify's `S3AndCloudFront` ones, so
//! clients and an adopted Gen 1 site keep working.

use super::{HostingSpec, SITE_ASSET};
use crate::category::stack::{description, NestedStack};
use crate::cfn::policy;
use crate::cfn::{list, obj, Resource, Template, Value};
use crate::plan::{Asset, PublishedFolder};

/// AWS's managed `CachingOptimized` policy: honours the `Cache-Control` the objects are
/// uploaded with, compresses, ignores cookies and query strings.
const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";
const ORIGIN: &str = "hostingS3Bucket";

/// The nested stack of the site, with its folder to publish.
pub(super) fn nested_stack(spec: &HostingSpec) -> NestedStack {
    let mut t = Template::new(description("hosting-S3AndCloudFront"));
    t.string_param("env").describe("Amplify environment name");
    t.resource("S3Bucket", bucket());
    t.resource(
        "OriginAccessControl",
        Resource::new("AWS::CloudFront::OriginAccessControl").prop(
            "OriginAccessControlConfig",
            obj([
                // Unique in the account, at most 64 characters: the bucket's name.
                ("Name", Value::sub("${S3Bucket}")),
                ("Description", Value::sub("Reads the site of ${env}")),
                ("OriginAccessControlOriginType", "s3".into()),
                ("SigningBehavior", "always".into()),
                ("SigningProtocol", "sigv4".into()),
            ]),
        ),
    );
    t.resource("CloudFrontDistribution", distribution(spec));
    t.resource("PrivateBucketPolicy", bucket_policy());

    t.output("Region", Value::r#ref("AWS::Region"));
    t.output("HostingBucketName", Value::r#ref("S3Bucket"));
    t.output(
        "S3BucketSecureURL",
        Value::Join(
            String::new(),
            vec!["https://".into(), Value::get_att("S3Bucket", "DomainName")],
        ),
    );
    t.output(
        "CloudFrontDistributionID",
        Value::r#ref("CloudFrontDistribution"),
    );
    t.output(
        "CloudFrontDomainName",
        Value::get_att("CloudFrontDistribution", "DomainName"),
    );
    t.output(
        "CloudFrontSecureURL",
        Value::Join(
            String::new(),
            vec![
                "https://".into(),
                Value::get_att("CloudFrontDistribution", "DomainName"),
            ],
        ),
    );
    t.output(
        "CloudFrontOriginAccessControl",
        Value::get_att("OriginAccessControl", "Id"),
    );

    let mut stack = NestedStack::new(t, "template.json");
    stack.assets.push(Asset::PublishedFolder(PublishedFolder {
        id: SITE_ASSET.into(),
        folder: spec.site.clone(),
        build: spec.build.clone(),
        bucket_output: "HostingBucketName".into(),
        prefix: String::new(),
        distribution_output: Some("CloudFrontDistributionID".into()),
        document_cache_control: Some("no-cache".into()),
        asset_cache_control: Some(format!("public, max-age={}", spec.max_age)),
    }));
    stack
}

/// Private, encrypted; its files are rebuilt from the project, so neither versions nor
/// retention are kept.
fn bucket() -> Resource {
    policy::private_bucket()
        .prop(
            "Tags",
            list([obj([
                ("Key", Value::from("amplify:env")),
                ("Value", Value::r#ref("env")),
            ])]),
        )
        .checkov_skip(
            "CKV_AWS_18",
            "CloudFront serves the site; its requests to the bucket are the distribution's, which can log on its own",
        )
        .checkov_skip(
            "CKV_AWS_21",
            "the site's files are build output, published again from the project by `cargo amplify publish`",
        )
}

fn distribution(spec: &HostingSpec) -> Resource {
    let mut config = vec![
        ("Enabled", Value::from(true)),
        ("Comment", Value::sub("Amplify site of ${env}")),
        ("HttpVersion", "http2and3".into()),
        ("DefaultRootObject", spec.index.as_str().into()),
        (
            "Origins",
            list([obj([
                ("Id", Value::from(ORIGIN)),
                (
                    "DomainName",
                    Value::get_att("S3Bucket", "RegionalDomainName"),
                ),
                (
                    "OriginAccessControlId",
                    Value::get_att("OriginAccessControl", "Id"),
                ),
                // Required with an S3 origin; empty: access goes through the OAC.
                (
                    "S3OriginConfig",
                    obj([("OriginAccessIdentity", Value::from(""))]),
                ),
            ])]),
        ),
        (
            "DefaultCacheBehavior",
            obj([
                ("TargetOriginId", Value::from(ORIGIN)),
                ("ViewerProtocolPolicy", "redirect-to-https".into()),
                ("AllowedMethods", vec!["GET", "HEAD", "OPTIONS"].into()),
                ("CachedMethods", vec!["GET", "HEAD"].into()),
                ("CachePolicyId", CACHING_OPTIMIZED.into()),
                ("Compress", true.into()),
            ]),
        ),
    ];
    if spec.spa {
        // Without list permission S3 answers 403 for a missing key: both codes are the
        // app's own routes.
        let page = format!("/{}", spec.index);
        let fallback = |code: u32| {
            obj([
                ("ErrorCode", Value::from(code)),
                ("ResponseCode", 200u32.into()),
                ("ResponsePagePath", page.as_str().into()),
                ("ErrorCachingMinTTL", 0u32.into()),
            ])
        };
        config.push(("CustomErrorResponses", list([fallback(403), fallback(404)])));
    }
    Resource::new("AWS::CloudFront::Distribution")
        .prop("DistributionConfig", obj(config))
        .checkov_skip(
            "CKV_AWS_68",
            "a WAF web ACL is billed monthly per rule; attach one to the distribution where the site needs it",
        )
        .checkov_skip(
            "CKV_AWS_86",
            "access logs need a log bucket and are billed; enable them per site when auditing requires it",
        )
        .checkov_skip(
            "CKV_AWS_174",
            "the default *.cloudfront.net certificate fixes the TLS policy; a custom domain's certificate sets TLSv1.2_2021",
        )
        .checkov_skip(
            "CKV_AWS_310",
            "one origin: the site's bucket, in the stack's region",
        )
        .checkov_skip(
            "CKV_AWS_374",
            "a public site serves every country; restrict per site where required",
        )
}

/// Reads by this distribution only (the OAC's signed requests), over TLS only.
fn bucket_policy() -> Resource {
    let objects = Value::Join(
        String::new(),
        vec![Value::get_att("S3Bucket", "Arn"), "/*".into()],
    );
    Resource::new("AWS::S3::BucketPolicy")
        .prop("Bucket", Value::r#ref("S3Bucket"))
        .prop(
            "PolicyDocument",
            policy::document(vec![
                obj([
                    ("Sid", Value::from("CloudFrontReadsTheSite")),
                    ("Effect", "Allow".into()),
                    (
                        "Principal",
                        obj([("Service", Value::from("cloudfront.amazonaws.com"))]),
                    ),
                    ("Action", "s3:GetObject".into()),
                    ("Resource", objects.clone()),
                    (
                        "Condition",
                        obj([(
                            "StringEquals",
                            obj([(
                                "AWS:SourceArn",
                                Value::sub("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${CloudFrontDistribution}"),
                            )]),
                        )]),
                    ),
                ]),
                obj([
                    ("Sid", Value::from("DenyInsecureTransport")),
                    ("Effect", "Deny".into()),
                    ("Principal", "*".into()),
                    ("Action", "s3:*".into()),
                    (
                        "Resource",
                        list([Value::get_att("S3Bucket", "Arn"), objects]),
                    ),
                    (
                        "Condition",
                        obj([("Bool", obj([("aws:SecureTransport", "false".into())]))]),
                    ),
                ]),
            ]),
        )
}
