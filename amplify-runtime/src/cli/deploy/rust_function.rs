//! Rust functions, built the way Rust Lambda users build them: `cargo zigbuild --release`
//! for `<arch>-unknown-linux-gnu.2.34`, so the `bootstrap` binary links against no newer
//! glibc than Amazon Linux 2023 (the `provided.al2023` runtime) has, whatever the host.
//! cargo-zigbuild and zig are pinned and installed on first use ([`tools`]). The built
//! binary's needed glibc symbol versions are checked before it is zipped: a binary that
//! would fail to start in Lambda is never uploaded.
//!
//! For the local cloud, which runs `bootstrap` as a process of this very host, the
//! function is built the way the app is: `cargo build` for the host, in the workspace's
//! target folder and dev profile, so a first push reuses what the app's build compiled
//! ([`FunctionBuild::Host`]).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use amplify_build::plan::Architecture;

use crate::cli::error::{CliError, Kind, Result};
use crate::cli::state::synthesis::cargo;
use crate::cli::tools;

/// What `provided.al2023` offers.
pub const LAMBDA_GLIBC: (u32, u32) = (2, 34);
/// The pinned build tools.
const ZIGBUILD: &[&str] = &["cargo-zigbuild==0.24.1", "ziglang==0.15.2"];

/// How a Rust function is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionBuild {
    /// For AWS Lambda: `cargo zigbuild --release` for Amazon Linux's glibc, checked.
    Lambda,
    /// For a local cloud on this host: `cargo build` (dev profile, the host's target).
    Host,
}

impl FunctionBuild {
    /// [`FunctionBuild::Host`] for an endpoint on this machine's loopback (the local
    /// cloud runs functions as its own processes), else [`FunctionBuild::Lambda`].
    /// `AMPLIFY_RS_FUNCTION_BUILD=lambda` (or `host`) decides instead, e.g. for an
    /// emulator that runs functions in Linux containers.
    pub fn for_endpoint(endpoint: Option<&str>) -> FunctionBuild {
        match std::env::var("AMPLIFY_RS_FUNCTION_BUILD").as_deref() {
            Ok("lambda") => return FunctionBuild::Lambda,
            Ok("host") => return FunctionBuild::Host,
            _ => {}
        }
        if endpoint.is_some_and(crate::cli::aws::is_loopback) {
            FunctionBuild::Host
        } else {
            FunctionBuild::Lambda
        }
    }
}

/// One Rust function package to build.
pub struct RustFunction<'a> {
    /// The function's resource name, for messages.
    pub name: &'a str,
    /// Its package.
    pub package: &'a str,
    /// The package's manifest, to pick its binary among the build's artifacts.
    pub manifest: &'a Path,
    /// Lambda's architecture.
    pub architecture: Architecture,
}

