//! The declaration grammar: one IO-free parser shared by `amplify-macros` (at compile
//! time, with spans) and by the build.rs scanner (`amplify_build::synthesize`).
//!
//! ```ignore
//! #[amplify::backend]
//! pub mod backend {
//!     #[auth(sign_in = [email], groups = [Admins], identity_pool)]
//!     pub struct BlogAuth;
//!
//!     #[table(partition_key = id: string)]
//!     pub struct PostTable;
//!
//!     #[function(runtime = rust(package = "blog-posts-fn"), grant(PostTable = [read, write]))]
//!     pub struct PostsFn;
//! }
//! ```
//!
//! Files (GraphQL schemas, resolver code) are read through a caller-supplied
//! [`FileLoader`], so this module itself never touches the file system.

mod api;
pub mod args;
mod auth;
pub mod diagnostics;
mod function;
mod storage;
mod validate;

use syn::spanned::Spanned;
use syn::{Attribute, Item, ItemMod, Meta};

use crate::model::{Backend, Resource, Spec};
use args::{ArgReader, Args};
use diagnostics::{did_you_mean, Diagnostics};

/// Reads a file named relative to the crate root; `Err` carries the reason.
pub type FileLoader<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// The attributes that declare a resource inside a backend module.
pub const RESOURCE_ATTRIBUTES: &[&str] = &["auth", "api", "bucket", "table", "function"];

/// Attributes Rust or common tools own; never mistaken for a misspelt resource attribute.
const FOREIGN_ATTRIBUTES: &[&str] = &[
    "doc",
    "allow",
    "warn",
    "deny",
    "forbid",
    "expect",
    "cfg",
    "cfg_attr",
    "derive",
    "must_use",
    "deprecated",
    "inline",
    "repr",
    "non_exhaustive",
    "path",
    "test",
    "ignore",
    "automatically_derived",
];

/// Whether `attr` is the backend attribute (`#[amplify::backend]`, `#[amplify_runtime::backend]`
/// or an imported `#[backend]`).
pub fn is_backend_attribute(attr: &Attribute) -> bool {
    let segments: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    match segments.as_slice() {
        [last] => last == "backend",
        [krate, last] => {
            last == "backend"
                && matches!(
                    krate.as_str(),
                    "amplify" | "amplify_runtime" | "amplify_macros"
                )
        }
        _ => false,
    }
}

/// Whether `attr` declares a resource (`#[auth(...)]`, `#[bucket(...)]`, …).
pub fn is_resource_attribute(attr: &Attribute) -> bool {
    attr.path()
        .get_ident()
        .is_some_and(|i| RESOURCE_ATTRIBUTES.contains(&i.to_string().as_str()))
}

/// Parses and validates every resource of a backend module. Returns `None` if anything
/// was reported to `cx`.
pub fn parse_backend(module: &ItemMod, files: FileLoader, cx: &Diagnostics) -> Option<Backend> {
    let Some((_, items)) = &module.content else {
        cx.error(
            module.span(),
            "`#[amplify::backend]` needs an inline module: write `mod backend { ... }` with the resources inside",
        );
        return None;
    };
    let mut resources = Vec::new();
    for item in items {
        check_misspelt_attributes(item, cx);
        let Item::Struct(item_struct) = item else {
            if let Some(attr) = item_attrs(item).iter().find(|a| is_resource_attribute(a)) {
                cx.error(
                    attr.span(),
                    "resources are declared on unit structs: write `pub struct Name;` under this attribute",
                );
            }
            continue;
        };
        let declaring: Vec<&Attribute> = item_struct
            .attrs
            .iter()
            .filter(|a| is_resource_attribute(a))
            .collect();
        let Some(attr) = declaring.first() else {
            continue;
        };
        if let Some(second) = declaring.get(1) {
            cx.error(
                second.span(),
                format!(
                    "`{}` already has `#[{}]`; a struct declares one resource",
                    item_struct.ident,
                    attr.path()
                        .get_ident()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                ),
            );
        }
        if !matches!(item_struct.fields, syn::Fields::Unit)
            || !item_struct.generics.params.is_empty()
        {
            cx.error(
                item_struct.ident.span(),
                format!(
                    "resource `{}` must be a unit struct: `pub struct {};`",
                    item_struct.ident, item_struct.ident
                ),
            );
        }
        if let Some(resource) = parse_resource(&item_struct.ident, attr, files, cx) {
            resources.push(resource);
        }
    }
    let backend = Backend { resources };
    validate::validate(&backend, cx);
    (!cx.has_errors()).then_some(backend)
}

