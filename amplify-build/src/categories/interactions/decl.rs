//! The grammar of `#[bot(...)]`: a locale, intents with sample utterances, slots (a
//! built-in Lex type or a list of values) and a confirmation prompt, and the checks that
//! need nothing else (slots an utterance names exist, names Lex accepts).

use proc_macro2::Span;

use super::{BotSpec, Intent, Slot, SlotKind};
use crate::category::model::Reference;
use crate::category::ParseContext;
use crate::decl::args::{Arg, ArgReader, ArgValue, Unit};
use crate::decl::diagnostics::Diagnostics;

/// Lex V2's locales.
pub(super) const LOCALES: &[&str] = &[
    "ca_ES", "de_AT", "de_DE", "en_AU", "en_GB", "en_IE", "en_IN", "en_NZ", "en_US", "en_ZA",
    "es_419", "es_ES", "es_US", "fi_FI", "fr_CA", "fr_FR", "hi_IN", "it_IT", "ja_JP", "ko_KR",
    "nl_NL", "no_NO", "pl_PL", "pt_BR", "pt_PT", "sv_SE", "zh_CN", "zh_HK",
];

/// Lex V2's built-in slot types a declaration may name.
pub(super) const BUILT_IN_SLOT_TYPES: &[&str] = &[
    "AMAZON.AlphaNumeric",
    "AMAZON.City",
    "AMAZON.Confirmation",
    "AMAZON.Country",
    "AMAZON.Date",
    "AMAZON.Duration",
    "AMAZON.EmailAddress",
    "AMAZON.FirstName",
    "AMAZON.FreeFormInput",
    "AMAZON.LastName",
    "AMAZON.Number",
    "AMAZON.Percentage",
    "AMAZON.PhoneNumber",
    "AMAZON.State",
    "AMAZON.StreetName",
    "AMAZON.Time",
    "AMAZON.UKPostalCode",
];

const INTENT_KEYS: &[&str] = &["name", "utterances", "slot", "confirm"];
const SLOT_KEYS: &[&str] = &["name", "type", "values", "prompt", "optional"];

/// Parses the arguments of `#[bot]`.
pub(super) fn parse(r: &mut ArgReader, cx: &ParseContext<'_>) -> Option<BotSpec> {
    let d = r.cx();
    // Every key is taken before any is judged, so one mistake is one error.
    let locale = r.take("locale");
    let function = r.take("function");
    let guest = r.take("guest");
    let ttl = r.take("idle_session_ttl");
    let child_directed = r.take("child_directed");
    let declared = r.take_all("intent");
    let locale = match locale.and_then(|a| a.string(d)) {
        Some(l) if !LOCALES.contains(&l.value().as_str()) => {
            let hint = crate::decl::diagnostics::did_you_mean(&l.value(), LOCALES)
                .map(|b| format!("did you mean `{b}`?"))
                .unwrap_or_else(|| format!("Lex V2 has: {}", LOCALES.join(", ")));
            d.error(
                l.span(),
                format!("`{}` is not a Lex V2 locale; {hint}", l.value()),
            );
            return None;
        }
        Some(l) => l.value(),
        None => "en_US".to_owned(),
    };
    let function = match function {
        Some(f) => match f.value(d, "Fulfil")? {
            ArgValue::Ident(ident) => Some(Reference::to(ident)),
            other => {
                d.error(other.span(), format!("`function` names a `#[function]` struct of this module, found {}: write `function = Fulfil`", other.describe()));
                return None;
            }
        },
        None => None,
    };
    let guest = guest.and_then(|a| a.flag(d)).unwrap_or(false);
    let child_directed = child_directed.and_then(|a| a.flag(d)).unwrap_or(false);
    let idle_session_ttl = ttl
        .and_then(|a| a.quantity(d, 60..=86_400, Unit::Seconds))
        .unwrap_or(300);
    if declared.is_empty() {
        d.error(cx.attr_span, "`#[bot]` needs at least one intent: `intent(name = OrderFlowers, utterances = [\"I want flowers\"])`");
        return None;
    }
    let intents: Vec<Intent> = declared.iter().filter_map(|a| intent(d, a)).collect();
    let mut seen: Vec<&str> = Vec::new();
    for i in &intents {
        if seen.contains(&i.name.as_str()) {
            d.error(i.span, format!("intent `{}` is declared twice", i.name));
        }
        seen.push(&i.name);
    }
    Some(BotSpec {
        locale,
        function,
        guest,
        idle_session_ttl,
        child_directed,
        intents,
    })
}

/// `intent(name = X, utterances = [...], slot(...), confirm = "...")`.
fn intent(d: &Diagnostics, arg: &Arg) -> Option<Intent> {
    let mut r = ArgReader::new(arg.nested(d, false)?, "`intent(...)`", INTENT_KEYS, d);
    let name = r.take("name");
    let utterances = r.take("utterances");
    let slots = r.take_all("slot");
    let confirm = r.take("confirm").and_then(|a| a.string(d));
    r.finish();
    let (name, span) = lex_name(d, arg, name, "intent", "OrderFlowers")?;
    // A slot with a mistake is still a slot utterances may name: one mistake, one error.
    let mut named: Vec<String> = Vec::new();
    let slots: Vec<Slot> = slots
        .iter()
        .filter_map(|a| match slot(d, a) {
            Ok(s) => {
                named.push(s.name.clone());
                Some(s)
            }
            Err(name) => {
                named.extend(name);
                None
            }
        })
        .collect();
    let mut utterance_list = Vec::new();
    match utterances.as_ref().and_then(|a| a.list(d)) {
        Some(values) if !values.is_empty() => {
            for v in values {
                let ArgValue::Str(text) = v else {
                    d.error(
                        v.span(),
                        "an utterance is a string: `\"I would like flowers\"`",
                    );
                    continue;
                };
                check_utterance(d, &text.value(), text.span(), &named);
                utterance_list.push(text.value());
            }
        }
        _ => {
            d.error(span, format!("intent `{name}` needs sample utterances: `utterances = [\"...\"]`, what users say to start it"));
            return None;
        }
    }
    if let Some(c) = &confirm {
        check_utterance(d, &c.value(), c.span(), &named);
    }
    Some(Intent {
        name,
        span,
        utterances: utterance_list,
        slots,
        confirm: confirm.map(|c| c.value()),
    })
}

