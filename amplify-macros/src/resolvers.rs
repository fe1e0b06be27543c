//! `#[resolvers(schema = "…")]` on a module of a Lambda function's crate: the schema's
//! types, one arguments struct per `Query` and `Mutation` field, and a `Call` enum that
//! reads AppSync's direct-Lambda event into the field's typed [`AppSyncEvent`], with
//! `answers::<Field>` naming what each field returns. A resolver is then checked
//! against the schema as the app's typed client is; a schema edit recompiles it.
//!
//! [`AppSyncEvent`]: https://docs.rs/amplify-runtime (`amplify::lambda::AppSyncEvent`)

use amplify_build::operations::{GraphqlOperation, GraphqlOperations};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::Parser;

use crate::accessors::runtime_path;
use crate::operations::{ident, recursive_fields, rust_ty, rust_type, snake_case, unique};

/// Expands the attribute on `item` (an inline module).
pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    match try_expand(attr, item) {
        Ok(tokens) => tokens,
        Err(e) => e.to_compile_error(),
    }
}

fn try_expand(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let schema_lit = schema_argument(attr)?;
    let mut module: syn::ItemMod = syn::parse2(item)?;
    let path = schema_lit.value();
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let full = std::path::Path::new(&root).join(&path);
    let text = std::fs::read_to_string(&full).map_err(|e| {
        syn::Error::new(
            schema_lit.span(),
            format!("cannot read GraphQL schema `{path}` ({e}); the path is relative to this crate's root (where its Cargo.toml is), e.g. `schema = \"../app/schema.graphql\"`"),
        )
    })?;
    let ops = amplify_build::categories::api::schema_operations(&text, "API_KEY").map_err(|e| {
        syn::Error::new(
            schema_lit.span(),
            format!("the GraphQL schema `{path}` does not parse: {e}"),
        )
    })?;
    let generated = generated(&ops, &full.display().to_string());
    let content = module
        .content
        .get_or_insert_with(|| (Default::default(), Vec::new()));
    content.1.push(syn::Item::Verbatim(generated));
    Ok(quote!(#module))
}

/// `schema = "path"`, the one argument.
fn schema_argument(attr: TokenStream) -> syn::Result<syn::LitStr> {
    let span = Span::call_site();
    let args = syn::punctuated::Punctuated::<syn::MetaNameValue, syn::Token![,]>::parse_terminated
        .parse2(attr)?;
    let mut schema = None;
    for arg in args {
        if !arg.path.is_ident("schema") {
            let path = &arg.path;
            let key = quote!(#path).to_string().replace(' ', "");
            let hint = amplify_build::decl::diagnostics::did_you_mean(&key, &["schema"])
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            return Err(syn::Error::new_spanned(
                &arg.path,
                format!("unknown key `{key}` in `#[resolvers]`; {hint}It takes one argument: `schema = \"path/to/schema.graphql\"`"),
            ));
        }
        match arg.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => schema = Some(s),
            other => {
                return Err(syn::Error::new_spanned(
                    other,
                    "`schema` is a path in quotes: `schema = \"schema.graphql\"`",
                ))
            }
        }
    }
    schema.ok_or_else(|| {
        syn::Error::new(
            span,
            "`#[resolvers]` needs the API's schema: `#[amplify::resolvers(schema = \"../app/schema.graphql\")]`",
        )
    })
}

fn generated(ops: &GraphqlOperations, schema_file: &str) -> TokenStream {
    let rt = runtime_path();
    let support = quote!(#rt::lambda::__private);
    let serde_path = format!("{support}::serde").replace(' ', "");
    let recursive = recursive_fields(&ops.types);
    let types = ops
        .types
        .iter()
        .map(|t| rust_type(t, &recursive, &support, &serde_path));
    let taken: Vec<String> = ops.types.iter().map(|t| t.name.clone()).collect();
    let variants = unique(
        ops.operations.iter().map(|op| {
            let name = type_case(&op.field);
            let clashes = ops
                .operations
                .iter()
                .filter(|o| type_case(&o.field) == name)
                .count()
                > 1;
            if clashes {
                format!("{}{name}", type_case(op.kind.keyword()))
            } else {
                name
            }
        }),
        &taken,
    );
    let args_names = unique(variants.iter().map(|v| format!("{v}Args")), &taken);
    let mut args_structs = Vec::new();
    let mut enum_variants = Vec::new();
    let mut arms = Vec::new();
    let mut answers = Vec::new();
    for ((op, variant), args) in ops.operations.iter().zip(&variants).zip(&args_names) {
        let (variant, args) = (format_ident!("{variant}"), format_ident!("{args}"));
        args_structs.push(args_struct(op, &args, &support, &serde_path));
        let parent = type_case(op.kind.keyword());
        let field = &op.field;
        let returns = rust_ty(&op.returns, &quote!(super::), &support);
        let doc = format!(
            "`{parent}.{field}`: answer with [`answers::{variant}`] (`{}`).",
            op.returns.to_graphql()
        );
        enum_variants.push(quote! {
            #[doc = #doc]
            #variant(#rt::lambda::AppSyncEvent<#args>),
        });
        let qualified = format!("{parent}.{field}");
        arms.push(quote! {
            (#parent, #field) => ::core::result::Result::Ok(Call::#variant(
                #rt::lambda::__private::read(event, #qualified)?,
            )),
        });
        let answer_doc = format!("What `{parent}.{field}` returns.");
        answers.push(quote! {
            #[doc = #answer_doc]
            pub type #variant = #returns;
        });
    }
    quote! {
        // Recompiled when the schema changes.
        const _: &str = ::core::include_str!(#schema_file);

        #(#types)*
        #(#args_structs)*

        /// One call from AppSync, by field, with its typed event.
        #[derive(Debug)]
        #[allow(clippy::large_enum_variant)]
        pub enum Call {
            #(#enum_variants)*
        }

        impl Call {
            /// Reads AppSync's direct-Lambda event (the payload `lambda_runtime` hands
            /// over) into the call of its field.
            pub fn from_event(
                event: #support::serde_json::Value,
            ) -> ::core::result::Result<Call, #rt::lambda::ResolverError> {
                let (parent, field) = #rt::lambda::__private::field_of(&event);
                let (parent, field) = (parent.to_owned(), field.to_owned());
                match (parent.as_str(), field.as_str()) {
                    #(#arms)*
                    _ => ::core::result::Result::Err(#rt::lambda::ResolverError::UnknownField { parent, field }),
                }
            }
        }

        /// What each field returns, by the name of its [`Call`] variant.
        pub mod answers {
            #(#answers)*
        }
    }
}

/// The arguments of one field, read from the event's `arguments`.
fn args_struct(
    op: &GraphqlOperation,
    name: &syn::Ident,
    support: &TokenStream,
    serde_path: &str,
) -> TokenStream {
    let idents = unique(op.arguments.iter().map(|a| snake_case(&a.name)), &[]);
    let fields = op.arguments.iter().zip(idents).map(|(a, field)| {
        let field = ident(&field);
        let key = &a.name;
        let ty = rust_ty(&a.ty, &quote!(), support);
        let doc = format!("`{}: {}`", a.name, a.ty.to_graphql());
        if a.ty.is_non_null() {
            quote!(#[doc = #doc] #[serde(rename = #key)] pub #field: #ty,)
        } else {
            quote!(#[doc = #doc] #[serde(rename = #key, default)] pub #field: #ty,)
        }
    });
    let doc = format!("The arguments of `{}`.", op.field);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #support::serde::Deserialize)]
        #[serde(crate = #serde_path)]
        pub struct #name { #(#fields)* }
    }
}

/// A field's name as a Rust type's (`createPost` → `CreatePost`, `list_posts` →
/// `ListPosts`): each part's first letter up, the rest kept.
fn type_case(name: &str) -> String {
    name.split('_')
        .filter(|p| !p.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}
