//! Function code: source fingerprints (for status, without building) and byte-for-byte
//! reproducible zips (for push): a Rust package built for Lambda ([`RustFunction`]) with
//! `bootstrap` at the root, or a Node.js/Python code folder.

use std::io::{Cursor, Write as _};
use std::path::Path;

use amplify_build::plan::{Architecture, Asset, CodeSource};
use sha2::{Digest, Sha256};

pub use crate::cli::deploy::packages::Packages;
use crate::cli::deploy::rust_function::{FunctionBuild, RustFunction};
use crate::cli::error::{CliError, Kind, Result};
use crate::cli::state::project::files_under;

/// The parts of a code asset; other assets have no code.
fn code(asset: &Asset) -> Option<(&CodeSource, &str, Architecture)> {
    match asset {
        Asset::FunctionCode {
            source,
            runtime,
            architecture,
            ..
        } => Some((source, runtime, *architecture)),
        Asset::Files { .. } | Asset::PublishedFolder(_) => None,
    }
}

/// A content hash of everything a function's code is built from. Changes exactly when
/// a rebuild could produce a different zip.
pub fn source_fingerprint(
    project_root: &Path,
    name: &str,
    asset: &Asset,
    packages: &mut Option<Packages>,
) -> Result<String> {
    let mut hasher = Sha256::new();
    let Some((source, runtime, _)) = code(asset) else {
        return Ok(String::new());
    };
    hasher.update(runtime);
    match source {
        CodeSource::RustPackage { package } => {
            if packages.is_none() {
                *packages = Some(Packages::load(project_root)?);
            }
            let packages = packages.as_ref().expect("loaded above");
            let dir = packages.dir(name, package)?;
            hash_tree(&mut hasher, dir, &["target"]);
            hash_resolver_schemas(&mut hasher, dir);
            // A path dependency's tests, benches and examples are not part of what it
            // builds into the function.
            packages.hash_dependencies(&mut hasher, package, &|h, dir| {
                hash_tree(h, dir, &["target", "tests", "benches", "examples"]);
            });
        }
        CodeSource::Folder { path } => {
            let dir = project_root.join(path);
            if !dir.is_dir() {
                return Err(missing_code(name, &dir));
            }
            hash_tree(&mut hasher, &dir, &[]);
        }
    }
    Ok(hex(&hasher.finalize()[..8]))
}

/// The schemas a package's `#[amplify::resolvers(schema = "…")]` modules are generated
/// from live outside it (beside the API's declaration): a schema edit rebuilds the
/// function as it recompiles it.
fn hash_resolver_schemas(hasher: &mut Sha256, dir: &Path) {
    const MARK: &str = "resolvers(schema = \"";
    for rel in files_under(dir) {
        if rel.extension().is_none_or(|e| e != "rs") || rel.starts_with("target") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(dir.join(&rel)) else {
            continue;
        };
        for (at, _) in text.match_indices(MARK) {
            let rest = &text[at + MARK.len()..];
            let Some(end) = rest.find('"') else {
                continue;
            };
            let schema = &rest[..end];
            hasher.update(schema.as_bytes());
            if let Ok(bytes) = std::fs::read(dir.join(schema)) {
                hasher.update(&bytes);
            }
        }
    }
}

fn hash_tree(hasher: &mut Sha256, dir: &Path, skip_top: &[&str]) {
    for rel in files_under(dir) {
        let top = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        if skip_top.contains(&top.as_str()) || top.starts_with('.') {
            continue;
        }
        hasher.update(rel.to_string_lossy().as_bytes());
        hasher.update([0]);
        if let Ok(bytes) = std::fs::read(dir.join(&rel)) {
            hasher.update(&bytes);
        }
        hasher.update([0]);
    }
}

fn missing_code(name: &str, dir: &Path) -> CliError {
    CliError::input(format!(
        "the code folder of function `{name}` does not exist: `{}`",
        dir.display()
    ))
    .help("create it, or fix `code = \"...\"` in the declaration (relative to the crate root)")
}

/// One file of a zip: its name, bytes and Unix mode.
pub type ZipEntry = (String, Vec<u8>, u32);

/// Builds a code asset and returns its zip.
pub fn build_zip(
    project_root: &Path,
    name: &str,
    asset: &Asset,
    packages: &mut Option<Packages>,
    how: FunctionBuild,
) -> Result<Vec<u8>> {
    zip_files(&build_entries(project_root, name, asset, packages, how)?)
}

