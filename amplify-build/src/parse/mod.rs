//! Parsing a backend module: each resource attribute is handed to the category
//! registered for it, then the backend is checked as a whole ([`validate`]). Shared by
//! `amplify-macros` (at compile time, with spans) and build.rs (`amplify_build::synthesize`).
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
//! [`FileLoader`], so parsing never touches the file system.

pub mod validate;

use std::rc::Rc;

use syn::spanned::Spanned;
use syn::{Attribute, Item, ItemMod, Meta};

use crate::category::model::{Backend, Resource};
use crate::category::{Kind, ParseContext};
use crate::decl::args::{Arg, ArgReader, Args};
use crate::decl::diagnostics::Diagnostics;
use crate::decl::{item_attrs, misspelt_resource_attribute, FileLoader};
use crate::registry::Registry;

/// Keys every resource attribute accepts.
const COMMON_KEYS: &[&str] = &["name", "import"];

/// The category `attr` declares a resource of (`#[auth(...)]`, `#[bucket(...)]`, …).
pub fn resource_kind<'r>(attr: &Attribute, registry: &'r Registry) -> Option<&'r Kind> {
    registry.get(&attr.path().get_ident()?.to_string())
}

/// Parses and validates every resource of a backend module. Every mistake is reported
/// to `cx`; the backend holds every resource that was declared, with the spec of each
/// whose declaration parsed (so that callers can still expand what is there).
pub fn parse_backend(
    module: &ItemMod,
    registry: &Registry,
    files: FileLoader,
    today: Option<&str>,
    cx: &Diagnostics,
) -> Backend {
    let Some((_, items)) = &module.content else {
        cx.error(
            module.span(),
            "`#[amplify::backend]` needs an inline module: write `mod backend { ... }` with the resources inside",
        );
        return Backend::default();
    };
    let resources = items
        .iter()
        .filter_map(|item| parse_item(item, &module.ident, registry, (files, today), cx))
        .collect();
    let backend = Backend { resources };
    validate::validate(&backend, cx);
    backend
}

/// The resource one item of the backend module `module` declares, if any, with the
/// mistakes in it reported to `cx` (those between resources are [`validate`]'s).
pub(crate) fn parse_item(
    item: &Item,
    module: &syn::Ident,
    registry: &Registry,
    (files, today): (FileLoader, Option<&str>),
    cx: &Diagnostics,
) -> Option<Resource> {
    check_misspelt_attributes(item, registry, cx);
    if let Item::Mod(nested) = item {
        check_nested_module(nested, module, registry, cx);
        return None;
    }
    let Item::Struct(item_struct) = item else {
        if let Some(attr) = item_attrs(item)
            .iter()
            .find(|a| resource_kind(a, registry).is_some())
        {
            cx.error(
                attr.span(),
                "resources are declared on unit structs: write `pub struct Name;` under this attribute",
            );
        }
        return None;
    };
    let declaring: Vec<(&Attribute, &Kind)> = item_struct
        .attrs
        .iter()
        .filter_map(|a| Some((a, resource_kind(a, registry)?)))
        .collect();
    let &(attr, kind) = declaring.first()?;
    if let Some((second, _)) = declaring.get(1) {
        cx.error(
            second.span(),
            format!(
                "`{}` already has `#[{}]`; a struct declares one resource",
                item_struct.ident,
                kind.descriptor().attribute
            ),
        );
    }
    if !matches!(item_struct.fields, syn::Fields::Unit) || !item_struct.generics.params.is_empty() {
        cx.error(
            item_struct.ident.span(),
            format!(
                "resource `{}` must be a unit struct: `pub struct {};`",
                item_struct.ident, item_struct.ident
            ),
        );
    }
    Some(parse_resource(
        &item_struct.ident,
        attr,
        (kind, registry),
        (files, today),
        cx,
    ))
}

/// Resources are read from the backend module itself; one inside a nested module would
/// be silently ignored (and rustc would only say it does not know the attribute).
fn check_nested_module(
    nested: &ItemMod,
    backend: &syn::Ident,
    registry: &Registry,
    cx: &Diagnostics,
) {
    let Some((_, items)) = &nested.content else {
        return;
    };
    for item in items {
        if let Item::Mod(deeper) = item {
            check_nested_module(deeper, backend, registry, cx);
        }
        for attr in item_attrs(item) {
            if let Some(kind) = resource_kind(attr, registry) {
                cx.error(
                    attr.path().span(),
                    format!(
                        "`#[{}]` declares a resource only directly inside `mod {backend}`, not in the nested `mod {}`: move the item up into `mod {backend}`",
                        kind.descriptor().attribute,
                        nested.ident
                    ),
                );
            }
        }
    }
}

