//! What the Amplify CLI needs in a function's folder to push or export it: it packages a
//! function by zipping `function/<name>/src/` (its Node.js runtime's legacy build, which
//! synthesis names in the folder's `amplify.state`, since it has none for Rust). Push
//! leaves there what its own zip holds: a `bootstrap` that starts the binary it built,
//! kept under `src/node_modules/`, which the CLI zips but leaves out of the folder hash it
//! compares with the last push (so a rebuilt binary does not read as a change to it), and
//! which Amplify's `.gitignore` block keeps out of the repository.

use std::path::Path;

use crate::cli::error::{CliError, Result};
use crate::cli::state::project::write_atomic;

/// Where the binary goes, under the function's `src/`.
const BINARY: &str = "node_modules/amplify-rs-function/bootstrap";

/// The launcher at the zip's root, where Lambda's `provided.al2023` runtime looks.
const LAUNCHER: &str = "#!/bin/sh\n\
# Written by cargo amplify push: starts the function's binary, built by that push.\n\
exec \"$LAMBDA_TASK_ROOT/node_modules/amplify-rs-function/bootstrap\" \"$@\"\n";

/// Whether `folder` (a function's resource folder) is packaged by the Amplify CLI from
/// `src/`: synthesis wrote its `amplify.state`.
pub fn packages_from_src(folder: &Path) -> bool {
    folder.join("amplify.state").is_file()
}

/// Whether `rel` (relative to the function's `folder`) is one of the files push puts
/// there for the Amplify CLI: not an input of the stack (the code is fingerprinted from
/// its sources), so it is left out of the stack's fingerprint.
pub fn written_by_push(folder: &Path, rel: &Path) -> bool {
    rel.starts_with("src") && packages_from_src(folder)
}

/// Puts the built `binary` and its launcher in the function's `src/`, each replaced
/// whole.
pub fn place_binary(folder: &Path, binary: &[u8]) -> Result<()> {
    let src = folder.join("src");
    write_executable(&src.join(BINARY), binary)?;
    write_executable(&src.join("bootstrap"), LAUNCHER.as_bytes())
}

fn write_executable(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| CliError::io("set the mode of", path, e))?;
    }
    Ok(())
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
        place_binary(dir.path(), b"\x7fELF").unwrap();
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
