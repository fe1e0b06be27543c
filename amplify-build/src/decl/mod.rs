//! The declaration grammar: the pieces every category's parser is built from, IO-free
//! and shared by `amplify-macros` (at compile time, with spans) and by build.rs.
//!
//! [`args`] reads an attribute's `key = value` arguments with typed getters and spanned
//! errors; [`diagnostics`] collects those errors. Parsing a whole backend module with the
//! registered categories is [`crate::parse`]'s job.
//!
//! Files (GraphQL schemas, resolver code) are read through a caller-supplied
//! [`FileLoader`], so the grammar never touches the file system.

pub mod args;
pub mod diagnostics;
pub mod names;

use syn::{Attribute, Item};

use diagnostics::did_you_mean;

/// Reads a file named relative to the crate root; `Err` carries the reason.
pub type FileLoader<'a> = &'a dyn Fn(&str) -> Result<String, String>;

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

/// The resource attribute (one of `attributes`) that `attr` is probably a typo of
/// (`#[buckt]` → `bucket`), if any.
pub fn misspelt_resource_attribute<'a>(
    attr: &Attribute,
    attributes: &[&'a str],
) -> Option<&'a str> {
    let name = attr.path().get_ident()?.to_string();
    if attributes.contains(&name.as_str()) || FOREIGN_ATTRIBUTES.contains(&name.as_str()) {
        return None;
    }
    did_you_mean(&name, attributes)
}

/// An attribute on a unit struct that would declare a resource if its category were
/// registered (`#[topic]` without `Config::category(Topic)` in build.rs): single-word,
/// not Rust's or a common tool's, not one of `attributes` nor a typo of one, on a struct
/// that carries no registered attribute.
pub fn unregistered_resource_attribute<'i>(
    item: &'i Item,
    attributes: &[&str],
) -> Option<&'i Attribute> {
    let Item::Struct(s) = item else {
        return None;
    };
    if !matches!(s.fields, syn::Fields::Unit) {
        return None;
    }
    let name = |a: &Attribute| a.path().get_ident().map(ToString::to_string);
    if s.attrs
        .iter()
        .any(|a| name(a).is_some_and(|n| attributes.contains(&n.as_str())))
    {
        return None;
    }
    s.attrs.iter().find(|a| {
        name(a).is_some_and(|n| !FOREIGN_ATTRIBUTES.contains(&n.as_str()))
            && misspelt_resource_attribute(a, attributes).is_none()
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

    #[test]
    fn camel_case_suggestions() {
        assert_eq!(camel_case("post_table"), "PostTable");
        assert_eq!(camel_case("team-leads"), "TeamLeads");
    }
}
