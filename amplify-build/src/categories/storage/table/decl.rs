//! The grammar of `#[table(...)]`.

use super::{Billing, Index, KeyAttr, KeyType, TableSpec};
use crate::decl::args::{choice, wrong_type, Arg, ArgReader, ArgValue};
use crate::decl::diagnostics::Diagnostics;
use crate::decl::names;

const INDEX_KEYS: &[&str] = &["name", "partition_key", "sort_key"];
const PROVISIONED_KEYS: &[&str] = &["read", "write"];

/// Global secondary indexes per table (a DynamoDB quota).
const MAX_INDEXES: usize = 20;

/// The spec of an imported table: its keys are whatever the existing table has.
pub(super) fn imported() -> TableSpec {
    TableSpec {
        partition_key: KeyAttr {
            name: String::new(),
            kind: KeyType::String,
            span: proc_macro2::Span::call_site(),
        },
        sort_key: None,
        indexes: Vec::new(),
        billing: Billing::OnDemand,
        point_in_time_recovery: true,
        stream: false,
        table_name: None,
    }
}

/// Parses the arguments of `#[table]`.
pub(super) fn parse(r: &mut ArgReader, attr_span: proc_macro2::Span) -> Option<TableSpec> {
    let cx = r.cx();
    let partition_key = match r.take("partition_key") {
        Some(arg) => key_attr(cx, &arg),
        None => {
            cx.error(
                attr_span,
                "`#[table]` needs a partition key: add `partition_key = id: string`",
            );
            None
        }
    };
    let sort_key = r.take("sort_key").and_then(|a| key_attr(cx, &a));
    check_distinct_keys(cx, partition_key.as_ref(), sort_key.as_ref(), "table");
    let mut indexes: Vec<Index> = Vec::new();
    for arg in r.take_all("index") {
        let Some(args) = arg.nested(cx, false) else {
            continue;
        };
        let mut ir = ArgReader::new(args, "`index(...)`", INDEX_KEYS, cx);
        let name = match ir.take("name") {
            Some(a) => index_name(cx, &a),
            None => {
                cx.error(arg.span(), "an index needs a name: `index(name = byAuthor, partition_key = author: string)`");
                None
            }
        };
        let pk = match ir.take("partition_key") {
            Some(a) => key_attr(cx, &a),
            None => {
                cx.error(
                    arg.span(),
                    "an index needs `partition_key = attribute: type`",
                );
                None
            }
        };
        let sk = ir.take("sort_key").and_then(|a| key_attr(cx, &a));
        ir.finish();
        check_distinct_keys(cx, pk.as_ref(), sk.as_ref(), "index");
        if let (Some((name, span)), Some(partition_key)) = (name, pk) {
            if indexes.iter().any(|i| i.name == name) {
                cx.error(span, format!("index `{name}` is declared twice"));
            }
            if indexes.len() == MAX_INDEXES {
                cx.error(
                    span,
                    format!("DynamoDB allows at most {MAX_INDEXES} global secondary indexes per table; `{name}` is one more"),
                );
            }
            indexes.push(Index {
                name,
                partition_key,
                sort_key: sk,
            });
        }
    }

    let billing = match r.take("billing") {
        None => Billing::OnDemand,
        Some(arg) => match arg.value(cx, "on_demand") {
            Some(ArgValue::Ident(i)) if i == "on_demand" => Billing::OnDemand,
            Some(ArgValue::Call(i, args, _)) if i == "provisioned" => {
                let mut pr =
                    ArgReader::new(args.clone(), "`provisioned(...)`", PROVISIONED_KEYS, cx);
                let read = pr
                    .take("read")
                    .and_then(|a| a.int(cx, 1..=40_000))
                    .unwrap_or(5);
                let write = pr
                    .take("write")
                    .and_then(|a| a.int(cx, 1..=40_000))
                    .unwrap_or(5);
                pr.finish();
                Billing::Provisioned { read, write }
            }
            Some(other) => {
                wrong_type(
                    cx,
                    &arg,
                    other,
                    "`on_demand` or `provisioned(read = 5, write = 5)`",
                );
                Billing::OnDemand
            }
            None => Billing::OnDemand,
        },
    };
    let point_in_time_recovery = r
        .take("point_in_time_recovery")
        .and_then(|a| a.flag(cx))
        .unwrap_or(true);
    let stream = r.take("stream").and_then(|a| a.flag(cx)).unwrap_or(false);
    let table_name = r
        .take("table_name")
        .and_then(|a| names::physical_name(cx, &a, &names::TABLE));

    // Every key attribute needs one definition; the same name with two types is a mistake.
    if let Some(pk) = &partition_key {
        let mut all: Vec<&KeyAttr> = vec![pk];
        all.extend(sort_key.iter());
        for i in &indexes {
            all.push(&i.partition_key);
            all.extend(i.sort_key.iter());
        }
        for (n, a) in all.iter().enumerate() {
            if let Some(b) = all[..n]
                .iter()
                .find(|b| b.name == a.name && b.kind != a.kind)
            {
                cx.error(
                    a.span,
                    format!(
                        "key attribute `{}` is declared both as {} and as {}; use one type",
                        a.name,
                        b.kind.code(),
                        a.kind.code()
                    ),
                );
            }
        }
    }

    Some(TableSpec {
        partition_key: partition_key?,
        sort_key,
        indexes,
        billing,
        point_in_time_recovery,
        stream,
        table_name,
    })
}

