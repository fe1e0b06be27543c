//! The grammar of `#[rest_api(...)]`, and the checks on its routes that need no other
//! resource: Amplify's path syntax, no route twice, and API Gateway's rule of one path
//! parameter per level.

use std::collections::BTreeMap;

use proc_macro2::Span;

use super::{Audience, Authorizer, Operation, RestPath, RestSpec};
use crate::category::model::Reference;
use crate::category::ParseContext;
use crate::decl::args::{choice, Arg, ArgReader, ArgValue};
use crate::decl::diagnostics::Diagnostics;

/// Keys of one `path(...)`.
const PATH_KEYS: &[&str] = &["route", "function", "authenticated", "guest", "groups"];

/// Parses the arguments of `#[rest_api]`.
pub(super) fn parse(r: &mut ArgReader, cx: &ParseContext<'_>) -> Option<RestSpec> {
    let diagnostics = r.cx();
    // Every key is taken before any is judged, so one mistake is one error.
    let authorizer = r.take("authorizer");
    let declared = r.take_all("path");
    let authorizer = match authorizer {
        Some(arg) => {
            let value = arg.value(diagnostics, "iam")?;
            match choice(diagnostics, "authorizer", value, &["iam", "user_pool"])?
                .0
                .as_str()
            {
                "iam" => Authorizer::Iam,
                _ => Authorizer::UserPool,
            }
        }
        None => Authorizer::Iam,
    };
    if declared.is_empty() {
        diagnostics.error(
            cx.attr_span,
            "`#[rest_api]` needs at least one path: `path(route = \"/items\", function = ItemsFn)`",
        );
        return None;
    }
    let paths: Vec<RestPath> = declared
        .iter()
        .filter_map(|arg| path(diagnostics, arg))
        .collect();
    check_routes(diagnostics, &paths);
    Some(RestSpec { authorizer, paths })
}

/// One `path(route = "/items/{id}", function = Items, authenticated = [read], ...)`.
fn path(cx: &Diagnostics, arg: &Arg) -> Option<RestPath> {
    let args = arg.nested(cx, false)?;
    let mut r = ArgReader::new(args, "`path(...)`", PATH_KEYS, cx);
    let route = r.take("route");
    let function = r.take("function");
    let mut access = Vec::new();
    for (key, audience) in [
        ("authenticated", Audience::Authenticated),
        ("guest", Audience::Guest),
    ] {
        if let Some(arg) = r.take(key) {
            if let Some(ops) = operations(cx, &arg) {
                access.push((audience, ops, arg.key_span()));
            }
        }
    }
    if let Some(groups) = r.take("groups") {
        for entry in groups
            .nested(cx, false)
            .map(|a| a.items)
            .unwrap_or_default()
        {
            if let Some(ops) = operations(cx, &entry) {
                access.push((Audience::Group(entry.key_text()), ops, entry.key_span()));
            }
        }
    }
    r.finish();
    let Some(route) = route else {
        cx.error(
            arg.span(),
            "`path(...)` needs its route: `route = \"/items\"` (parameters in braces: `\"/items/{id}\"`)",
        );
        return None;
    };
    let route = route.string(cx)?;
    let function = match function {
        None => {
            cx.error(
                arg.span(),
                "`path(...)` needs the function that answers it: `function = ItemsFn`",
            );
            return None;
        }
        Some(f) => match f.value(cx, "ItemsFn")? {
            ArgValue::Ident(ident) => Reference::to(ident),
            other => {
                cx.error(
                    other.span(),
                    format!(
                        "`function` names a `#[function]` struct of this module, found {}: write `function = ItemsFn`",
                        other.describe()
                    ),
                );
                return None;
            }
        },
    };
    let text = route.value();
    if let Err(problem) = check_route(&text) {
        cx.error(route.span(), format!("route `{text}` {problem}"));
        return None;
    }
    Some(RestPath {
        route: text,
        span: route.span(),
        function,
        access,
    })
}

