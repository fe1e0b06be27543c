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

#[cfg(feature = "graphql")]
pub mod graphql;

/// Keeps the typed GraphQL operations `#[backend]` generates: with the `graphql`
/// feature, they are compiled; without it, dropped (the client they call is absent).
#[cfg(feature = "graphql")]
#[doc(hidden)]
#[macro_export]
macro_rules! __graphql_operations {
    ($($generated:tt)*) => { $($generated)* };
}

/// See the `graphql` feature's version.
#[cfg(not(feature = "graphql"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __graphql_operations {
    ($($generated:tt)*) => {};
}

#[cfg(any(feature = "graphql", feature = "rest", feature = "cli"))]
mod http;

#[cfg(feature = "rest")]
pub mod rest;

/// Keeps the typed REST routes `#[backend]` generates: with the `rest` feature, they
/// are compiled; without it, dropped (the client they call is absent).
#[cfg(feature = "rest")]
#[doc(hidden)]
#[macro_export]
macro_rules! __rest_operations {
    ($($generated:tt)*) => { $($generated)* };
}

/// See the `rest` feature's version.
#[cfg(not(feature = "rest"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __rest_operations {
    ($($generated:tt)*) => {};
}

#[cfg(feature = "macros")]
pub use amplify_macros::{backend, resolvers};

pub mod lambda;

#[cfg(feature = "cli")]
pub mod cli;
