//! The Cargo workspace around the project: its packages and what each depends on, as
//! `Cargo.lock` pins it. Asking `cargo metadata` costs more than the rest of `status`
//! (~140 ms and ~100 MB), so the answer is kept in `amplify/.config/local-dependencies.json`
//! (git-ignored) with a key over `Cargo.lock` and every manifest that could change it —
//! the workspace's and every path dependency's — and asked again only when one changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use amplify_build::plan::content_hash;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::cli::error::{CliError, Result};
use crate::cli::state::project::{read_json, write_json};
use crate::cli::state::synthesis::cargo;

/// Bumped when the cache's shape or meaning changes.
const CACHE_FORMAT: u32 = 1;

/// The workspace's packages and their resolved dependencies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Packages {
    format: u32,
    /// Valid while `Cargo.lock` and every file in `manifests` hash to this.
    key: String,
    lock: PathBuf,
    manifests: Vec<PathBuf>,
    /// Workspace package → its folder.
    dirs: BTreeMap<String, PathBuf>,
    /// Workspace package → everything it depends on, directly or not.
    closures: BTreeMap<String, Closure>,
}

/// What one package is built from besides its own files.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Closure {
    /// Registry and git packages, by resolved id (name, version, source).
    pinned: Vec<String>,
    /// Path packages, by folder: their files are part of the build.
    paths: Vec<PathBuf>,
}

impl Packages {
    /// The workspace around `project_root`, from the cache when nothing it was computed
    /// from changed, else from `cargo metadata` (and cached again).
    pub fn load(project_root: &Path) -> Result<Packages> {
        let cache = project_root.join("amplify/.config/local-dependencies.json");
        let cached: Option<Packages> = read_json(&cache).ok().flatten();
        if let Some(cached) = cached.filter(Packages::still_valid) {
            return Ok(cached);
        }
        let fresh = Packages::from_metadata(project_root)?;
        // Best effort: a cache that cannot be written is asked for again next time.
        if cache.parent().is_some_and(Path::is_dir) {
            let _ = write_json(&cache, &fresh);
        }
        Ok(fresh)
    }

    fn still_valid(&self) -> bool {
        self.format == CACHE_FORMAT && key(&self.lock, &self.manifests) == self.key
    }

    fn from_metadata(project_root: &Path) -> Result<Packages> {
        let metadata = cargo_metadata::MetadataCommand::new()
            .cargo_path(cargo())
            .current_dir(project_root)
            .exec()
            .map_err(|e| {
                CliError::input(format!(
                    "`cargo metadata` failed in `{}`: {e}",
                    project_root.display()
                ))
            })?;
        let lock = metadata.workspace_root.as_std_path().join("Cargo.lock");
        let mut manifests: BTreeSet<PathBuf> = BTreeSet::new();
        manifests.insert(metadata.workspace_root.as_std_path().join("Cargo.toml"));
        for p in metadata.packages.iter().filter(|p| p.source.is_none()) {
            manifests.insert(p.manifest_path.as_std_path().to_owned());
        }
        let manifests: Vec<PathBuf> = manifests.into_iter().collect();
        let mut dirs = BTreeMap::new();
        let mut closures = BTreeMap::new();
        for p in metadata.workspace_packages() {
            let Some(dir) = p.manifest_path.parent() else {
                continue;
            };
            dirs.insert(p.name.to_string(), dir.as_std_path().to_owned());
            closures.insert(p.name.to_string(), closure(&metadata, &p.id));
        }
        Ok(Packages {
            format: CACHE_FORMAT,
            key: key(&lock, &manifests),
            lock,
            manifests,
            dirs,
            closures,
        })
    }

    /// The folder of `package`, which `function` names.
    pub fn dir(&self, function: &str, package: &str) -> Result<&PathBuf> {
        self.dirs.get(package).ok_or_else(|| {
            CliError::input(format!("function `{function}` names package `{package}`, which is not in this Cargo workspace"))
                .help(format!("add `{package}` to the workspace members, or fix `runtime = rust(package = \"...\")`"))
        })
    }

