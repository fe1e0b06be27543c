//! The categories beyond the basics in generated backends: REST APIs, bots, notifications,
//! analytics, a hosted site, and the third-party example categories.

use std::fmt::Write as _;

use proptest::prelude::*;

use super::{permissions, Backend};

#[derive(Debug, Clone)]
struct Rest {
    user_pool: bool,
    /// `(route choice, access bits)`: bits 0–3 signed-in operations, 4–7 guests'.
    routes: Vec<(usize, u8, u8)>,
}

#[derive(Debug, Clone)]
struct Bot {
    locale: usize,
    guest: bool,
    ttl: u32,
    child_directed: bool,
    fulfilled: bool,
    /// Per intent: slots as `(built-in type choice or None for values)`, and a confirmation.
    intents: Vec<(Vec<Option<usize>>, bool)>,
}

#[derive(Debug, Clone)]
struct Notices {
    email: Option<bool>,
    sms: bool,
    apns: Option<bool>,
    fcm: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Extras {
    /// `#[queue]`: visibility timeout, dead letter, a consumer.
    queue: Option<(u32, bool, bool)>,
    /// `#[seeded_table]`: a change consumer.
    seeded: Option<bool>,
    rest: Vec<Rest>,
    bot: Option<Bot>,
    notices: Option<Notices>,
    analytics: Option<(Option<u32>, u32, bool)>,
    hosting: Option<(bool, u32)>,
}

/// Routes that may appear together: at each level one parameter name.
const ROUTES: &[&str] = &[
    "/",
    "/items",
    "/items/{id}",
    "/items/{id}/tags",
    "/health-check",
    "/v1_orders/{orderId}",
    "/reports/daily",
];
const OPERATIONS: &[&str] = &["create", "read", "update", "delete"];
const LOCALES: &[&str] = &["en_US", "en_GB", "de_DE", "fr_FR", "ja_JP"];
const SLOT_TYPES: &[&str] = &[
    "AMAZON.Number",
    "AMAZON.Date",
    "AMAZON.City",
    "AMAZON.FreeFormInput",
];

fn rest() -> impl Strategy<Value = Rest> {
    (
        any::<bool>(),
        prop::collection::vec((0..ROUTES.len(), any::<u8>(), any::<u8>()), 1..=4),
    )
        .prop_map(|(user_pool, routes)| Rest { user_pool, routes })
}

fn bot() -> impl Strategy<Value = Bot> {
    let intent = (
        prop::collection::vec(prop::option::of(0..SLOT_TYPES.len()), 0..=3),
        any::<bool>(),
    );
    (
        0..LOCALES.len(),
        any::<bool>(),
        60u32..=86_400,
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(intent, 1..=3),
    )
        .prop_map(
            |(locale, guest, ttl, child_directed, fulfilled, intents)| Bot {
                locale,
                guest,
                ttl,
                child_directed,
                fulfilled,
                intents,
            },
        )
}

fn notices() -> impl Strategy<Value = Notices> {
    (
        prop::option::of(any::<bool>()),
        any::<bool>(),
        prop::option::of(any::<bool>()),
        any::<bool>(),
    )
        .prop_map(|(email, sms, apns, fcm)| Notices {
            email,
            sms,
            apns,
            fcm,
        })
}

pub(super) fn extras() -> impl Strategy<Value = Extras> {
    (
        prop::option::of((0u32..=43_200, any::<bool>(), any::<bool>())),
        prop::option::of(any::<bool>()),
        prop::collection::vec(rest(), 0..=2),
        prop::option::of(bot()),
        prop::option::of(notices()),
        prop::option::of((prop::option::of(1u32..=500), 24u32..=8760, any::<bool>())),
        prop::option::of((any::<bool>(), 0u32..=31_536_000)),
    )
        .prop_map(
            |(queue, seeded, rest, bot, notices, analytics, hosting)| Extras {
                queue,
                seeded,
                rest,
                bot,
                notices,
                analytics,
                hosting,
            },
        )
}

/// The categories beyond the basics, each only where the backend can serve it (a REST
/// API needs a function; access rules and bots the identity pool they need).
pub(super) fn render_extras(b: &Backend, s: &mut String, files: &mut Vec<(String, String)>) {
    if let Some((timeout, dead_letter, consumer)) = &b.extras.queue {
        let mut keys = vec![format!("visibility_timeout = {timeout}")];
        if *dead_letter {
            keys.push("dead_letter(max_receives = 5)".into());
        }
        if *consumer && !b.functions.is_empty() {
            keys.push(format!("consumer = Fn{}", b.functions.len() - 1));
        }
        writeln!(
            s,
            "    #[queue({})]\n    pub struct Queue;",
            keys.join(", ")
        )
        .unwrap();
    }
    if let Some(on_change) = &b.extras.seeded {
        files.push(("seed/rows.json".into(), "[{\"code\": \"a\"}]\n".into()));
        let on_change = match (on_change, b.functions.is_empty()) {
            (true, false) => ", on_change = Fn0".to_owned(),
            _ => String::new(),
        };
        writeln!(
            s,
            "    #[seeded_table(partition_key = \"code\", seed = \"seed/rows.json\"{on_change})]\n    pub struct Seeded;"
        )
        .unwrap();
    }
    let pool = b.auth.as_ref().and_then(|a| a.identity_pool);
    let groups = b
        .auth
        .as_ref()
        .map(|a| a.groups.clone())
        .unwrap_or_default();
    for (i, rest) in b.extras.rest.iter().enumerate() {
        if b.functions.is_empty() {
            break;
        }
        let user_pool = rest.user_pool && b.auth.is_some();
        let mut keys = Vec::new();
        if user_pool {
            keys.push("authorizer = user_pool".to_owned());
        }
        let mut used = Vec::new();
        for (n, (route, signed_in, guests)) in rest.routes.iter().enumerate() {
            let route = ROUTES[*route];
            if used.contains(&route) {
                continue;
            }
            used.push(route);
            let mut path = vec![
                format!("route = \"{route}\""),
                format!("function = Fn{}", n % b.functions.len()),
            ];
            let restricted = user_pool || pool.is_some();
            if restricted && signed_in & 0x0f != 0 {
                path.push(format!(
                    "authenticated = {}",
                    permissions(OPERATIONS, *signed_in)
                ));
            }
            if !user_pool && pool == Some(true) && guests & 0x0f != 0 {
                path.push(format!("guest = {}", permissions(OPERATIONS, *guests)));
            }
            if !user_pool && pool.is_some() && guests & 0x10 != 0 {
                if let Some(g) = groups.get(usize::from(guests >> 5) % 4) {
                    path.push(format!(
                        "groups({g} = {})",
                        permissions(OPERATIONS, guests >> 4)
                    ));
                }
            }
            keys.push(format!("path({})", path.join(", ")));
        }
        writeln!(
            s,
            "    #[rest_api({})]\n    pub struct Rest{i};",
            keys.join(", ")
        )
        .unwrap();
    }
    if let (Some(bot), Some(pool)) = (&b.extras.bot, pool) {
        let mut keys = vec![
            format!("locale = \"{}\"", LOCALES[bot.locale]),
            format!("idle_session_ttl = {}", bot.ttl),
        ];
        if bot.guest && pool {
            keys.push("guest".into());
        }
        if bot.child_directed {
            keys.push("child_directed".into());
        }
        if bot.fulfilled && !b.functions.is_empty() {
            keys.push("function = Fn0".into());
        }
        for (n, (slots, confirm)) in bot.intents.iter().enumerate() {
            let mut intent = vec![format!("name = Intent{n}")];
            let names: Vec<String> = (0..slots.len()).map(|k| format!("Slot{k}")).collect();
            let mut utterances = vec![format!("\"start intent {n}\"")];
            if !names.is_empty() {
                let named: Vec<String> = names.iter().map(|n| format!("{{{n}}}")).collect();
                utterances.push(format!("\"intent {n} with {}\"", named.join(" and ")));
            }
            intent.push(format!("utterances = [{}]", utterances.join(", ")));
            for (k, slot) in slots.iter().enumerate() {
                let kind = match slot {
                    Some(t) => format!("type = \"{}\"", SLOT_TYPES[*t]),
                    None => "values = [\"small\", \"large\"]".to_owned(),
                };
                intent.push(format!(
                    "slot(name = Slot{k}, {kind}, prompt = \"Which {k}?\")"
                ));
            }
            if *confirm {
                let about = names
                    .first()
                    .map(|n| format!(" {{{n}}}"))
                    .unwrap_or_default();
                intent.push(format!("confirm = \"Go ahead with{about}?\""));
            }
            keys.push(format!("intent({})", intent.join(", ")));
        }
        writeln!(s, "    #[bot({})]\n    pub struct Bot;", keys.join(", ")).unwrap();
    }
    if let Some(n) = &b.extras.notices {
        let mut keys = Vec::new();
        match n.email {
            Some(true) => keys.push(
                "email(from = \"news@mail.example\", identity = \"mail.example\")".to_owned(),
            ),
            Some(false) => keys.push("email(from = \"news@mail.example\")".to_owned()),
            None => {}
        }
        if n.sms {
            keys.push("sms".into());
        }
        let mut push = Vec::new();
        if let Some(sandbox) = n.apns {
            let sandbox = if sandbox { ", sandbox" } else { "" };
            push.push(format!("apns(bundle_id = \"com.example.app\", team_id = \"ABCDE12345\", key_id = \"KEY1234567\", key_from = \"APNS_KEY\"{sandbox})"));
        }
        if n.fcm {
            push.push("fcm(service_json_from = \"FCM_JSON\")".to_owned());
        }
        if !push.is_empty() {
            keys.push(format!("push({})", push.join(", ")));
        }
        if !keys.is_empty() {
            writeln!(
                s,
                "    #[notifications({})]\n    pub struct Notices;",
                keys.join(", ")
            )
            .unwrap();
        }
    }
    if let Some((shards, retention, guest)) = &b.extras.analytics {
        let mut keys = vec![format!("retention_hours = {retention}")];
        if let Some(shards) = shards {
            keys.push(format!("shards = {shards}"));
        }
        if *guest {
            keys.push("guest".into());
        }
        writeln!(
            s,
            "    #[analytics({})]\n    pub struct Events;",
            keys.join(", ")
        )
        .unwrap();
    }
    if let Some((spa, max_age)) = &b.extras.hosting {
        files.push(("site/index.html".into(), "<h1>site</h1>\n".into()));
        let spa = if *spa { "" } else { ", spa = false" };
        writeln!(
            s,
            "    #[hosting(site = \"site\", max_age = {max_age}{spa})]\n    pub struct Site;"
        )
        .unwrap();
    }
}
