//! Runtime side of amplify-rs: the declaration macros today, typed client
//! configuration next.
//!
//! Depend on it under the name `amplify` so declarations read `#[amplify::backend]`:
//!
//! ```toml
//! [dependencies]
//! amplify = { package = "amplify-runtime", version = "0.1" }
//! ```
#![deny(missing_docs)]

#[cfg(feature = "macros")]
pub use amplify_macros::backend;