/// The attributes of any item kind.
pub fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// The resource attribute `attr` is probably a typo of (`#[buckt]` → `bucket`), if any.
pub fn misspelt_resource_attribute(attr: &Attribute) -> Option<&'static str> {
    let name = attr.path().get_ident()?.to_string();
    if RESOURCE_ATTRIBUTES.contains(&name.as_str()) || FOREIGN_ATTRIBUTES.contains(&name.as_str()) {
        return None;
    }
    did_you_mean(&name, RESOURCE_ATTRIBUTES)
}

fn check_misspelt_attributes(item: &Item, cx: &Diagnostics) {
    for attr in item_attrs(item) {
        if let Some(best) = misspelt_resource_attribute(attr) {
            let ident = attr.path().get_ident().expect("single-segment path");
            cx.error(
                ident.span(),
                format!("unknown resource attribute `#[{ident}]`; did you mean `#[{best}]`?"),
            );
        }
    }
}

fn parse_resource(
    ident: &syn::Ident,
    attr: &Attribute,
    files: FileLoader,
    cx: &Diagnostics,
) -> Option<Resource> {
    let kind = attr.path().get_ident()?.to_string();
    let args = match &attr.meta {
        Meta::Path(_) => Args::default(),
        Meta::List(list) => match list.parse_args::<Args>() {
            Ok(args) => args,
            Err(e) => {
                cx.syn_error(e);
                return None;
            }
        },
        Meta::NameValue(nv) => {
            cx.error(
                nv.span(),
                format!("write `#[{kind}(...)]`, not `#[{kind} = ...]`"),
            );
            return None;
        }
    };
    let known: &'static [&'static str] = match kind.as_str() {
        "auth" => auth::KEYS,
        "api" => api::KEYS,
        "bucket" => storage::BUCKET_KEYS,
        "table" => storage::TABLE_KEYS,
        _ => function::KEYS,
    };
    let mut reader = ArgReader::new(args, format!("`#[{kind}]`"), known, cx);
    let (name, span) = match reader.take("name").map(|a| a.string(cx)) {
        Some(Some(lit)) => (lit.value(), lit.span()),
        Some(None) => (ident.to_string(), ident.span()),
        None => (ident.to_string(), ident.span()),
    };
    let attr_span = attr.span();
    if let Some(import) = reader.take("import") {
        return parse_import(ident, &kind, &import, reader, name, span, cx);
    }
    let spec = match kind.as_str() {
        "auth" => auth::parse(&mut reader).map(Spec::Auth),
        "api" => api::parse(&mut reader, attr_span, files).map(Spec::Api),
        "bucket" => storage::parse_bucket(&mut reader).map(Spec::Bucket),
        "table" => storage::parse_table(&mut reader, attr_span).map(Spec::Table),
        _ => function::parse(&mut reader, attr_span).map(Spec::Function),
    };
    reader.finish();
    Some(Resource {
        name,
        ident: ident.to_string(),
        span,
        spec: spec?,
        imported: None,
    })
}

