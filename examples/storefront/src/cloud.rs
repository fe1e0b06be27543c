//! The storefront's backend.

#[amplify::backend]
pub mod backend {
    /// The shop's web front: `web/src` built into `web/dist` by `web/build.sh`, served by
    /// CloudFront from a private bucket. HTML pages revalidate on every visit; scripts and
    /// styles are cached for an hour.
    #[hosting(
        site = "web/dist",
        build = "sh build.sh",
        build_dir = "web",
        max_age = 3600
    )]
    pub struct Storefront;

    /// Order alerts: an SNS topic from a hand-written CloudFormation template, given the
    /// site's bucket name; its outputs get typed accessors like any resource's.
    #[custom(
        template = "custom/alerts.json",
        uses(Storefront = [HostingBucketName]),
        parameters(DisplayName = "Storefront orders")
    )]
    pub struct Alerts;

    /// What visitors do on the site, put by the web front (signed-in users and guests)
    /// into a Kinesis stream: Amplify's analytics on today's service.
    #[analytics(shards = 1, guest = true)]
    pub struct Clicks;
}
