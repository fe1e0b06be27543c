//! Typed GraphQL operations (amplify-runtime's `graphql` feature): for an API `BlogApi`,
//! a module `blog_api` with a Rust type per schema type, and on `BlogApi` one async
//! function per `Query`/`Mutation` field plus `client()` / `client_with(auth)`.
//!
//! The code is always generated, wrapped in amplify-runtime's `__graphql_operations!`,
//! which keeps it only when the runtime has its `graphql` feature (and so the client the
//! calls use): the runtime, not the macro crate, decides, so the two cannot disagree.
//!
//! Object-typed fields of output types are `Option` whatever the schema says: a document
//! selects nested objects only to a fixed depth, so a field may be absent from an answer.

use amplify_build::declaration::DeclaredResource;
use amplify_build::operations::{
    GraphqlField, GraphqlOperation, GraphqlOperations, GraphqlType, GraphqlTypeKind, Operations,
    TypeClass, TypeRef,
};
use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

/// The operations of every resource that has some.
pub fn expand(resources: &[DeclaredResource], rt: &TokenStream) -> TokenStream {
    let apis: TokenStream = resources
        .iter()
        .filter_map(|r| match r.operations.as_ref()? {
            Operations::Graphql(ops) => Some(api(r, ops, rt)),
            Operations::Rest(_) => None,
        })
        .collect();
    if apis.is_empty() {
        return apis;
    }
    quote!(#rt::__graphql_operations! { #apis })
}

fn api(resource: &DeclaredResource, ops: &GraphqlOperations, rt: &TokenStream) -> TokenStream {
    let resource_ident = syn::Ident::new(&resource.ident, Span::call_site());
    let module = ident(&snake_case(&resource.ident));
    let support = quote!(#rt::graphql::__private);
    let serde_path = format!("{support}::serde").replace(' ', "");
    let recursive = recursive_fields(&ops.types);
    let types = ops
        .types
        .iter()
        .map(|t| rust_type(t, &recursive, &support, &serde_path));
    let pages = ops
        .types
        .iter()
        .filter_map(|t| connection_impl(t, &recursive, rt));
    // The resource's own functions keep their names; a clashing operation (a query
    // field named `endpoint`, or a query and a mutation of one name) gets its kind.
    let taken: Vec<String> = resource
        .outputs
        .iter()
        .filter_map(|o| o.accessor.clone())
        .chain(["client", "client_with"].map(String::from))
        .collect();
    let mut names: Vec<String> = taken.clone();
    let calls: Vec<TokenStream> = ops
        .operations
        .iter()
        .map(|op| {
            let mut name = snake_case(&op.field);
            if names.contains(&name) {
                name = format!("{name}_{}", op.kind.keyword());
            }
            let name = unique([name].into_iter(), &names).remove(0);
            names.push(name.clone());
            call(op, &ident(&name), &module, rt, &serde_path)
        })
        .collect();
    let module_doc = format!(
        "Types of the GraphQL schema of [`{0}`] (generated from it; see [`{0}::client`]).",
        resource.ident
    );
    let has_api_key = resource
        .outputs
        .iter()
        .any(|o| o.accessor.as_deref() == Some("api_key"));
    let client = if has_api_key {
        quote! {
            /// A GraphQL client authorized with the API key.
            #[allow(dead_code)]
            pub fn client() -> ::core::result::Result<#rt::graphql::Client, #rt::graphql::Error> {
                Self::client_with(#rt::graphql::Auth::ApiKey(Self::api_key()?.to_owned()))
            }
        }
    } else {
        TokenStream::new()
    };
    let default_auth = format!("The API's default auth mode is `{}`.", ops.default_auth);
    quote! {
        #[doc = #module_doc]
        #[allow(dead_code, clippy::all)]
        pub mod #module {
            #(#types)*
            #(#pages)*
        }

        impl #resource_ident {
            #client

            /// A GraphQL client with the given authorization (a user's token after they
            /// sign in, IAM credentials). When the environment was pushed to a local cloud,
            /// requests go there (`AWS_ENDPOINT_URL`, when set, wins).
            #[doc = #default_auth]
            #[allow(dead_code)]
            pub fn client_with(auth: #rt::graphql::Auth) -> ::core::result::Result<#rt::graphql::Client, #rt::graphql::Error> {
                let local_cloud = #rt::config::__private::outputs(__AMPLIFY_EMBEDDED)
                    .ok()
                    .and_then(|(outputs, _)| outputs.local_cloud());
                ::core::result::Result::Ok(
                    #rt::graphql::Client::new(Self::endpoint()?, auth).via_local_cloud(local_cloud),
                )
            }

            #(#calls)*
        }
    }
}

