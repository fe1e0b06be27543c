//! What build.rs tells the `#[backend]` macro: the macro cannot run third-party category
//! code, read the build's date or afford a synthesis, so the build script parses and
//! checks the declaration with every registered category and writes the result to
//! `$OUT_DIR/amplify_declaration.json`. The macro then reports each error at the token
//! it names and generates accessors from each resource's outputs table. A crate without
//! the build script has the macro build the same [`Declaration`] itself
//! ([`Declaration::of`]).

use serde::{Deserialize, Serialize};

use crate::category::model::Backend;
use crate::operations::Operations;
use crate::plan::OutputDef;
use crate::registry::Registry;

/// File name under `OUT_DIR`.
pub const DECLARATION_FILE: &str = "amplify_declaration.json";

/// The checked declaration of one backend module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Declaration {
    /// The source file holding the module (absolute).
    pub file: String,
    /// The module's name.
    pub module: String,
    /// Every registered resource attribute.
    pub attributes: Vec<String>,
    /// Every declared resource, including those whose declaration has errors.
    pub resources: Vec<DeclaredResource>,
    /// Every mistake, with where it was written.
    pub errors: Vec<Located>,
}

impl Declaration {
    /// The declaration of `module` in `file`, parsed into `backend` with `registry`,
    /// with the `errors` found.
    pub fn of(
        file: &std::path::Path,
        module: &syn::Ident,
        registry: &Registry,
        backend: &Backend,
        errors: &[syn::Error],
    ) -> Self {
        Declaration {
            file: file.display().to_string(),
            module: module.to_string(),
            attributes: registry
                .attributes()
                .iter()
                .map(|a| a.to_string())
                .collect(),
            resources: backend
                .resources
                .iter()
                .map(|r| DeclaredResource {
                    ident: r.ident.clone(),
                    name: r.name.clone(),
                    category: r.category().to_owned(),
                    outputs: r.outputs(),
                    operations: r.operations(),
                })
                .collect(),
            errors: errors.iter().map(Located::from_error).collect(),
        }
    }
}

/// One declared resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeclaredResource {
    /// The struct's name.
    pub ident: String,
    /// The Amplify resource name.
    pub name: String,
    /// The Amplify category.
    pub category: String,
    /// Its outputs (accessors among them).
    pub outputs: Vec<OutputDef>,
    /// Typed operations apps call on it (a GraphQL API's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations: Option<Operations>,
}

/// A message at a source range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Located {
    /// The message.
    pub message: String,
    /// 1-based line and 0-based column (in characters) where the range starts.
    pub start: (usize, usize),
    /// Where it ends.
    pub end: (usize, usize),
}

impl Located {
    /// Where a syn error points.
    pub fn from_error(error: &syn::Error) -> Self {
        let span = error.span();
        let (start, end) = (span.start(), span.end());
        Located {
            message: error.to_string(),
            start: (start.line, start.column),
            end: (end.line, end.column),
        }
    }
}
