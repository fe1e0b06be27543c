//! What the Amplify CLI needs in a function's folder to push or export it: it packages a
//! function by zipping `function/<name>/src/` (its Node.js runtime's legacy build, which
//! synthesis names in the folder's `amplify.state`: the CLI has no Rust runtime, and its
//! Python one would rebuild the code with pipenv). Push leaves there what its own zip
//! holds, once it has deployed it: a Node.js or Python function's files, or for a Rust function a `bootstrap` that
//! starts the binary it built, kept under `src/node_modules/`, which the CLI zips but
//! leaves out of the folder hash it compares with the last push (a rebuilt binary does not
//! read as a change to it) and which Amplify's `.gitignore` block keeps out of the
//! repository.

use std::path::{Path, PathBuf};

use amplify_build::plan::{Asset, CodeSource};

use crate::cli::deploy::assets::ZipEntry;
use crate::cli::error::{CliError, Result};
use crate::cli::state::project::swap_dir;

/// Where a Rust function's binary goes, under the function's `src/`.
const BINARY: &str = "node_modules/amplify-rs-function/bootstrap";

/// The launcher at the zip's root, where Lambda's `provided.al2023` runtime looks.
const LAUNCHER: &str = "#!/bin/sh\n\
# Written by cargo amplify push: starts the function's binary, built by that push.\n\
exec \"$LAMBDA_TASK_ROOT/node_modules/amplify-rs-function/bootstrap\" \"$@\"\n";

/// Where the next `src/` is built, beside it.
const STAGING: &str = ".src.staging";

/// Whether `folder` (a function's resource folder) is packaged by the Amplify CLI from
/// `src/`: synthesis wrote its `amplify.state`.
pub fn packages_from_src(folder: &Path) -> bool {
    folder.join("amplify.state").is_file()
}

/// Whether `rel` (relative to the function's `folder`) is one of the files push puts
/// there for the Amplify CLI: not an input of the stack (the code is fingerprinted from
/// its sources), so it is left out of the stack's fingerprint.
pub fn written_by_push(folder: &Path, rel: &Path) -> bool {
    (rel.starts_with("src") || rel.starts_with(STAGING)) && packages_from_src(folder)
}

/// What push leaves in one function's `src/` for the Amplify CLI, once it has deployed.
pub struct CliPackage {
    folder: PathBuf,
    files: Vec<ZipEntry>,
}

impl CliPackage {
    /// The package of the function in `folder` whose deployed zip holds `entries`, or
    /// `None` where the CLI does not package from `src/`, or where `src/` is already the
    /// code (a Gen 1 layout kept: it stays as it is).
    pub fn of(
        folder: PathBuf,
        project_root: &Path,
        asset: &Asset,
        entries: &[ZipEntry],
    ) -> Option<CliPackage> {
        if !packages_from_src(&folder) {
            return None;
        }
        let Asset::FunctionCode { source, .. } = asset else {
            return None;
        };
        let files = match source {
            CodeSource::RustPackage { .. } => {
                let binary = entries.iter().find(|(name, ..)| name == "bootstrap")?;
                rust_package(binary.1.clone())
            }
            CodeSource::Folder { path } if project_root.join(path) == folder.join("src") => {
                return None
            }
            CodeSource::Folder { .. } => entries.to_vec(),
        };
        Some(CliPackage { folder, files })
    }

    /// Replaces the function's `src/` with the package.
    pub fn place(&self) -> Result<()> {
        place_package(&self.folder, &self.files)
    }
}

/// The files of a Rust function's package for the Amplify CLI: the launcher and `binary`.
fn rust_package(binary: Vec<u8>) -> Vec<ZipEntry> {
    vec![
        ("bootstrap".to_owned(), LAUNCHER.as_bytes().to_vec(), 0o755),
        (BINARY.to_owned(), binary, 0o755),
    ]
}

/// Replaces the function's `src/` with `files` (relative path, bytes, mode): built
/// beside it, then swapped in, so it is the old package or the new one, never a mix.
fn place_package(folder: &Path, files: &[ZipEntry]) -> Result<()> {
    let staging = folder.join(STAGING);
    let _ = std::fs::remove_dir_all(&staging);
    for (rel, bytes, mode) in files {
        let path = staging.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| CliError::io("create", parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| CliError::io("write", &path, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(*mode))
                .map_err(|e| CliError::io("set the mode of", &path, e))?;
        }
        #[cfg(not(unix))]
        let _ = mode;
    }
    swap_dir(&staging, &folder.join("src"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_push_writes_is_told_apart_in_a_folder_with_amplify_state() {
        let dir = tempfile::tempdir().unwrap();
        let launcher = Path::new("src/bootstrap");
        assert!(!written_by_push(dir.path(), launcher));
        std::fs::write(dir.path().join("amplify.state"), "{}").unwrap();
        assert!(written_by_push(dir.path(), launcher));
        assert!(written_by_push(
            dir.path(),
            Path::new("src").join(BINARY).as_path()
        ));
        assert!(!written_by_push(dir.path(), Path::new("parameters.json")));
    }

    #[test]
    fn the_launcher_and_binary_are_executable_under_src() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src/stale")).unwrap();
        std::fs::write(dir.path().join("src/stale/index.js"), "old").unwrap();
        place_package(dir.path(), &rust_package(b"\x7fELF".to_vec())).unwrap();
        assert!(
            !dir.path().join("src/stale").exists(),
            "the old package is replaced whole"
        );
        let binary = dir.path().join("src").join(BINARY);
        assert_eq!(std::fs::read(&binary).unwrap(), b"\x7fELF");
        let launcher = std::fs::read_to_string(dir.path().join("src/bootstrap")).unwrap();
        assert!(launcher.starts_with("#!/bin/sh\n"));
        assert!(launcher.contains(&format!("$LAMBDA_TASK_ROOT/{BINARY}")));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for path in [binary, dir.path().join("src/bootstrap")] {
                let mode = std::fs::metadata(&path).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o755, "{}", path.display());
            }
        }
    }
}
