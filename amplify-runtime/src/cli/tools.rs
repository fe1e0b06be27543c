//! Pinned tools `cargo amplify` installs on first use, each in a Python venv of its own
//! in the cache folder (`$AMPLIFY_RS_CACHE`, else `$XDG_CACHE_HOME/amplify-rs`, else
//! `~/.cache/amplify-rs`): the MiniStack emulator for `local start`, cargo-zigbuild and
//! zig for Rust functions. Both come from PyPI, so the first use needs Python 3 with venv
//! and pip; later uses need nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cli::error::{CliError, Kind, Result};
use crate::cli::state::project::write_atomic;

/// The cache folder, absolute (commands run in other directories use paths inside it).
pub fn cache_dir() -> PathBuf {
    let dir = configured_cache_dir();
    if dir.is_absolute() {
        return dir;
    }
    std::env::current_dir().map_or(dir.clone(), |cwd| cwd.join(&dir))
}

fn configured_cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("AMPLIFY_RS_CACHE") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(dir).join("amplify-rs");
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".cache/amplify-rs")
}

/// A venv named `name` in the cache with exactly `requirements` installed (once: a stamp
/// records what was installed, and a half-finished install is redone from scratch).
/// Returns the venv's folder.
pub fn venv(name: &str, requirements: &[&str]) -> Result<PathBuf> {
    let venv = cache_dir().join(name);
    let stamp = venv.join(".installed");
    let wanted = requirements.join("\n");
    let installed = || std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted);
    if installed() {
        return Ok(venv);
    }
    // Two commands installing at once would remove each other's files: the second
    // waits for the first, then finds the stamp.
    std::fs::create_dir_all(cache_dir()).map_err(|e| CliError::io("create", &cache_dir(), e))?;
    let lock_path = cache_dir().join(format!("{name}.lock"));
    let lock =
        std::fs::File::create(&lock_path).map_err(|e| CliError::io("create", &lock_path, e))?;
    lock.lock()
        .map_err(|e| CliError::io("lock", &lock_path, e))?;
    if installed() {
        return Ok(venv);
    }
    eprintln!(
        "Installing {} into {} (first use) …",
        requirements.join(", "),
        venv.display()
    );
    let _ = std::fs::remove_dir_all(&venv);
    run(
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
        "python3 -m venv",
    )?;
    run(
        Command::new(python(&venv))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(requirements),
        &format!("pip install {}", requirements.join(" ")),
    )?;
    write_atomic(&stamp, wanted.as_bytes())?;
    Ok(venv)
}

/// The venv's Python.
pub fn python(venv: &Path) -> PathBuf {
    venv.join("bin/python")
}

fn run(command: &mut Command, what: &str) -> Result<()> {
    let status = command
        .status()
        .map_err(|e| CliError::new(Kind::Other, format!("cannot run `{what}`: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(
            CliError::new(Kind::Other, format!("`{what}` failed ({status})"))
                .help("this needs Python 3 with venv and pip, and access to PyPI the first time"),
        )
    }
}