fn check_misspelt_attributes(item: &Item, registry: &Registry, cx: &Diagnostics) {
    let attributes = registry.attributes();
    if let Some(attr) = crate::decl::unregistered_resource_attribute(item, &attributes) {
        let ident = attr.path().get_ident().expect("single-segment path");
        cx.error(
            ident.span(),
            format!(
                "`#[{ident}]` is not a registered category: if a crate provides it, register it in build.rs (`amplify_build::Config::new().category(...)`, see its README); the registered ones are {}",
                attributes.iter().map(|a| format!("`#[{a}]`")).collect::<Vec<_>>().join(", ")
            ),
        );
    }
    for attr in item_attrs(item) {
        if let Some(best) = misspelt_resource_attribute(attr, &registry.attributes()) {
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
    (kind, registry): (&Kind, &Registry),
    (files, today): (FileLoader, Option<&str>),
    cx: &Diagnostics,
) -> Resource {
    let descriptor = kind.descriptor();
    let attribute = descriptor.attribute;
    let invalid = || {
        Resource::new(
            ident.to_string(),
            ident.to_string(),
            ident.span(),
            kind.clone(),
            None,
            None,
        )
    };
    let args = match &attr.meta {
        Meta::Path(_) => Args::default(),
        Meta::List(list) => match list.parse_args::<Args>() {
            Ok(args) => args,
            Err(e) => {
                cx.syn_error(e);
                return invalid();
            }
        },
        Meta::NameValue(nv) => {
            cx.error(
                nv.span(),
                format!("write `#[{attribute}(...)]`, not `#[{attribute} = ...]`"),
            );
            return invalid();
        }
    };
    let known: Vec<&'static str> = COMMON_KEYS.iter().chain(descriptor.keys).copied().collect();
    let mut reader = ArgReader::new(args, format!("`#[{attribute}]`"), &known, cx);
    let (name, span) = match reader.take("name").map(|a| a.string(cx)) {
        Some(Some(lit)) => (lit.value(), lit.span()),
        _ => (ident.to_string(), ident.span()),
    };
    let (spec, imported) = match reader.take("import") {
        Some(import) => match parse_import((kind, registry), &import, reader, cx) {
            Some((spec, ids)) => (Some(spec), Some(ids)),
            None => (None, None),
        },
        None => {
            let pcx = ParseContext {
                attr_span: attr.span(),
                files,
                today,
            };
            let spec = kind.parse(&mut reader, &pcx);
            reader.finish();
            (spec, None)
        }
    };
    Resource::new(name, ident.to_string(), span, kind.clone(), spec, imported)
}

/// `import(...)`: the resource exists already; only its ids are declared.
fn parse_import(
    (kind, registry): (&Kind, &Registry),
    import: &Arg,
    mut reader: ArgReader,
    cx: &Diagnostics,
) -> Option<(Rc<dyn std::any::Any>, indexmap::IndexMap<String, String>)> {
    let descriptor = kind.descriptor();
    let attribute = descriptor.attribute;
    let Some(keys) = descriptor.import else {
        cx.error(
            import.key_span(),
            format!(
                "`#[{attribute}]` resources cannot be imported; {}",
                importable_hint(registry)
            ),
        );
        return None;
    };
    let args = import.nested(cx, false)?;
    let known: Vec<&'static str> = keys.iter().map(|k| k.key).collect();
    let mut r = ArgReader::new(args, "`import(...)`", &known, cx);
    let mut ids = indexmap::IndexMap::new();
    for key in keys {
        if let Some(v) = r.take(key.key).and_then(|a| a.string(cx)) {
            if v.value().is_empty() {
                cx.error(v.span(), format!("`{}` must not be empty", key.key));
            }
            ids.insert(key.output.to_owned(), v.value());
        }
    }
    r.finish();
    for key in keys.iter().filter(|k| k.required) {
        if !ids.contains_key(key.output) {
            cx.error(
                import.span(),
                format!("importing a `#[{attribute}]` needs `{} = \"...\"`", key.key),
            );
        }
    }
    for extra in reader.take_rest() {
        cx.error(
            extra.key_span(),
            format!(
                "`{}` cannot be set on an imported `#[{attribute}]`: it is configured where it was created; keep only `import(...)`",
                extra.key_text()
            ),
        );
    }
    let spec = kind.imported(&mut ids);
    Some((spec, ids))
}

/// Which attributes can be imported (`auth, bucket and table can`), for the message
/// refusing another one.
fn importable_hint(registry: &Registry) -> String {
    let importable: Vec<&str> = registry
        .iter()
        .filter(|k| k.descriptor().import.is_some())
        .map(|k| k.descriptor().attribute)
        .collect();
    match importable.as_slice() {
        [] => "no category can".to_owned(),
        [one] => format!("{one} can"),
        [rest @ .., last] => format!("{} and {last} can", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Backend, Vec<String>> {
        let module: ItemMod = syn::parse_str(src).unwrap();
        let cx = Diagnostics::new();
        let loader = |p: &str| Err(format!("no file {p} in this test"));
        let backend = parse_backend(&module, &Registry::builtin(), &loader, None, &cx);
        if cx.has_errors() {
            Err(cx.into_errors().iter().map(ToString::to_string).collect())
        } else {
            Ok(backend)
        }
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
}
