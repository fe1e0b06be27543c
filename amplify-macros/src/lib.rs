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

mod expand;

use proc_macro::TokenStream;

/// Declares a backend: an inline module whose unit structs carry `#[auth(...)]`,
/// `#[api(...)]`, `#[bucket(...)]`, `#[table(...)]` or `#[function(...)]`.
///
/// The module is kept as written (minus the resource attributes); each resource struct
/// gains `RESOURCE_NAME` and `CATEGORY` constants.
#[proc_macro_attribute]
pub fn backend(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::backend(attr.into(), item.into()).into()
}
