//! Typed REST routes (amplify-runtime's `rest` feature): for an API `ShopApi`, one
//! function per declared route taking its path parameters
//! (`ShopApi::orders_by_id(&client, id)` for `/orders/{id}`), which returns a request to
//! send with `.get()`, `.post(&body)` …, plus `client()` / `client_with(auth)`.
//!
//! Wrapped in amplify-runtime's `__rest_operations!`, which keeps the code only when the
//! runtime has its `rest` feature, as the GraphQL operations are.

use amplify_build::declaration::DeclaredResource;
use amplify_build::operations::{Operations, RestAuth, RestOperations, RestRoute};
use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::operations::{ident, unique};

/// The routes of every REST API.
pub fn expand(resources: &[DeclaredResource], rt: &TokenStream) -> TokenStream {
    let apis: TokenStream = resources
        .iter()
        .filter_map(|r| match r.operations.as_ref()? {
            Operations::Rest(ops) => Some(api(r, ops, rt)),
            Operations::Graphql(_) => None,
        })
        .collect();
    if apis.is_empty() {
        return apis;
    }
    quote!(#rt::__rest_operations! { #apis })
}

fn api(resource: &DeclaredResource, ops: &RestOperations, rt: &TokenStream) -> TokenStream {
    let resource_ident = syn::Ident::new(&resource.ident, Span::call_site());
    let taken: Vec<String> = resource
        .outputs
        .iter()
        .filter_map(|o| o.accessor.clone())
        .chain(["client", "client_with"].map(String::from))
        .collect();
    let names = unique(ops.routes.iter().map(|r| function_name(&r.path)), &taken);
    let routes = ops
        .routes
        .iter()
        .zip(&names)
        .map(|(route, name)| route_fn(route, name, rt));
    quote! {
        impl #resource_ident {
            /// A REST client without credentials, for the open routes.
            #[allow(dead_code)]
            pub fn client() -> ::core::result::Result<#rt::rest::Client, #rt::rest::Error> {
                Self::client_with(#rt::rest::Auth::None)
            }

            /// A REST client with the given authorization (IAM credentials of a signed-in
            /// user or guest, or a user-pool token). When the environment was pushed to a
            /// local cloud, requests go there (`AWS_ENDPOINT_URL`, when set, wins).
            #[allow(dead_code)]
            pub fn client_with(auth: #rt::rest::Auth) -> ::core::result::Result<#rt::rest::Client, #rt::rest::Error> {
                let local_cloud = #rt::config::__private::outputs(__AMPLIFY_EMBEDDED)
                    .ok()
                    .and_then(|(outputs, _)| outputs.local_cloud());
                ::core::result::Result::Ok(
                    #rt::rest::Client::new(Self::endpoint()?, auth).via_local_cloud(local_cloud),
                )
            }

            #(#routes)*
        }
    }
}

fn route_fn(route: &RestRoute, name: &str, rt: &TokenStream) -> TokenStream {
    let name = ident(name);
    let path = &route.path;
    // The first argument is `client`; a parameter of that name is renamed.
    let params: Vec<syn::Ident> = route
        .parameters
        .iter()
        .map(|p| match param_name(p).as_str() {
            "client" => ident("client_"),
            other => ident(other),
        })
        .collect();
    let auth = match route.auth {
        RestAuth::None => "Open: no credentials needed.",
        RestAuth::Iam => "Signed calls: a client with `Auth::Iam` credentials.",
        RestAuth::UserPool => "A client with `Auth::UserPool` (the caller's token).",
    };
    let doc = format!("`{path}` ({}). {auth}", route.access);
    let names = &route.parameters;
    quote! {
        #[doc = #doc]
        #[allow(dead_code)]
        pub fn #name<'a>(client: &'a #rt::rest::Client #(, #params: &str)*) -> #rt::rest::Request<'a> {
            client.path(#rt::rest::__private::fill(#path, &[#((#names, #params)),*]))
        }
    }
}

/// `/orders/{id}/items` → `orders_by_id_items`; `/` → `root`.
fn function_name(path: &str) -> String {
    let words: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|segment| match segment.strip_prefix('{') {
            Some(p) => format!("by_{}", param_name(p.trim_end_matches('}'))),
            None => param_name(segment),
        })
        .collect();
    if words.is_empty() {
        "root".to_owned()
    } else {
        words.join("_")
    }
}

/// A path word as a Rust name: `order-id` → `order_id`, `orderId` → `order_id`.
fn param_name(word: &str) -> String {
    crate::operations::snake_case(&word.replace('-', "_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_name_their_functions() {
        assert_eq!(function_name("/"), "root");
        assert_eq!(function_name("/orders"), "orders");
        assert_eq!(function_name("/orders/{id}"), "orders_by_id");
        assert_eq!(
            function_name("/order-items/{itemId}/x"),
            "order_items_by_item_id_x"
        );
    }
}
