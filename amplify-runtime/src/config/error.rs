//! What can go wrong reading client configuration, each naming the file or resource and
//! the fix.

use std::fmt;

/// A configuration problem.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// Nothing has been pushed yet: the outputs file has no resources.
    NotDeployed {
        /// The resource asked for.
        resource: String,
    },
    /// The resource is declared but the outputs file does not have it (stale outputs).
    MissingResource {
        /// The resource asked for.
        resource: String,
        /// The outputs file.
        file: String,
    },
    /// The resource is there but this output is not.
    MissingOutput {
        /// The resource.
        resource: String,
        /// The output key.
        output: String,
        /// The outputs file.
        file: String,
    },
    /// The file could not be read.
    Read {
        /// The file.
        file: String,
        /// The OS error.
        reason: String,
    },
    /// The file is not valid JSON, or not an outputs file.
    Invalid {
        /// The file.
        file: String,
        /// What is wrong, with line and column for JSON errors.
        reason: String,
    },
    /// The file belongs to another Amplify project.
    OtherProject {
        /// The file.
        file: String,
        /// The project this binary was built for.
        expected: String,
        /// The project the file names.
        found: String,
    },
    /// The crate has no build script running `amplify_build::synthesize()`.
    NotConfigured,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NotDeployed { resource } => {
                write!(f, "`{resource}` is not deployed yet: run `cargo amplify push`")
            }
            ConfigError::MissingResource { resource, file } => write!(
                f,
                "`{resource}` is declared but `{file}` has no outputs for it (stale outputs): run `cargo amplify push`, or `cargo amplify pull` if it is deployed"
            ),
            ConfigError::MissingOutput { resource, output, file } => write!(
                f,
                "`{file}` has no `{output}` for `{resource}`: run `cargo amplify pull` to refresh it"
            ),
            ConfigError::Read { file, reason } => write!(f, "cannot read `{file}`: {reason}"),
            ConfigError::Invalid { file, reason } => write!(f, "`{file}` is not a valid amplify_outputs.json: {reason}"),
            ConfigError::OtherProject { file, expected, found } => write!(
                f,
                "`{file}` belongs to project `{found}`, but this program was built for `{expected}`: point AMPLIFY_OUTPUTS at this project's outputs"
            ),
            ConfigError::NotConfigured => write!(
                f,
                "no outputs are embedded: add a build.rs that calls `amplify_build::synthesize()`"
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

/// `Debug` shows the message, so that `fn main() -> Result<(), ConfigError>` (and
/// `.unwrap()`) print what to do rather than a variant dump.
impl fmt::Debug for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