/// Builds a code asset and returns the files of its zip.
pub fn build_entries(
    project_root: &Path,
    name: &str,
    asset: &Asset,
    packages: &mut Option<Packages>,
    how: FunctionBuild,
) -> Result<Vec<ZipEntry>> {
    let Some((source, _, architecture)) = code(asset) else {
        return Err(CliError::new(
            Kind::Other,
            format!("`{name}` has no code to build"),
        ));
    };
    match source {
        CodeSource::RustPackage { package } => {
            if packages.is_none() {
                *packages = Some(Packages::load(project_root)?);
            }
            let packages = packages.as_ref().expect("loaded above");
            let manifest = packages.dir(name, package)?.join("Cargo.toml");
            let function = RustFunction {
                name,
                package,
                manifest: &manifest,
                architecture,
            };
            let binary = function.build(project_root, how)?;
            let bytes = std::fs::read(&binary).map_err(|e| CliError::io("read", &binary, e))?;
            Ok(vec![("bootstrap".to_owned(), bytes, 0o755)])
        }
        CodeSource::Folder { path } => {
            let dir = project_root.join(path);
            if !dir.is_dir() {
                return Err(missing_code(name, &dir));
            }
            let mut files = Vec::new();
            for rel in files_under(&dir) {
                if rel
                    .components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
                {
                    continue;
                }
                let bytes = std::fs::read(dir.join(&rel))
                    .map_err(|e| CliError::io("read", &dir.join(&rel), e))?;
                files.push((rel.to_string_lossy().replace('\\', "/"), bytes, 0o644));
            }
            Ok(files)
        }
    }
}

/// A zip whose bytes depend only on the file names, modes and contents: fixed
/// timestamps, sorted entries.
pub fn zip_files(files: &[ZipEntry]) -> Result<Vec<u8>> {
    let mut sorted: Vec<&ZipEntry> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes, mode) in sorted {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(*mode);
        writer
            .start_file(name.as_str(), options)
            .and_then(|_| writer.write_all(bytes).map_err(Into::into))
            .map_err(|e| CliError::new(Kind::Other, format!("cannot zip `{name}`: {e}")))?;
    }
    let cursor = writer
        .finish()
        .map_err(|e| CliError::new(Kind::Other, format!("cannot finish zip: {e}")))?;
    Ok(cursor.into_inner())
}

/// The content-addressed key of a function zip, Amplify's `<name>-<hash>-build.zip`.
pub fn zip_key(name: &str, zip: &[u8]) -> String {
    format!(
        "amplify-builds/{name}-{}-build.zip",
        hex(&Sha256::digest(zip)[..8])
    )
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace: `fn-pkg` depends on the path package `shared`; `other` is unrelated.
    fn workspace() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "Cargo.toml",
            "[workspace]\nmembers = [\"fn-pkg\", \"other\"]\nresolver = \"2\"\n",
        );
        write(
            "fn-pkg/Cargo.toml",
            "[package]\nname = \"fn-pkg\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[dependencies]\nshared = { path = \"../shared\" }\n",
        );
        write("fn-pkg/src/main.rs", "fn main() {}\n");
        write(
            "shared/Cargo.toml",
            "[package]\nname = \"shared\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        );
        write("shared/src/lib.rs", "pub fn f() {}\n");
        write(
            "other/Cargo.toml",
            "[package]\nname = \"other\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        );
        write("other/src/lib.rs", "pub fn g() {}\n");
        dir
    }

    fn fingerprint(root: &Path) -> String {
        let asset = Asset::FunctionCode {
            id: "fn".into(),
            source: CodeSource::RustPackage {
                package: "fn-pkg".into(),
            },
            runtime: "provided.al2023".into(),
            architecture: Architecture::X86_64,
        };
        source_fingerprint(root, "Fn", &asset, &mut None).unwrap()
    }

    #[test]
    fn a_function_s_fingerprint_follows_its_dependencies_and_only_them() {
        let dir = workspace();
        let before = fingerprint(dir.path());
        std::fs::write(dir.path().join("other/src/lib.rs"), "pub fn g() { }\n").unwrap();
        assert_eq!(fingerprint(dir.path()), before, "an unrelated package");
        std::fs::create_dir_all(dir.path().join("shared/tests")).unwrap();
        std::fs::write(dir.path().join("shared/tests/t.rs"), "#[test] fn t() {}\n").unwrap();
        assert_eq!(
            fingerprint(dir.path()),
            before,
            "a dependency's tests are not built into the function"
        );
        std::fs::write(dir.path().join("shared/src/lib.rs"), "pub fn f() { }\n").unwrap();
        assert_ne!(fingerprint(dir.path()), before, "a path dependency changed");
    }

    #[test]
    fn zips_are_byte_reproducible_and_order_independent() {
        let a = zip_files(&[
            ("b.txt".into(), b"2".to_vec(), 0o644),
            ("a.txt".into(), b"1".to_vec(), 0o644),
        ])
        .unwrap();
        let b = zip_files(&[
            ("a.txt".into(), b"1".to_vec(), 0o644),
            ("b.txt".into(), b"2".to_vec(), 0o644),
        ])
        .unwrap();
        assert_eq!(a, b);
        assert_eq!(zip_key("Fn", &a), zip_key("Fn", &b));
        let c = zip_files(&[
            ("a.txt".into(), b"changed".to_vec(), 0o644),
            ("b.txt".into(), b"2".to_vec(), 0o644),
        ])
        .unwrap();
        assert_ne!(zip_key("Fn", &a), zip_key("Fn", &c));
    }

    #[test]
    fn bootstrap_keeps_its_execute_bit() {
        let bytes = zip_files(&[("bootstrap".into(), b"\x7fELF".to_vec(), 0o755)]).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let entry = archive.by_index(0).unwrap();
        assert_eq!(entry.name().unwrap(), "bootstrap");
        assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o755));
    }
}