/// A key schema names two different attributes: DynamoDB refuses a sort key that is
/// the partition key.
fn check_distinct_keys(
    cx: &Diagnostics,
    partition_key: Option<&KeyAttr>,
    sort_key: Option<&KeyAttr>,
    what: &str,
) {
    if let (Some(pk), Some(sk)) = (partition_key, sort_key) {
        if pk.name == sk.name {
            cx.error(
                sk.span,
                format!(
                    "the {what}'s sort key `{}` is its partition key; use another attribute or leave out `sort_key`",
                    sk.name
                ),
            );
        }
    }
}

fn index_name(cx: &Diagnostics, arg: &Arg) -> Option<(String, proc_macro2::Span)> {
    let (name, span) = match arg.value(cx, "byAuthor")? {
        ArgValue::Ident(i) => (i.to_string(), i.span()),
        ArgValue::Str(s) => (s.value(), s.span()),
        other => {
            wrong_type(cx, arg, other, "an index name");
            return None;
        }
    };
    let valid = (3..=255).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    if !valid {
        cx.error(
            span,
            format!(
                "index name `{name}` must be 3–255 characters of letters, digits, `_`, `-` or `.`"
            ),
        );
        return None;
    }
    Some((name, span))
}

/// `name: string | number | binary`.
fn key_attr(cx: &Diagnostics, arg: &Arg) -> Option<KeyAttr> {
    match arg.value(cx, "id: string")? {
        ArgValue::Typed(name, ty) => {
            let kind = match choice(
                cx,
                "key type",
                &ArgValue::Ident(ty.clone()),
                &["string", "number", "binary"],
            )?
            .0
            .as_str()
            {
                "string" => KeyType::String,
                "number" => KeyType::Number,
                _ => KeyType::Binary,
            };
            if !(1..=255).contains(&name.to_string().len()) {
                cx.error(
                    name.span(),
                    "key attribute names have at most 255 characters",
                );
                return None;
            }
            Some(KeyAttr {
                name: name.to_string(),
                kind,
                span: name.span().join(ty.span()).unwrap_or(name.span()),
            })
        }
        other => {
            cx.error(
                other.span(),
                format!(
                    "`{}` expects `attribute: type`, e.g. `{} = id: string`",
                    arg.key_text(),
                    arg.key_text()
                ),
            );
            None
        }
    }
}
