//! Attribute macros that declare an Amplify backend in Rust.
//!
//! ```ignore
//! #[amplify::backend]
//! pub mod backend {
//!     #[auth(sign_in = [email])]
//!     pub struct BlogAuth;
//! }
//! ```
//!
//! The declaration grammar and its checks live in `amplify_build::decl`, which the
//! build.rs side uses too: the macro and the synthesiser cannot disagree. Mistakes are
//! compile errors at the offending token; every mistake of a module is reported at once.
#![deny(missing_docs)]

mod accessors;
mod expand;
mod locate;
mod operations;
mod resolvers;
mod rest;

use proc_macro::TokenStream;

/// Declares a backend: an inline module whose unit structs carry `#[auth(...)]`,
/// `#[api(...)]`, `#[bucket(...)]`, `#[table(...)]` or `#[function(...)]`.
///
/// The module is kept as written (minus the resource attributes); each resource struct
/// gains `RESOURCE_NAME` and `CATEGORY` constants and typed accessors for its deployed
/// outputs (`Photos::bucket_name()`, `BlogApi::endpoint()` …), and the module gains
/// `outputs()`. The outputs come from `amplify_outputs.json`, embedded by the crate's
/// build.rs (`amplify_build::synthesize()`), or from the file named by `AMPLIFY_OUTPUTS`.
#[proc_macro_attribute]
pub fn backend(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::backend(attr.into(), item.into()).into()
}

/// Types a Rust resolver function from its API's schema: on a module of the function's
/// crate, `#[amplify::resolvers(schema = "../app/schema.graphql")]` (a path from the
/// function crate's root) generates the schema's types, an arguments struct per `Query`
/// and `Mutation` field, `Call::from_event(event)` that reads AppSync's direct-Lambda
/// event into `Call::<Field>(AppSyncEvent<<Field>Args>)`, and `answers::<Field>`, the
/// type each field returns.
#[proc_macro_attribute]
pub fn resolvers(attr: TokenStream, item: TokenStream) -> TokenStream {
    resolvers::expand(attr.into(), item.into()).into()
}
