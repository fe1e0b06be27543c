//! The grammar of `#[notifications(...)]`: the channels, each with its settings; channel
//! credentials are named by the environment variables push reads them from, never
//! written in the declaration.

use super::{Apns, Email, Fcm, NotificationsSpec, Push};
use crate::category::ParseContext;
use crate::decl::args::{Arg, ArgReader};
use crate::decl::diagnostics::Diagnostics;

const EMAIL_KEYS: &[&str] = &["from", "identity"];
const PUSH_KEYS: &[&str] = &["apns", "fcm"];
const APNS_KEYS: &[&str] = &["bundle_id", "team_id", "key_id", "key_from", "sandbox"];
const FCM_KEYS: &[&str] = &["service_json_from"];

/// Parses the arguments of `#[notifications]`.
pub(super) fn parse(r: &mut ArgReader, cx: &ParseContext<'_>) -> Option<NotificationsSpec> {
    let d = r.cx();
    let email = r.take("email");
    let sms = r.take("sms");
    let push = r.take("push");
    if email.is_none() && sms.is_none() && push.is_none() {
        d.error(cx.attr_span, "`#[notifications]` needs a channel: `email(from = \"...\")`, `sms` or `push(apns(...), fcm(...))`");
        return None;
    }
    // A channel with a mistake was reported where it is; the spec is then unusable.
    let email = match email {
        Some(a) => Some(email_channel(d, &a)?),
        None => None,
    };
    let sms = match sms {
        Some(a) => a.flag(d)?,
        None => false,
    };
    let push = match push {
        Some(a) => Some(push_channel(d, &a)?),
        None => None,
    };
    Some(NotificationsSpec { email, sms, push })
}

/// `email(from = "orders@shop.example", identity = "shop.example")`.
fn email_channel(d: &Diagnostics, arg: &Arg) -> Option<Email> {
    let mut r = ArgReader::new(arg.nested(d, false)?, "`email(...)`", EMAIL_KEYS, d);
    let from = r.take("from").and_then(|a| a.string(d));
    let identity = r.take("identity").and_then(|a| a.string(d));
    r.finish();
    let Some(from) = from else {
        d.error(
            arg.span(),
            "`email(...)` needs the sender: `from = \"orders@shop.example\"`",
        );
        return None;
    };
    let address = from.value();
    let Some((_, domain)) = address
        .split_once('@')
        .filter(|(user, domain)| !user.is_empty() && domain.contains('.'))
    else {
        d.error(
            from.span(),
            format!("`{address}` is not an e-mail address: write `from = \"orders@shop.example\"`"),
        );
        return None;
    };
    let identity = match identity {
        Some(i) if i.value() != address && i.value() != domain => {
            d.error(i.span(), format!("the identity verifies the sender: `{}` is neither `{address}` nor its domain `{domain}`", i.value()));
            return None;
        }
        Some(i) => i.value(),
        None => address.clone(),
    };
    Some(Email {
        from: address,
        identity,
    })
}

/// `push(apns(...), fcm(...))`.
fn push_channel(d: &Diagnostics, arg: &Arg) -> Option<Push> {
    let mut r = ArgReader::new(arg.nested(d, false)?, "`push(...)`", PUSH_KEYS, d);
    let apns = r.take("apns");
    let fcm = r.take("fcm");
    r.finish();
    if apns.is_none() && fcm.is_none() {
        d.error(
            arg.span(),
            "`push(...)` needs a platform: `apns(...)` (iOS) or `fcm(...)` (Android)",
        );
        return None;
    }
    let apns = match apns {
        Some(a) => Some(apns_channel(d, &a)?),
        None => None,
    };
    let fcm = match fcm {
        Some(a) => Some(fcm_channel(d, &a)?),
        None => None,
    };
    Some(Push { apns, fcm })
}

/// `apns(bundle_id = "...", team_id = "...", key_id = "...", key_from = "VAR", sandbox)`.
fn apns_channel(d: &Diagnostics, arg: &Arg) -> Option<Apns> {
    let mut r = ArgReader::new(arg.nested(d, false)?, "`apns(...)`", APNS_KEYS, d);
    let bundle_id = r.take("bundle_id").and_then(|a| a.string(d));
    let team_id = r.take("team_id").and_then(|a| a.string(d));
    let key_id = r.take("key_id").and_then(|a| a.string(d));
    let key_from = r.take("key_from");
    let sandbox = r.take("sandbox").and_then(|a| a.flag(d)).unwrap_or(false);
    r.finish();
    let (Some(bundle_id), Some(team_id), Some(key_id)) = (bundle_id, team_id, key_id) else {
        d.error(arg.span(), "`apns(...)` signs with an APNs token key: write `bundle_id = \"com.example.app\", team_id = \"ABCDE12345\", key_id = \"ABC123DEFG\", key_from = \"APNS_KEY\"`");
        return None;
    };
    for (id, what) in [(&team_id, "team_id"), (&key_id, "key_id")] {
        let v = id.value();
        if v.len() != 10
            || !v
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            d.error(
                id.span(),
                format!("Apple's `{what}` is 10 capital letters and digits, not `{v}`"),
            );
        }
    }
    let key_variable = variable(d, arg, key_from, "key_from", "the .p8 token key's contents")?;
    Some(Apns {
        bundle_id: bundle_id.value(),
        team_id: team_id.value(),
        key_id: key_id.value(),
        key_variable,
        sandbox,
    })
}

/// `fcm(service_json_from = "VAR")`.
fn fcm_channel(d: &Diagnostics, arg: &Arg) -> Option<Fcm> {
    let mut r = ArgReader::new(arg.nested(d, false)?, "`fcm(...)`", FCM_KEYS, d);
    let from = r.take("service_json_from");
    r.finish();
    let service_json_variable = variable(
        d,
        arg,
        from,
        "service_json_from",
        "the Firebase service account JSON",
    )?;
    Some(Fcm {
        service_json_variable,
    })
}

/// The environment variable a secret is read from, named in the declaration.
fn variable(
    d: &Diagnostics,
    within: &Arg,
    arg: Option<Arg>,
    key: &str,
    what: &str,
) -> Option<String> {
    let Some(arg) = arg else {
        d.error(within.span(), format!("name the environment variable push reads {what} from: `{key} = \"MY_VARIABLE\"` (never the secret itself)"));
        return None;
    };
    let name = arg.string(d)?;
    let text = name.value();
    let valid = text.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
        && text
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        d.error(name.span(), format!("`{key}` names an environment variable (capital letters, digits, `_`), not `{text}`: the secret itself never goes in the declaration"));
        return None;
    }
    Some(text)
}
