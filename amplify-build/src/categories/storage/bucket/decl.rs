//! The grammar of `#[bucket(...)]`.

use super::{Access, Audience, BucketSpec};
use crate::decl::args::{choice, Arg, ArgReader};
use crate::decl::diagnostics::Diagnostics;
use crate::decl::names;

/// Parses the arguments of `#[bucket]`.
pub(super) fn parse(r: &mut ArgReader) -> Option<BucketSpec> {
    let cx = r.cx();
    let mut access = Vec::new();
    for (key, audience) in [
        ("authenticated", Audience::Authenticated),
        ("guest", Audience::Guest),
    ] {
        if let Some(arg) = r.take(key) {
            if let Some(perms) = permissions(cx, &arg) {
                access.push((audience, perms, arg.key_span()));
            }
        }
    }
    if let Some(arg) = r.take("groups") {
        for entry in arg.nested(cx, false).map(|a| a.items).unwrap_or_default() {
            if let Some(perms) = permissions(cx, &entry) {
                access.push((Audience::Group(entry.key_text()), perms, entry.key_span()));
            }
        }
    }
    let versioning = r
        .take("versioning")
        .and_then(|a| a.flag(cx))
        .unwrap_or(true);
    let bucket_name = r
        .take("bucket_name")
        .and_then(|a| names::physical_name(cx, &a, &names::BUCKET));
    Some(BucketSpec {
        access,
        versioning,
        bucket_name,
    })
}

/// `audience = [read, write, delete]`.
fn permissions(cx: &Diagnostics, arg: &Arg) -> Option<Vec<Access>> {
    let mut out = Vec::new();
    let values = arg.list(cx)?;
    if values.is_empty() {
        let key = arg.key_text();
        cx.error(
            arg.span(),
            format!(
                "`{key} = []` grants nothing; name the permissions (`{key} = [read]`) or remove it"
            ),
        );
        return None;
    }
    for v in values {
        if let Some((p, span)) = choice(cx, "bucket permission", &v, &["read", "write", "delete"]) {
            let access = match p.as_str() {
                "read" => Access::Read,
                "write" => Access::Write,
                _ => Access::Delete,
            };
            if out.contains(&access) {
                cx.error(span, format!("permission `{p}` is listed twice"));
            }
            out.push(access);
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}