/// `audience = [create, read, update, delete]`.
fn operations(cx: &Diagnostics, arg: &Arg) -> Option<Vec<Operation>> {
    let values = arg.list(cx)?;
    if values.is_empty() {
        let key = arg.key_text();
        cx.error(
            arg.span(),
            format!(
                "`{key} = []` allows nothing; name the operations (`{key} = [read]`) or remove it"
            ),
        );
        return None;
    }
    let mut out = Vec::new();
    for v in values {
        let (name, span) = choice(cx, "operation", &v, &["create", "read", "update", "delete"])?;
        let op = match name.as_str() {
            "create" => Operation::Create,
            "read" => Operation::Read,
            "update" => Operation::Update,
            _ => Operation::Delete,
        };
        if out.contains(&op) {
            cx.error(span, format!("operation `{name}` is listed twice"));
        }
        out.push(op);
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// Amplify's path rule: `/`, or `/`-separated segments of letters, digits and `-`, each
/// plain or a `{parameter}`; no trailing `/`.
pub(super) fn check_route(route: &str) -> Result<(), String> {
    if route == "/" {
        return Ok(());
    }
    let Some(rest) = route.strip_prefix('/') else {
        return Err(format!("must start with `/`: write `/{route}`"));
    };
    if rest.ends_with('/') {
        return Err(format!(
            "must not end with `/`: write `/{}`",
            rest.trim_end_matches('/')
        ));
    }
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    for segment in rest.split('/') {
        if segment.is_empty() {
            return Err("has an empty segment (`//`)".to_owned());
        }
        let ok = match segment.strip_prefix('{') {
            Some(inner) => inner.strip_suffix('}').is_some_and(plain),
            None => plain(segment),
        };
        if !ok {
            return Err(format!(
                "has the segment `{segment}`: segments are letters, digits, `-` and `_`, or a parameter in braces such as `{{id}}` (a greedy `{{proxy+}}` is added for you)"
            ));
        }
    }
    Ok(())
}

/// No route twice; at one level API Gateway takes one path parameter, and a route with no
/// route below it also answers every path below (its `{proxy+}`), which is a parameter
/// of that level too.
fn check_routes(cx: &Diagnostics, paths: &[RestPath]) {
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for p in paths {
        if seen.insert(&p.route, p.span).is_some() {
            cx.error(
                p.span,
                format!(
                    "route `{}` is declared twice; give each route one `path(...)`",
                    p.route
                ),
            );
        }
    }
    // parent path → (parameter segment, the route that put it there).
    let mut parameters: BTreeMap<String, (String, &str)> = BTreeMap::new();
    for p in paths {
        let mut parent = String::new();
        for segment in p.route.split('/').filter(|s| !s.is_empty()) {
            if segment.starts_with('{') {
                match parameters.get(&parent) {
                    Some((other, by)) if other != segment => {
                        cx.error(
                            p.span,
                            format!(
                                "route `{}` puts `{segment}` where `{by}` has `{other}`: API Gateway allows one path parameter per level; name both `{other}`",
                                p.route
                            ),
                        );
                        break;
                    }
                    _ => {
                        parameters.insert(parent.clone(), (segment.to_owned(), &p.route));
                    }
                }
            }
            parent = format!("{parent}/{segment}");
        }
    }
}

/// The routes API Gateway gets for `paths`: each declared route, and below each one that
/// no other route extends, `{proxy+}` (every deeper path, as Amplify's APIs answer).
pub(super) fn routes_with_proxies(paths: &[RestPath]) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (i, p) in paths.iter().enumerate() {
        out.push((p.route.clone(), i));
        let prefix = if p.route == "/" {
            "/".to_owned()
        } else {
            format!("{}/", p.route)
        };
        let extended = paths
            .iter()
            .any(|q| q.route != p.route && q.route.starts_with(&prefix));
        if !extended {
            out.push((format!("{prefix}{{proxy+}}"), i));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_follow_amplify_syntax() {
        for good in ["/", "/items", "/items/{id}", "/a-b/c_d/{x}"] {
            assert_eq!(check_route(good), Ok(()), "{good}");
        }
        for (bad, says) in [
            ("items", "must start with `/`: write `/items`"),
            ("/items/", "must not end with `/`: write `/items`"),
            ("/a//b", "empty segment"),
            ("/items/{id", "has the segment `{id`"),
            ("/items/:id", "has the segment `:id`"),
            ("/files/{proxy+}", "has the segment `{proxy+}`"),
        ] {
            let problem = check_route(bad).unwrap_err();
            assert!(problem.contains(says), "{bad}: {problem}");
        }
    }
}
