//! The grammar of `#[auth(...)]`.

use super::{AuthSpec, MfaMode, PasswordPolicy, SignIn};
use crate::decl::args::{choice, wrong_type, Arg, ArgReader, ArgValue};
use crate::decl::diagnostics::{did_you_mean, Diagnostics};
use crate::decl::names;

const PASSWORD_KEYS: &[&str] = &["min_length", "lowercase", "uppercase", "numbers", "symbols"];
const IDENTITY_POOL_KEYS: &[&str] = &["guest_access", "name"];

/// The longest user-pool group name Cognito accepts.
const MAX_GROUP_NAME: usize = 128;
/// Standard Cognito attributes that can be required at sign-up.
pub const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];

/// Parses the arguments of `#[auth]`.
pub(super) fn parse(r: &mut ArgReader) -> Option<AuthSpec> {
    let cx = r.cx();
    let mut spec = AuthSpec::default();

    if let Some(arg) = r.take("sign_in") {
        if let Some(values) = arg.list(cx) {
            spec.sign_in = values
                .iter()
                .filter_map(|v| choice(cx, "sign-in method", v, &["username", "email", "phone"]))
                .map(|(m, _)| match m.as_str() {
                    "email" => SignIn::Email,
                    "phone" => SignIn::Phone,
                    _ => SignIn::Username,
                })
                .collect();
            if values.is_empty() {
                cx.error(
                    arg.span(),
                    "`sign_in` needs at least one of: username, email, phone",
                );
            }
        }
    }

    if let Some(arg) = r.take("required_attributes") {
        for value in arg.list(cx).unwrap_or_default() {
            if let Some((name, span)) =
                choice(cx, "standard attribute", &value, STANDARD_ATTRIBUTES)
            {
                if spec.required_attributes.contains(&name) {
                    cx.error(span, format!("attribute `{name}` is listed twice"));
                } else {
                    spec.required_attributes.push(name);
                }
            }
        }
    }

    if let Some(arg) = r.take("password") {
        if let Some(args) = arg.nested(cx, false) {
            let mut p = ArgReader::new(args, "`password(...)`", PASSWORD_KEYS, cx);
            let mut policy = PasswordPolicy {
                min_length: 8,
                lowercase: false,
                uppercase: false,
                numbers: false,
                symbols: false,
            };
            if let Some(a) = p.take("min_length") {
                policy.min_length = a.int(cx, 6..=99).unwrap_or(8);
            }
            for (key, slot) in [
                ("lowercase", &mut policy.lowercase),
                ("uppercase", &mut policy.uppercase),
                ("numbers", &mut policy.numbers),
                ("symbols", &mut policy.symbols),
            ] {
                if let Some(a) = p.take(key) {
                    *slot = a.flag(cx).unwrap_or(false);
                }
            }
            p.finish();
            spec.password = policy;
        }
    }

    if let Some(arg) = r.take("mfa") {
        parse_mfa(cx, &arg, &mut spec);
    }

    if let Some(arg) = r.take("groups") {
        for value in arg.list(cx).unwrap_or_default() {
            match &value {
                ArgValue::Ident(ident) => {
                    let name = ident.to_string();
                    if !name.chars().all(|c| c.is_ascii_alphanumeric()) {
                        cx.error(
                            ident.span(),
                            format!(
                                "group name `{name}` must be ASCII letters and digits only (it becomes part of CloudFormation logical ids); try `{}`",
                                crate::decl::camel_case(&name)
                            ),
                        );
                    } else if name.len() > MAX_GROUP_NAME {
                        cx.error(
                            ident.span(),
                            format!(
                                "group name `{name}` has {} characters; Cognito allows {MAX_GROUP_NAME}",
                                name.len()
                            ),
                        );
                    } else if spec.groups.contains(&name) {
                        cx.error(ident.span(), format!("group `{name}` is listed twice"));
                    } else {
                        spec.groups.push(name);
                    }
                }
                other => wrong_type(cx, &arg, other, "group names such as `[Admins, Editors]`"),
            }
        }
    }

    if let Some(arg) = r.take("identity_pool") {
        if let Some(args) = arg.nested(cx, true) {
            let mut p = ArgReader::new(args, "`identity_pool(...)`", IDENTITY_POOL_KEYS, cx);
            let guest = p
                .take("guest_access")
                .and_then(|a| a.flag(cx))
                .unwrap_or(false);
            spec.identity_pool_name = p
                .take("name")
                .and_then(|a| names::physical_name(cx, &a, &names::IDENTITY_POOL));
            p.finish();
            spec.identity_pool = Some(guest);
        }
    }

    spec.case_sensitive_usernames = r
        .take("case_sensitive_usernames")
        .and_then(|a| a.flag(cx))
        .unwrap_or(false);
    spec.user_pool_name = r
        .take("user_pool_name")
        .and_then(|a| names::physical_name(cx, &a, &names::USER_POOL));

    Some(spec)
}

/// `mfa = off | optional(totp, sms) | required(totp)`.
fn parse_mfa(cx: &Diagnostics, arg: &Arg, spec: &mut AuthSpec) {
    let Some(value) = arg.value(cx, "optional(totp)") else {
        return;
    };
    let (mode, methods, span) = match value {
        ArgValue::Ident(i) => (i.to_string(), None, i.span()),
        ArgValue::Call(i, args, span) => (i.to_string(), Some(args), *span),
        other => {
            wrong_type(
                cx,
                arg,
                other,
                "`off`, `optional(totp, sms)` or `required(totp, sms)`",
            );
            return;
        }
    };
    spec.mfa = match mode.as_str() {
        "off" => MfaMode::Off,
        "optional" => MfaMode::Optional,
        "required" => MfaMode::Required,
        _ => {
            let hint = did_you_mean(&mode, &["off", "optional", "required"])
                .map(|b| format!("did you mean `{b}`?"))
                .unwrap_or_else(|| "expected `off`, `optional(...)` or `required(...)`".into());
            cx.error(span, format!("unknown MFA mode `{mode}`; {hint}"));
            return;
        }
    };
    match (spec.mfa, methods) {
        (MfaMode::Off, Some(_)) => cx.error(span, "`mfa = off` takes no methods; write `mfa = off`"),
        (MfaMode::Off, None) => {}
        (_, None) => cx.error(
            span,
            format!("`mfa = {mode}` needs at least one method: write `mfa = {mode}(totp)` or `mfa = {mode}(totp, sms)`"),
        ),
        (_, Some(args)) => {
            if args.items.is_empty() {
                cx.error(span, format!("`mfa = {mode}()` needs at least one method: `totp` or `sms`"));
            }
            for method in &args.items {
                match method.key_text().as_str() {
                    "totp" => spec.mfa_totp = true,
                    "sms" => spec.mfa_sms = true,
                    other => cx.error(method.key_span(), format!("unknown MFA method `{other}`; expected `totp` or `sms`")),
                }
            }
        }
    }
}
