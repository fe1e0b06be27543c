//! Synthesise an Amplify-compatible `amplify/` folder from a backend declared in Rust.
//!
//! Declare the backend with the attribute macros of `amplify-runtime` (re-exported from
//! `amplify-macros`):
//!
//! ```ignore
//! #[amplify::backend]
//! pub mod backend {
//!     #[auth(sign_in = [email], identity_pool)]
//!     pub struct BlogAuth;
//!
//!     #[table(partition_key = id: string)]
//!     pub struct PostTable;
//!
//!     #[function(runtime = rust(package = "blog-posts-fn"), grant(PostTable = [read, write]))]
//!     pub struct PostsFn;
//! }
//! ```
//!
//! and call the library from `build.rs`:
//!
//! ```no_run
//! // build.rs
//! amplify_build::synthesize().expect("amplify backend synthesis");
//! ```
//!
//! with `Cargo.toml`:
//!
//! ```toml
//! [build-dependencies]
//! amplify-build = "0.1"
//! ```
//!
//! Synthesis writes, beside `Cargo.toml`, the layout the Amplify CLI uses:
//! `amplify/.config/project-config.json`, `amplify/backend/backend-config.json`, one
//! folder per resource with its nested CloudFormation template and `parameters.json`,
//! the root stack in `amplify/backend/awscloudformation/build/`, `amplify/backend/tags.json`
//! and Amplify's `.gitignore` block. Files are rewritten only when their bytes change,
//! and `cargo::rerun-if-changed` lists exactly the files read, so an unchanged build
//! does not re-run the build script.
#![deny(missing_docs)]

pub mod categories;
pub mod category;
mod cfg;
pub mod cfn;
mod config;
pub mod decl;
pub mod declaration;
pub mod deps;
mod embed;
mod error;
pub mod files;
mod fs;
mod incremental;
pub mod operations;
pub mod parse;
pub mod plan;
pub mod registry;
mod scan;
pub mod synth;

pub use category::{Capability, Category, Declared, Descriptor, Edge, ImportKey, Link, OutputDef};
pub use config::{synthesize, Config, Outcome, Report, OUTPUTS_FILE};
pub use error::{Error, Location};
pub use fs::write_atomic;
/// The map type of the category interface ([`Category::imported`]).
pub use indexmap;
pub use registry::Registry;