/// (type, field) pairs whose type leads back to the type without a list in between: they
/// are boxed, or the struct would contain itself (`input Filter { not: Filter }`).
pub(crate) fn recursive_fields(types: &[GraphqlType]) -> BTreeSet<(String, String)> {
    let direct = |t: &GraphqlType| -> Vec<(String, String)> {
        t.fields
            .iter()
            .filter_map(|f| match &f.ty {
                TypeRef::Named {
                    name,
                    class: TypeClass::Generated,
                    ..
                } => Some((f.name.clone(), name.clone())),
                _ => None,
            })
            .collect()
    };
    let edges: BTreeMap<&str, Vec<(String, String)>> =
        types.iter().map(|t| (t.name.as_str(), direct(t))).collect();
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(at) = stack.pop() {
            if at == to {
                return true;
            }
            if seen.insert(at.clone()) {
                let next = edges.get(at.as_str()).into_iter().flatten();
                stack.extend(next.map(|(_, ty)| ty.clone()));
            }
        }
        false
    };
    let mut boxed = BTreeSet::new();
    for (owner, fields) in &edges {
        for (field, ty) in fields {
            if reaches(ty, owner) {
                boxed.insert((owner.to_string(), field.clone()));
            }
        }
    }
    boxed
}

pub(crate) fn rust_type(
    t: &GraphqlType,
    recursive: &BTreeSet<(String, String)>,
    support: &TokenStream,
    serde_path: &str,
) -> TokenStream {
    let name = ident(&t.name);
    let doc = t
        .doc
        .clone()
        .unwrap_or_else(|| format!("GraphQL `{}`.", t.name));
    match t.kind {
        GraphqlTypeKind::Enum => {
            let names = unique(t.values.iter().map(|v| upper_camel(v)), &[]);
            let variants = t.values.iter().zip(names).map(|(v, name)| {
                let variant = ident(&name);
                quote!(#[serde(rename = #v)] #variant,)
            });
            quote! {
                #[doc = #doc]
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, #support::serde::Serialize, #support::serde::Deserialize)]
                #[serde(crate = #serde_path)]
                pub enum #name { #(#variants)* }
            }
        }
        GraphqlTypeKind::Object | GraphqlTypeKind::Input => {
            let output = t.kind == GraphqlTypeKind::Object;
            let names = unique(t.fields.iter().map(|f| snake_case(&f.name)), &[]);
            let fields = t.fields.iter().zip(names).map(|(f, name)| {
                let boxed = recursive.contains(&(t.name.clone(), f.name.clone()));
                struct_field(f, &ident(&name), output, boxed, support)
            });
            // An input whose fields are all optional (a filter, a condition) can be
            // written with `..Default::default()`.
            let default =
                (!output && t.fields.iter().all(|f| !f.ty.is_non_null())).then(|| quote!(Default,));
            quote! {
                #[doc = #doc]
                #[derive(Debug, Clone, PartialEq, #default #support::serde::Serialize, #support::serde::Deserialize)]
                #[serde(crate = #serde_path)]
                pub struct #name { #(#fields)* }
            }
        }
    }
}

/// `Connection` for an object of `items` (a list of objects) and `nextToken`, such as a
/// `@model`'s `Model…Connection`, so `amplify::graphql::Pages` can follow its pages.
fn connection_impl(
    t: &GraphqlType,
    recursive: &BTreeSet<(String, String)>,
    rt: &TokenStream,
) -> Option<TokenStream> {
    if t.kind != GraphqlTypeKind::Object {
        return None;
    }
    let items = t.fields.iter().find(|f| f.name == "items")?;
    let next = t.fields.iter().find(|f| f.name == "nextToken")?;
    let (TypeRef::List { of, .. }, TypeRef::Named { name, .. }) = (&items.ty, &next.ty) else {
        return None;
    };
    let (item, class) = of.named();
    let boxed = recursive.contains(&(t.name.clone(), items.name.clone()));
    if name != "String" || class != TypeClass::Generated || boxed || next.ty.is_non_null() {
        return None;
    }
    let name = ident(&t.name);
    let item_ident = ident(item);
    let items_field = ident(&snake_case(&items.name));
    let next_field = ident(&snake_case(&next.name));
    // An object field is optional (it may be left out of the selection), and a nullable
    // element is an `Option` too: both flatten away.
    let elements = if of.is_non_null() {
        quote!(.into_iter().flatten())
    } else {
        quote!(.into_iter().flatten().flatten())
    };
    Some(quote! {
        impl #rt::graphql::Connection for #name {
            type Item = #item_ident;
            fn into_page(self) -> (::std::vec::Vec<#item_ident>, ::core::option::Option<::std::string::String>) {
                (self.#items_field #elements.collect(), self.#next_field)
            }
        }
    })
}

fn struct_field(
    field: &GraphqlField,
    field_ident: &syn::Ident,
    output: bool,
    boxed: bool,
    support: &TokenStream,
) -> TokenStream {
    let key = &field.name;
    let doc = field
        .doc
        .clone()
        .unwrap_or_else(|| format!("`{}: {}`", field.name, field.ty.to_graphql()));
    let (name, class) = field.ty.named();
    let maybe_unselected =
        output && (field.unselectable || matches!(class, TypeClass::Generated | TypeClass::Union));
    let mut ty = if boxed {
        let inner = ident(name);
        let boxed = quote!(::std::boxed::Box<#inner>);
        if field.ty.is_non_null() {
            boxed
        } else {
            quote!(::core::option::Option<#boxed>)
        }
    } else {
        rust_ty(&field.ty, &quote!(), support)
    };
    let optional = !field.ty.is_non_null() || maybe_unselected;
    if field.ty.is_non_null() && maybe_unselected {
        ty = quote!(::core::option::Option<#ty>);
    }
    let attrs = if optional {
        quote!(#[serde(rename = #key, default, skip_serializing_if = "::core::option::Option::is_none")])
    } else {
        quote!(#[serde(rename = #key)])
    };
    quote! {
        #[doc = #doc]
        #attrs
        pub #field_ident: #ty,
    }
}

/// The Rust type of a GraphQL type reference; `prefix` is the path to generated types,
/// `support` the runtime module re-exporting serde and serde_json.
pub(crate) fn rust_ty(ty: &TypeRef, prefix: &TokenStream, support: &TokenStream) -> TokenStream {
    let inner = match ty {
        TypeRef::Named { name, class, .. } => match class {
            TypeClass::Generated | TypeClass::Enum => {
                let ident = ident(name);
                quote!(#prefix #ident)
            }
            TypeClass::CustomScalar | TypeClass::Union => {
                quote!(#support::serde_json::Value)
            }
            TypeClass::Scalar => match name.as_str() {
                "Int" => quote!(::core::primitive::i32),
                "Float" => quote!(::core::primitive::f64),
                "Boolean" => quote!(::core::primitive::bool),
                "AWSTimestamp" => quote!(::core::primitive::i64),
                _ => quote!(::std::string::String),
            },
        },
        TypeRef::List { of, .. } => {
            let of = rust_ty(of, prefix, support);
            quote!(::std::vec::Vec<#of>)
        }
    };
    if ty.is_non_null() {
        inner
    } else {
        quote!(::core::option::Option<#inner>)
    }
}

fn call(
    op: &GraphqlOperation,
    f: &syn::Ident,
    module: &syn::Ident,
    rt: &TokenStream,
    serde_path: &str,
) -> TokenStream {
    let prefix = quote!(#module::);
    let support = quote!(#rt::graphql::__private);
    // `client` is the first parameter's name.
    let idents: Vec<syn::Ident> = unique(
        op.arguments.iter().map(|a| snake_case(&a.name)),
        &["client".to_owned()],
    )
    .iter()
    .map(|n| ident(n))
    .collect();
    let params = op.arguments.iter().zip(&idents).map(|(a, name)| {
        let ty = rust_ty(&a.ty, &prefix, &support);
        quote!(#name: #ty)
    });
    let variable_fields = op.arguments.iter().zip(&idents).map(|(a, name)| {
        let key = &a.name;
        let ty = rust_ty(&a.ty, &prefix, &support);
        if a.ty.is_non_null() {
            quote!(#[serde(rename = #key)] #name: #ty,)
        } else {
            quote!(#[serde(rename = #key, skip_serializing_if = "::core::option::Option::is_none")] #name: #ty,)
        }
    });
    let names = idents.iter();
    let returns = rust_ty(&op.returns, &prefix, &support);
    let document = &op.document;
    let name = &op.name;
    let field = &op.field;
    let mut doc = op
        .doc
        .clone()
        .unwrap_or_else(|| format!("The `{}` {}.", op.field, op.kind.keyword()));
    doc.push_str(&format!("\n\n```graphql\n{document}\n```"));
    quote! {
        #[doc = #doc]
        #[allow(dead_code, clippy::too_many_arguments)]
        pub async fn #f(client: &#rt::graphql::Client, #(#params),*) -> ::core::result::Result<#returns, #rt::graphql::Error> {
            #[derive(#rt::graphql::__private::serde::Serialize)]
            #[serde(crate = #serde_path)]
            struct Variables { #(#variable_fields)* }
            client
                .execute(#rt::graphql::Operation {
                    document: #document,
                    name: #name,
                    field: #field,
                    variables: &Variables { #(#names),* },
                })
                .await
        }
    }
}

/// A Rust identifier for a name already in Rust's case: raw if a keyword, with a `_`
/// after the keywords that cannot be raw.
pub(crate) fn ident(name: &str) -> syn::Ident {
    // `_1` is a fine GraphQL enum value, but its Rust case is `1` or nothing.
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return format_ident!("V{name}");
    }
    match name {
        "self" | "super" | "crate" | "Self" | "_" => format_ident!("{name}_"),
        // A keyword in edition 2024 that syn 2 accepts as an identifier.
        "gen" => syn::Ident::new_raw(name, Span::call_site()),
        _ if syn::parse_str::<syn::Ident>(name).is_err() => {
            syn::Ident::new_raw(name, Span::call_site())
        }
        _ => format_ident!("{name}"),
    }
}

/// `names` made distinct from each other and from `taken` (`fooBar` and `foo_bar` both
/// become `foo_bar`: the second is `foo_bar_2`).
pub(crate) fn unique(names: impl Iterator<Item = String>, taken: &[String]) -> Vec<String> {
    let mut seen: Vec<String> = taken.to_vec();
    let mut out = Vec::new();
    for name in names {
        let mut candidate = name.clone();
        let mut n = 1;
        while seen.contains(&candidate) {
            n += 1;
            candidate = format!("{name}_{n}");
        }
        seen.push(candidate.clone());
        out.push(candidate);
    }
    out
}

/// `createPost` → `create_post`, `BlogApi` → `blog_api`, `URL` → `url`.
pub(crate) fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let after_lower =
                i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            let before_lower = i > 0
                && chars.get(i + 1).is_some_and(|n| n.is_lowercase())
                && chars[i - 1].is_uppercase();
            if after_lower || before_lower {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(*c);
        }
    }
    out
}

/// `PUBLISHED` → `Published`, `in_review` → `InReview`.
pub(crate) fn upper_camel(name: &str) -> String {
    name.split('_')
        .filter(|p| !p.is_empty())
        .map(|part| {
            let lower = part.to_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(snake_case("createPost"), "create_post");
        assert_eq!(snake_case("BlogApi"), "blog_api");
        assert_eq!(snake_case("postURL"), "post_url");
        assert_eq!(snake_case("URLForPost"), "url_for_post");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("Self").to_string(), "Self_");
        assert_eq!(ident("gen").to_string(), "r#gen");
        assert_eq!(ident(&upper_camel("_1")).to_string(), "V1");
        assert_eq!(ident(&upper_camel("_")).to_string(), "V");
        assert_eq!(
            unique(["a", "b", "a"].map(String::from).into_iter(), &["b".into()]),
            ["a", "b_2", "a_2"]
        );
        assert_eq!(upper_camel("IN_REVIEW"), "InReview");
    }
}
