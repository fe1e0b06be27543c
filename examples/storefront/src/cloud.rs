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

    /// Shoppers sign in with their e-mail address; guests browse through the identity pool.
    #[auth(sign_in = [email], groups = [Staff], identity_pool(guest_access = true))]
    pub struct ShopAuth;

    /// Answers the REST routes of both APIs (Python, run as it is).
    #[function(runtime = python(code = "functions/orders"), timeout = 10)]
    pub struct Orders;

    /// The shop's REST API, Amplify's way: the catalogue is open, orders are for
    /// signed-in users and staff, through the identity pool's roles (SigV4-signed calls).
    #[rest_api(
        path(route = "/products", function = Orders),
        path(route = "/orders", function = Orders, authenticated = [create, read], groups(Staff = [read, delete])),
        path(route = "/orders/{id}", function = Orders, authenticated = [read], guest = [read]),
    )]
    pub struct ShopApi;

    /// The shopper's own account, checked by a Cognito user-pool authorizer: the caller's
    /// token is the ticket; only reading is declared, so other methods do not exist.
    #[rest_api(authorizer = user_pool, path(route = "/me", function = Orders, authenticated = [read]))]
    pub struct AccountApi;

    /// Takes tea orders by chat: an Amazon Lex V2 bot fulfilled by `Orders` (Amplify's
    /// interactions). The local cloud has no Lex, so local pushes leave it out.
    #[bot(
        function = Orders,
        guest = true,
        intent(
            name = OrderTea,
            utterances = ["I want to order tea", "Order {Tea} tea"],
            slot(name = Tea, values = ["green", "black", "oolong"], prompt = "Which tea would you like?"),
            slot(name = Boxes, type = "AMAZON.Number", prompt = "How many boxes?"),
            confirm = "Order {Boxes} boxes of {Tea} tea?",
        ),
    )]
    pub struct ShopBot;

    /// Order confirmations by e-mail (Amazon SES), delivery updates by SMS and push (AWS
    /// End User Messaging). The push channels' keys are read from `SHOP_APNS_KEY` and
    /// `SHOP_FCM_JSON` when push configures them, never written down. The local cloud has
    /// no End User Messaging, so local pushes leave it out.
    #[notifications(
        email(from = "orders@shop.example", identity = "shop.example"),
        sms,
        push(
            apns(
                bundle_id = "com.example.shop",
                team_id = "ABCDE12345",
                key_id = "KEY1234567",
                key_from = "SHOP_APNS_KEY"
            ),
            fcm(service_json_from = "SHOP_FCM_JSON"),
        )
    )]
    pub struct ShopNotices;

    /// What visitors do on the site, put by the web front (signed-in users and guests)
    /// into a Kinesis stream: Amplify's analytics on today's service.
    #[analytics(shards = 1, guest = true)]
    pub struct Clicks;
}