/// `import(...)`: the resource exists already; only its ids are declared.
fn parse_import(
    ident: &syn::Ident,
    kind: &str,
    import: &args::Arg,
    mut reader: ArgReader,
    name: String,
    span: proc_macro2::Span,
    cx: &Diagnostics,
) -> Option<Resource> {
    const AUTH: &[&str] = &[
        "user_pool_id",
        "web_client_id",
        "native_client_id",
        "identity_pool_id",
    ];
    const NAMED: &[&str] = &["name"];
    let (known, required, spec): (&'static [&'static str], &[&str], Spec) = match kind {
        "auth" => (
            AUTH,
            &["user_pool_id", "web_client_id"],
            Spec::Auth(crate::model::AuthSpec::default()),
        ),
        "bucket" => (
            NAMED,
            &["name"],
            Spec::Bucket(crate::model::BucketSpec {
                access: Vec::new(),
                versioning: true,
            }),
        ),
        "table" => (NAMED, &["name"], Spec::Table(storage::imported_table())),
        other => {
            cx.error(
                import.key_span(),
                format!("`#[{other}]` resources cannot be imported; auth, bucket and table can"),
            );
            return None;
        }
    };
    let args = import.nested(cx, false)?;
    let mut r = ArgReader::new(args, "`import(...)`", known, cx);
    let mut values = indexmap::IndexMap::new();
    for key in known {
        if let Some(v) = r.take(key).and_then(|a| a.string(cx)) {
            if v.value().is_empty() {
                cx.error(v.span(), format!("`{key}` must not be empty"));
            }
            let output = match (kind, *key) {
                ("auth", "user_pool_id") => "UserPoolId",
                ("auth", "web_client_id") => "AppClientIDWeb",
                ("auth", "native_client_id") => "AppClientID",
                ("auth", "identity_pool_id") => "IdentityPoolId",
                ("bucket", _) => "BucketName",
                _ => "Name",
            };
            values.insert(output.to_owned(), v.value());
        }
    }
    r.finish();
    for key in required {
        let output = match (kind, *key) {
            ("auth", "user_pool_id") => "UserPoolId",
            ("auth", _) => "AppClientIDWeb",
            ("bucket", _) => "BucketName",
            _ => "Name",
        };
        if !values.contains_key(output) {
            cx.error(
                import.span(),
                format!("importing a `#[{kind}]` needs `{key} = \"...\"`"),
            );
        }
    }
    if kind == "auth" && !values.contains_key("AppClientID") {
        if let Some(web) = values.get("AppClientIDWeb").cloned() {
            values.insert("AppClientID".to_owned(), web);
        }
    }
    for extra in reader.take_rest() {
        cx.error(
            extra.key_span(),
            format!(
                "`{}` cannot be set on an imported `#[{kind}]`: it is configured where it was created; keep only `import(...)`",
                extra.key_text()
            ),
        );
    }
    Some(Resource {
        name,
        ident: ident.to_string(),
        span,
        spec,
        imported: Some(values),
    })
}

/// `post_table` → `PostTable`: the suggestion offered for names CloudFormation rejects.
pub fn camel_case(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Backend, Vec<String>> {
        let module: ItemMod = syn::parse_str(src).unwrap();
        let cx = Diagnostics::new();
        let loader = |p: &str| Err(format!("no file {p} in this test"));
        parse_backend(&module, &loader, &cx)
            .ok_or_else(|| cx.into_errors().iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_file_module_is_refused_with_the_fix() {
        let errors = parse("#[amplify::backend] mod backend;").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("needs an inline module"), "{errors:?}");
    }

    #[test]
    fn items_without_resource_attributes_are_ignored() {
        let backend = parse(
            "#[amplify::backend] mod backend { use std::fmt; #[derive(Debug)] struct Helper; #[table(partition_key = id: string)] pub struct T; }",
        )
        .unwrap();
        assert_eq!(backend.resources.len(), 1);
        assert_eq!(backend.resources[0].name, "T");
    }

    #[test]
    fn camel_case_suggestions() {
        assert_eq!(camel_case("post_table"), "PostTable");
        assert_eq!(camel_case("team-leads"), "TeamLeads");
    }
}
