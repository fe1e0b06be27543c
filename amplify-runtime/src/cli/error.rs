//! The one error type of `cargo amplify`, rendered once in `main` as a short paragraph:
//! what went wrong, naming the file, flag, stack or bucket, then what to do.

use std::fmt;
use std::path::Path;

/// What kind of failure, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A bad flag, name or file: fix the input (exit 2).
    Input,
    /// AWS (or the emulator) could not be reached or refused a call (exit 3).
    Aws,
    /// CloudFormation rolled the deployment back (exit 4).
    Deploy,
    /// Another push of the same environment holds the lock (exit 5).
    Busy,
    /// A command hook failed (exit 76, as Amplify's).
    Hook,
    /// Ctrl-C (exit 130).
    Interrupted,
    /// Anything else (exit 1).
    Other,
}

/// An error with its remedy.
#[derive(Debug)]
pub struct CliError {
    /// The category.
    pub kind: Kind,
    /// What went wrong, naming the file, stack, bucket or flag involved.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The underlying error (an OS error, a parse error…), rendered after the message.
    pub source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl CliError {
    /// An error of `kind`.
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        CliError {
            kind,
            message: message.into(),
            help: None,
            source: None,
        }
    }

    /// A bad-input error.
    pub fn input(message: impl Into<String>) -> Self {
        Self::new(Kind::Input, message)
    }

    /// Adds the remedy.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Keeps the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// The documented exit code.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Other => 1,
            Kind::Input => 2,
            Kind::Aws => 3,
            Kind::Deploy => 4,
            Kind::Busy => 5,
            Kind::Hook => 76,
            Kind::Interrupted => 130,
        }
    }

    /// A file that could not be read or written.
    pub fn io(action: &str, path: &Path, err: std::io::Error) -> Self {
        Self::new(Kind::Other, format!("cannot {action} `{}`", path.display())).with_source(err)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        let mut cause = std::error::Error::source(self);
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<amplify_build::Error> for CliError {
    fn from(e: amplify_build::Error) -> Self {
        CliError::input(e.to_string())
    }
}

/// Shorthand for results of the CLI.
pub type Result<T, E = CliError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_renders_its_message_cause_and_help_with_its_exit_code() {
        let cases = [
            (Kind::Input, 2),
            (Kind::Aws, 3),
            (Kind::Deploy, 4),
            (Kind::Busy, 5),
            (Kind::Hook, 76),
            (Kind::Interrupted, 130),
            (Kind::Other, 1),
        ];
        for (kind, code) in cases {
            let e = CliError::new(kind, "cannot write `amplify/x.json`")
                .with_source(std::io::Error::other("disk full"))
                .help("free some space");
            assert_eq!(e.exit_code(), code);
            assert_eq!(
                e.to_string(),
                "error: cannot write `amplify/x.json`: disk full\n  help: free some space"
            );
        }
        let io = CliError::io("read", Path::new("a.json"), std::io::Error::other("gone"));
        assert_eq!(io.to_string(), "error: cannot read `a.json`: gone");
        assert!(std::error::Error::source(&io).is_some());
    }
}
