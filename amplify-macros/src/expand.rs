//! `parse → validate → expand` for `#[backend]`.
//!
//! The declaration comes from the crate's build script, which parsed and checked the
//! module with every category it registered — against the build's date and
//! CloudFormation's quotas — and left the result in `OUT_DIR`
//! ([`amplify_build::declaration`]); its errors are reported here at the tokens they
//! name. Only a crate without that build script has the macro parse the module itself,
//! with the same parser and the built-in categories; the macro never synthesises and
//! reads no clock, so expanding it never depends on the day.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use amplify_build::decl::{diagnostics::Diagnostics, misspelt_resource_attribute};
use amplify_build::declaration::{Declaration, DeclaredResource, DECLARATION_FILE};
use amplify_build::parse::parse_backend;
use amplify_build::Registry;
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::{Item, ItemMod};

use crate::locate::error_at;

pub fn backend(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut module: ItemMod = match syn::parse2(item.clone()) {
        Ok(m) => m,
        Err(e) => {
            let err = syn::Error::new(
                e.span(),
                "`#[amplify::backend]` goes on an inline module: `pub mod backend { ... }`",
            )
            .to_compile_error();
            return quote!(#err #item);
        }
    };

    let mut errors: Vec<syn::Error> = Vec::new();
    if !attr.is_empty() {
        errors.push(syn::Error::new(
            syn::spanned::Spanned::span(&attr),
            "`#[amplify::backend]` takes no arguments; configure resources with attributes inside the module",
        ));
    }

    let mut extra = Vec::new();
    let declaration = match from_build_script(&module) {
        Some(declaration) => declaration,
        None => {
            let (declaration, found, read) = declare_here(&module);
            // Errors found here keep their own spans.
            errors.extend(found);
            // `include_str!` makes rustc re-expand the macro when a schema or resolver
            // changes.
            for path in read {
                let path = path.to_string_lossy().into_owned();
                extra.push(quote!(
                    const _: &str = include_str!(#path);
                ));
            }
            declaration
        }
    };
    errors.extend(declaration.errors.iter().map(|e| error_at(item.clone(), e)));

    // A generic struct cannot take these impls; it is reported as not a unit struct.
    let generic = generic_structs(&module);
    let resources: Vec<DeclaredResource> = declaration
        .resources
        .into_iter()
        .filter(|r| !generic.contains(&r.ident))
        .collect();
    extra.push(crate::accessors::expand(&resources));
    extra.push(crate::operations::expand(
        &resources,
        &crate::accessors::runtime_path(),
    ));
    extra.push(crate::rest::expand(
        &resources,
        &crate::accessors::runtime_path(),
    ));
    for r in &resources {
        let ident = syn::Ident::new(&r.ident, proc_macro2::Span::call_site());
        let (name, category) = (&r.name, &r.category);
        extra.push(quote! {
            impl #ident {
                /// Amplify resource name.
                pub const RESOURCE_NAME: &'static str = #name;
                /// Amplify category.
                pub const CATEGORY: &'static str = #category;
            }
        });
    }

    // Keep the module so the rest of the crate still compiles, minus our attributes.
    let attributes: Vec<&str> = declaration.attributes.iter().map(String::as_str).collect();
    if let Some((_, items)) = &mut module.content {
        for item in items.iter_mut() {
            strip_resource_attributes(item, &attributes);
        }
        for tokens in extra {
            items.push(Item::Verbatim(tokens));
        }
    }
    let errors: TokenStream = errors.into_iter().map(|e| e.to_compile_error()).collect();
    let mut out = module.into_token_stream();
    out.extend(errors);
    out
}

/// Names of the module's structs with generic parameters.
fn generic_structs(module: &ItemMod) -> Vec<String> {
    let items = module
        .content
        .as_ref()
        .map(|(_, i)| i.as_slice())
        .unwrap_or_default();
    items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) if !s.generics.params.is_empty() => Some(s.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// The build script's check of this module, if it made one.
fn from_build_script(module: &ItemMod) -> Option<Declaration> {
    let path = Path::new(&std::env::var_os("OUT_DIR")?).join(DECLARATION_FILE);
    let declaration: Declaration =
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let here = module.ident.span().local_file()?;
    let here = std::env::current_dir().ok()?.join(here);
    let same_file = match (
        here.canonicalize(),
        Path::new(&declaration.file).canonicalize(),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    (same_file && module.ident == declaration.module).then_some(declaration)
}

/// Parses and checks the module with the built-in categories, as the build script
/// would (without the build's date or a synthesis). Returns the declaration, its errors
/// and the files read.
fn declare_here(module: &ItemMod) -> (Declaration, Vec<syn::Error>, Vec<PathBuf>) {
    // Files are named relative to the crate being compiled, like `include_str!` paths
    // written from its root.
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let read: RefCell<Vec<PathBuf>> = RefCell::new(Vec::new());
    let loader = |relative: &str| -> Result<String, String> {
        let path = root.join(relative);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{e} ({})", path.display()))?;
        read.borrow_mut().push(path);
        Ok(text)
    };
    let registry = Registry::builtin();
    let cx = Diagnostics::new();
    let backend = parse_backend(module, &registry, &loader, None, &cx);
    let file = module.ident.span().local_file().unwrap_or_default();
    let declaration = Declaration::of(&file, &module.ident, &registry, &backend, &[]);
    (declaration, cx.into_errors(), read.into_inner())
}

fn strip_resource_attributes(item: &mut Item, attributes: &[&str]) {
    // An unregistered category's attribute is reported by the parser; rustc's "cannot
    // find attribute" would only repeat it.
    if let Some(unregistered) =
        amplify_build::decl::unregistered_resource_attribute(item, attributes).cloned()
    {
        if let Item::Struct(s) = item {
            s.attrs.retain(|a| *a != unregistered);
        }
    }
    let keep = |a: &syn::Attribute| {
        let ours = a
            .path()
            .get_ident()
            .is_some_and(|i| attributes.contains(&i.to_string().as_str()));
        !ours && misspelt_resource_attribute(a, attributes).is_none()
    };
    match item {
        Item::Struct(i) => i.attrs.retain(keep),
        Item::Enum(i) => i.attrs.retain(keep),
        Item::Fn(i) => i.attrs.retain(keep),
        Item::Const(i) => i.attrs.retain(keep),
        Item::Static(i) => i.attrs.retain(keep),
        Item::Type(i) => i.attrs.retain(keep),
        Item::Union(i) => i.attrs.retain(keep),
        Item::Mod(i) => {
            i.attrs.retain(keep);
            // Resources misplaced in a nested module are reported once, by the parser.
            for inner in i.content.iter_mut().flat_map(|(_, items)| items.iter_mut()) {
                strip_resource_attributes(inner, attributes);
            }
        }
        Item::Trait(i) => i.attrs.retain(keep),
        Item::Impl(i) => i.attrs.retain(keep),
        _ => {}
    }
}