    /// Hashes what `package` is built from besides its own files: every package it
    /// depends on, directly or not — a registry or git one by its resolved id (a
    /// `Cargo.lock` upgrade changes it), a path one by its files (through `hash_tree`).
    /// Unrelated changes to `Cargo.lock` change nothing.
    pub fn hash_dependencies(
        &self,
        hasher: &mut Sha256,
        package: &str,
        hash_tree: &dyn Fn(&mut Sha256, &Path),
    ) {
        let Some(closure) = self.closures.get(package) else {
            return;
        };
        for id in &closure.pinned {
            hasher.update(id.as_bytes());
        }
        for dir in &closure.paths {
            hash_tree(hasher, dir);
        }
    }
}

/// Everything `root` depends on in the resolved graph, itself excluded.
fn closure(metadata: &cargo_metadata::Metadata, root: &cargo_metadata::PackageId) -> Closure {
    let Some(resolve) = &metadata.resolve else {
        return Closure::default();
    };
    let mut seen = BTreeSet::new();
    let mut queue = vec![root.clone()];
    while let Some(id) = queue.pop() {
        let Some(node) = resolve.nodes.iter().find(|n| n.id == id) else {
            continue;
        };
        for dep in &node.dependencies {
            if seen.insert(dep.clone()) {
                queue.push(dep.clone());
            }
        }
    }
    let mut out = Closure::default();
    for id in seen.iter().filter(|id| *id != root) {
        match metadata.packages.iter().find(|p| p.id == *id) {
            Some(p) if p.source.is_none() => {
                if let Some(dir) = p.manifest_path.parent() {
                    out.paths.push(dir.as_std_path().to_owned());
                }
            }
            _ => out.pinned.push(id.repr.clone()),
        }
    }
    out
}

/// A hash of `Cargo.lock` and the manifests, each by path and content (a missing file
/// hashes as absent, so creating it changes the key).
fn key(lock: &Path, manifests: &[PathBuf]) -> String {
    let mut text = Vec::new();
    for path in std::iter::once(lock).chain(manifests.iter().map(PathBuf::as_path)) {
        text.extend_from_slice(path.to_string_lossy().as_bytes());
        text.push(0);
        match std::fs::read(path) {
            Ok(bytes) => text.extend_from_slice(content_hash(&bytes).as_bytes()),
            Err(_) => text.extend_from_slice(b"absent"),
        }
        text.push(b'\n');
    }
    content_hash(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache over a lock file and one manifest, in a temporary folder.
    fn cached() -> (tempfile::TempDir, Packages) {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("Cargo.lock");
        let manifest = dir.path().join("fn/Cargo.toml");
        std::fs::create_dir_all(manifest.parent().unwrap()).unwrap();
        std::fs::write(&lock, "# lock v1\n").unwrap();
        std::fs::write(&manifest, "[package]\nname = \"fn\"\n").unwrap();
        let manifests = vec![manifest];
        let packages = Packages {
            format: CACHE_FORMAT,
            key: key(&lock, &manifests),
            lock,
            manifests,
            dirs: BTreeMap::new(),
            closures: BTreeMap::new(),
        };
        (dir, packages)
    }

    #[test]
    fn the_cache_holds_until_the_lock_or_a_manifest_changes() {
        let (dir, packages) = cached();
        assert!(packages.still_valid());
        std::fs::write(dir.path().join("Cargo.lock"), "# lock v2\n").unwrap();
        assert!(!packages.still_valid(), "a Cargo.lock upgrade is seen");

        let (dir, packages) = cached();
        std::fs::write(
            dir.path().join("fn/Cargo.toml"),
            "[package]\nname = \"fn\"\n[dependencies]\nserde = \"1\"\n",
        )
        .unwrap();
        assert!(!packages.still_valid(), "a new dependency is seen");

        let (dir, packages) = cached();
        std::fs::remove_file(dir.path().join("fn/Cargo.toml")).unwrap();
        assert!(!packages.still_valid(), "a removed path package is seen");

        let (_dir, mut packages) = cached();
        packages.format += 1;
        assert!(!packages.still_valid(), "another format is not read");
    }
}
