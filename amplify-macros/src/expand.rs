//! `parse → validate → expand` for `#[backend]`.

use std::cell::RefCell;
use std::path::PathBuf;

use amplify_build::decl::{
    diagnostics::Diagnostics, is_resource_attribute, item_attrs, misspelt_resource_attribute,
    parse_backend,
};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::{Item, ItemMod};

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

    let cx = Diagnostics::new();
    if !attr.is_empty() {
        cx.error(
            syn::spanned::Spanned::span(&attr),
            "`#[amplify::backend]` takes no arguments; configure resources with attributes inside the module",
        );
    }

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
    let backend = parse_backend(&module, &loader, &cx);

    let mut extra = Vec::new();
    // `include_str!` makes rustc re-expand the macro when a schema or resolver changes.
    for path in read.into_inner() {
        let path = path.to_string_lossy().into_owned();
        extra.push(quote!(
            const _: &str = include_str!(#path);
        ));
    }
    if let Some(backend) = &backend {
        extra.push(crate::accessors::expand(backend));
        for r in &backend.resources {
            let ident = syn::Ident::new(&r.ident, proc_macro2::Span::call_site());
            let name = &r.name;
            let category = r.spec.category();
            extra.push(quote! {
                impl #ident {
                    /// Amplify resource name.
                    pub const RESOURCE_NAME: &'static str = #name;
                    /// Amplify category.
                    pub const CATEGORY: &'static str = #category;
                }
            });
        }
    }

    // Keep the module so the rest of the crate still compiles, minus our attributes.
    if let Some((_, items)) = &mut module.content {
        for item in items.iter_mut() {
            strip_resource_attributes(item);
        }
        for tokens in extra {
            items.push(Item::Verbatim(tokens));
        }
    }
    let errors: TokenStream = cx
        .into_errors()
        .into_iter()
        .map(|e| e.to_compile_error())
        .collect();
    let mut out = module.into_token_stream();
    out.extend(errors);
    out
}

fn strip_resource_attributes(item: &mut Item) {
    let keep =
        |a: &syn::Attribute| !is_resource_attribute(a) && misspelt_resource_attribute(a).is_none();
    match item {
        Item::Struct(i) => i.attrs.retain(keep),
        Item::Enum(i) => i.attrs.retain(keep),
        Item::Fn(i) => i.attrs.retain(keep),
        Item::Const(i) => i.attrs.retain(keep),
        Item::Static(i) => i.attrs.retain(keep),
        Item::Type(i) => i.attrs.retain(keep),
        Item::Union(i) => i.attrs.retain(keep),
        Item::Mod(i) => i.attrs.retain(keep),
        Item::Trait(i) => i.attrs.retain(keep),
        Item::Impl(i) => i.attrs.retain(keep),
        _ => {}
    }
    let _ = item_attrs;
}
