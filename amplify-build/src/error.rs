//! Errors of the build library. Each message names the file (and line, for JSON) and
//! says what to do; the caller's build.rs decides how to report it.

use std::path::PathBuf;

/// Why synthesis failed.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A file could not be written (or renamed into place).
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// An existing JSON file under `amplify/` does not parse.
    #[error("`{}` line {line}, column {column}: {message}; fix the file or delete it to have it re-created", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// An existing JSON file has the wrong shape.
    #[error("`{}`: {message}", path.display())]
    Shape {
        /// The file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A required build-script environment variable is missing.
    #[error("environment variable `{0}` is not set: amplify_build::synthesize() runs from a build script (build.rs); elsewhere use Config::synthesize_in")]
    NotInBuildScript(&'static str),
    /// Two backend modules were found.
    #[error("found two `#[amplify::backend]` modules, `{}` at {} and `{}` at {}; a crate declares one backend: move the resources of one into the other", first.1, first.0, second.1, second.0)]
    TwoBackends {
        /// Where the first is, and its name.
        first: Box<(Location, String)>,
        /// Where the second is, and its name.
        second: Box<(Location, String)>,
    },
    /// The declaration has errors (reported at their spans by `cargo build`).
    #[error("the backend declaration has errors:\n  {}\nrun `cargo build` to see them at their source spans", problems.join("\n  "))]
    InvalidDeclaration {
        /// `file:line:col: message` per problem.
        problems: Vec<String>,
    },
    /// No `#[amplify::backend]` module was found.
    #[error("no `#[amplify::backend]` module found from `{}`", root.display())]
    NoBackend {
        /// The crate root searched.
        root: PathBuf,
    },
    /// Two registered categories declare resources with the same attribute.
    #[error("two categories are registered for `#[{0}]`; register each category once, and give a third-party category an attribute of its own")]
    DuplicateCategory(String),
    /// The configured project name is not valid for Amplify.
    #[error("project name `{0}` is invalid: Amplify project names are 3–20 ASCII letters and digits; set another with Config::project_name")]
    ProjectName(String),
}

/// `Debug` shows the message itself, so `synthesize().expect(..)` in a build.rs prints
/// something a person can act on rather than a struct dump.
impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// A place in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}