impl RustFunction<'_> {
    fn target(&self) -> &'static str {
        match self.architecture {
            Architecture::X86_64 => "x86_64-unknown-linux-gnu",
            Architecture::Arm64 => "aarch64-unknown-linux-gnu",
        }
    }

    /// Builds the package as `how` says and returns its `bootstrap` binary.
    pub fn build(&self, project_root: &Path, how: FunctionBuild) -> Result<PathBuf> {
        match how {
            FunctionBuild::Lambda => self.build_for_lambda(project_root),
            FunctionBuild::Host => self.build_for_host(project_root),
        }
    }

    /// `cargo build -p <package>` as the app's build runs it: same target folder, same
    /// profile, so its dependencies are already compiled.
    fn build_for_host(&self, project_root: &Path) -> Result<PathBuf> {
        eprintln!(
            "Building function `{}` (package `{}`) for this host's local cloud …",
            self.name, self.package
        );
        let out = Command::new(cargo())
            .args(["build", "-p", self.package])
            .arg("--message-format=json-render-diagnostics")
            .current_dir(project_root)
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| {
                CliError::new(
                    Kind::Other,
                    format!("cannot run cargo to build function `{}`: {e}", self.name),
                )
            })?;
        if !out.status.success() {
            return Err(CliError::input(format!(
                "building function `{}` (package `{}`) failed",
                self.name, self.package
            ))
            .help(format!(
                "fix the errors above (`cargo build -p {}` reproduces the build)",
                self.package
            )));
        }
        self.binary(&out.stdout)
    }

    /// Builds the package for Lambda and returns its checked `bootstrap` binary.
    fn build_for_lambda(&self, project_root: &Path) -> Result<PathBuf> {
        self.check_target_installed(project_root)?;
        let venv = tools::venv("cargo-zigbuild", ZIGBUILD)?;
        let (major, minor) = LAMBDA_GLIBC;
        let target = format!("{}.{major}.{minor}", self.target());
        // zig is found as `python3 -m ziglang`: the venv's Python goes first on PATH.
        let path = std::env::join_paths(
            std::iter::once(venv.join("bin")).chain(
                std::env::var_os("PATH")
                    .iter()
                    .flat_map(std::env::split_paths),
            ),
        )
        .map_err(|e| CliError::new(Kind::Other, format!("cannot extend PATH: {e}")))?;
        eprintln!(
            "Building function `{}` (package `{}`) for {target} with cargo-zigbuild …",
            self.name, self.package
        );
        let out = Command::new(venv.join("bin/cargo-zigbuild"))
            .args([
                "zigbuild",
                "--release",
                "-p",
                self.package,
                "--target",
                &target,
            ])
            .arg("--message-format=json-render-diagnostics")
            .env("PATH", path)
            // The pinned zig, even if the user points cargo-zigbuild at another Python.
            .env("CARGO_ZIGBUILD_PYTHON_PATH", tools::python(&venv))
            .env("CARGO", cargo())
            .current_dir(project_root)
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| {
                CliError::new(
                    Kind::Other,
                    format!(
                        "cannot run cargo-zigbuild to build function `{}`: {e}",
                        self.name
                    ),
                )
            })?;
        if !out.status.success() {
            return Err(CliError::input(format!(
                "building function `{}` (package `{}`) failed",
                self.name, self.package
            ))
            .help("fix the errors above (`cargo zigbuild --release` reproduces the build)"));
        }
        let binary = self.binary(&out.stdout)?;
        let bytes = std::fs::read(&binary).map_err(|e| CliError::io("read", &binary, e))?;
        self.check_glibc(&bytes)?;
        Ok(binary)
    }

    /// Cross builds need the target's standard library, which only rustup can add.
    fn check_target_installed(&self, project_root: &Path) -> Result<()> {
        let target = self.target();
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let libdir = Command::new(rustc)
            .args(["--print", "target-libdir", "--target", target])
            // Where the project's rust-toolchain.toml applies.
            .current_dir(project_root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
        if libdir.is_some_and(|dir| dir.is_dir()) {
            return Ok(());
        }
        let arch = match self.architecture {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        };
        Err(CliError::input(format!(
            "function `{}` is built for {arch} (`{target}`), but the Rust standard library for `{target}` is not installed",
            self.name
        ))
        .help(format!(
            "run `rustup target add {target}` (zig, which amplify-rs installs, does the linking), or declare the function with the host's architecture"
        )))
    }

    /// The package's binary among the build's artifacts, by its manifest: the package
    /// id's text is not a stable format to match on.
    fn binary(&self, messages: &[u8]) -> Result<PathBuf> {
        let mut executables = Vec::new();
        for message in cargo_metadata::Message::parse_stream(messages).flatten() {
            let cargo_metadata::Message::CompilerArtifact(artifact) = message else {
                continue;
            };
            let is_bin = artifact
                .target
                .kind
                .contains(&cargo_metadata::TargetKind::Bin);
            if is_bin && artifact.manifest_path.as_std_path() == self.manifest {
                if let Some(exe) = artifact.executable {
                    executables.push((artifact.target.name.clone(), exe.into_std_path_buf()));
                }
            }
        }
        let chosen = match executables.len() {
            0 => None,
            1 => executables.pop(),
            _ => executables
                .into_iter()
                .find(|(n, _)| n == "bootstrap" || n == self.package),
        };
        chosen.map(|(_, p)| p).ok_or_else(|| {
            CliError::input(format!(
                "package `{}` of function `{}` has no single binary to deploy",
                self.package, self.name
            ))
            .help("give it one `[[bin]]` target (named `bootstrap` if it has several)")
        })
    }

    fn check_glibc(&self, binary: &[u8]) -> Result<()> {
        let needed = glibc_versions(binary).map_err(|e| {
            CliError::new(
                Kind::Other,
                format!(
                    "the binary of function `{}` is not a readable ELF file: {e}",
                    self.name
                ),
            )
        })?;
        match needed.iter().max() {
            Some(&(major, minor)) if (major, minor) > LAMBDA_GLIBC => {
                let (lm, ln) = LAMBDA_GLIBC;
                Err(CliError::input(format!(
                    "the binary of function `{}` needs glibc {major}.{minor}, but Lambda's provided.al2023 has {lm}.{ln}",
                    self.name
                ))
                .help("a dependency (likely a C library it builds or links) asks for newer glibc symbols than zig's 2.34 target provides; upgrade or replace it"))
            }
            _ => Ok(()),
        }
    }
}

/// The `GLIBC_x.y` versions a 64-bit ELF binary needs (its `.gnu.version_r` entries).
pub fn glibc_versions(binary: &[u8]) -> std::result::Result<Vec<(u32, u32)>, object::Error> {
    use object::read::elf::{FileHeader as _, SectionTable};
    let header = object::elf::FileHeader64::<object::Endianness>::parse(binary)?;
    let endian = header.endian()?;
    let sections: SectionTable<'_, _, &[u8]> = header.sections(endian, binary)?;
    let Some((mut needs, link)) = sections.gnu_verneed(endian, binary)? else {
        return Ok(Vec::new());
    };
    let strings = sections.strings(endian, binary, link)?;
    let mut versions = Vec::new();
    while let Some((_, mut entries)) = needs.next()? {
        while let Some(entry) = entries.next()? {
            let name = entry.name(endian, strings)?;
            let parsed = std::str::from_utf8(name)
                .ok()
                .and_then(|n| n.strip_prefix("GLIBC_"))
                .and_then(|v| v.split_once('.'))
                .and_then(|(a, b)| Some((a.parse().ok()?, b.split('.').next()?.parse().ok()?)));
            versions.extend(parsed);
        }
    }
    versions.sort_unstable();
    versions.dedup();
    Ok(versions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_test_binary_s_glibc_needs_are_read() {
        // This test binary is linked against the host's glibc: it needs some GLIBC_2.x.
        let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        let versions = glibc_versions(&me).unwrap();
        assert!(
            versions.iter().any(|(major, _)| *major == 2),
            "{versions:?}"
        );
        assert!(versions.windows(2).all(|w| w[0] < w[1]), "sorted, unique");
    }

    #[test]
    fn not_an_elf_file_is_an_error() {
        assert!(glibc_versions(b"#!/bin/sh\necho hi\n").is_err());
    }
}