/// `slot(name = X, type = "AMAZON.Date" | values = [...], prompt = "...", optional)`;
/// a mistake gives the slot's name, when it has one.
fn slot(d: &Diagnostics, arg: &Arg) -> Result<Slot, Option<String>> {
    let args = arg.nested(d, false).ok_or(None)?;
    let mut r = ArgReader::new(args, "`slot(...)`", SLOT_KEYS, d);
    let name = r.take("name");
    let ty = r.take("type").and_then(|a| a.string(d));
    let values = r.take("values");
    let prompt = r.take("prompt").and_then(|a| a.string(d));
    let optional = r.take("optional").and_then(|a| a.flag(d)).unwrap_or(false);
    r.finish();
    let (name, span) = lex_name(d, arg, name, "slot", "FlowerType").ok_or(None)?;
    let named = || Some(name.clone());
    let kind = match (ty, values) {
        (Some(t), None) if BUILT_IN_SLOT_TYPES.contains(&t.value().as_str()) => {
            SlotKind::BuiltIn(t.value())
        }
        (Some(t), None) => {
            let hint = crate::decl::diagnostics::did_you_mean(&t.value(), BUILT_IN_SLOT_TYPES)
                .map(|b| format!("did you mean `{b}`?"))
                .unwrap_or_else(|| {
                    "or list the values: `values = [\"roses\", \"tulips\"]`".to_owned()
                });
            d.error(
                t.span(),
                format!("`{}` is not a Lex V2 built-in slot type; {hint}", t.value()),
            );
            return Err(named());
        }
        (None, Some(v)) => {
            let mut out = Vec::new();
            for value in v.list(d).ok_or_else(named)? {
                match value {
                    ArgValue::Str(s) if !s.value().trim().is_empty() => out.push(s.value()),
                    other => d.error(
                        other.span(),
                        "a slot value is a non-empty string: `values = [\"roses\", \"tulips\"]`",
                    ),
                }
            }
            if out.is_empty() {
                d.error(
                    v.span(),
                    "`values = []` gives the slot nothing to match; list its values",
                );
                return Err(named());
            }
            SlotKind::Values(out)
        }
        (Some(t), Some(_)) => {
            d.error(
                t.span(),
                "a slot has a built-in `type` or its own `values`, not both",
            );
            return Err(named());
        }
        (None, None) => {
            d.error(span, format!("slot `{name}` needs what it holds: `type = \"AMAZON.Date\"` or `values = [\"...\"]`"));
            return Err(named());
        }
    };
    let prompt = match prompt {
        Some(p) if !p.value().trim().is_empty() => p.value(),
        _ => {
            d.error(
                span,
                format!("slot `{name}` needs the question that asks for it: `prompt = \"...\"`"),
            );
            return Err(named());
        }
    };
    Ok(Slot {
        name,
        span,
        kind,
        prompt,
        optional,
    })
}

/// `name = Ident` for an intent or slot: Lex's `^([0-9a-zA-Z][_-]?)+$`, 1–100 characters.
fn lex_name(
    d: &Diagnostics,
    arg: &Arg,
    name: Option<Arg>,
    what: &str,
    example: &str,
) -> Option<(String, Span)> {
    let Some(name) = name else {
        d.error(
            arg.span(),
            format!("`{what}(...)` needs a name: `name = {example}`"),
        );
        return None;
    };
    let (text, span) = match name.value(d, example)? {
        ArgValue::Ident(i) => (i.to_string(), i.span()),
        ArgValue::Str(s) => (s.value(), s.span()),
        other => {
            d.error(
                other.span(),
                format!("a {what} name is a name: `name = {example}`"),
            );
            return None;
        }
    };
    let valid = !text.is_empty()
        && text.len() <= 100
        && text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && !text.contains("__")
        && !text.contains("--")
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid {
        d.error(span, format!("Lex {what} names are 1–100 letters and digits, single `_` or `-` between them; `{text}` is not"));
        return None;
    }
    Some((text, span))
}

/// Every `{Slot}` an utterance or prompt names is a slot of its intent.
fn check_utterance(d: &Diagnostics, text: &str, span: Span, slots: &[String]) {
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            d.error(
                span,
                format!(
                    "`{text}` opens `{{` without closing it; slots are written `{{FlowerType}}`"
                ),
            );
            return;
        };
        let name = &rest[start + 1..start + len];
        if !slots.iter().any(|s| s == name) {
            let names: Vec<&str> = slots.iter().map(String::as_str).collect();
            let hint = crate::decl::diagnostics::did_you_mean(name, &names)
                .map(|b| format!("did you mean `{{{b}}}`?"))
                .unwrap_or_else(|| format!("declare it: `slot(name = {name}, ...)`"));
            d.error(
                span,
                format!("`{{{name}}}` is not a slot of this intent; {hint}"),
            );
        }
        rest = &rest[start + len + 1..];
    }
}
