//! Runtime side of amplify-rs: typed client configuration ([`config`]), the declaration
//! macros, and (feature `cli`) the `cargo amplify` deployer.
//!
//! Depend on it under the name `amplify` so declarations read `#[amplify::backend]`:
//!
//! ```toml
//! [dependencies]
//! amplify = { package = "amplify-runtime", version = "0.1" }
//! ```
//!
//! The deployer is a separate feature so that apps reading configuration never compile
//! the AWS SDK or tokio: `cargo install amplify-runtime --features cli` gives
//! `cargo amplify`.
#![deny(missing_docs)]

pub mod config;

pub use config::{ConfigError, Outputs};

#[cfg(feature = "macros")]
pub use amplify_macros::backend;

#[cfg(feature = "cli")]
pub mod cli;
