//! Finds the `#[amplify::backend]` module in a crate's sources by following `mod`
//! declarations from the crate roots, the way rustc does (skipping what `#[cfg]`
//! configures out), and records every file read.

use std::fs;
use std::path::{Path, PathBuf};

use syn::spanned::Spanned;
use syn::{Item, ItemMod};

use crate::cfg::{self, CfgSource};
use crate::decl::{is_backend_attribute, item_attrs};
use crate::error::{Error, Location};

/// The result of scanning a crate.
pub struct Scan {
    /// The backend module and the file it is in, if found.
    pub backend: Option<(PathBuf, ItemMod)>,
    /// Every source file read (for `cargo::rerun-if-changed`).
    pub files_read: Vec<PathBuf>,
    /// Files that do not parse as Rust: rustc will report them; synthesis is skipped.
    pub syntax_errors: Vec<String>,
    /// Resource attributes written outside the backend module, where nothing reads
    /// them: `file:line:col` and the attribute.
    pub stray_attributes: Vec<(Location, String)>,
}

/// What the scanner needs besides the files.
pub struct ScanOptions<'a> {
    /// The resource attributes of the registered categories.
    pub attributes: &'a [&'static str],
    /// Where `#[cfg]` values come from.
    pub cfg: &'a dyn CfgSource,
}

/// The crate roots Cargo discovers by itself: the library, the main binary, and every
/// binary under `src/bin/`.
pub fn default_roots(crate_root: &Path) -> Vec<PathBuf> {
    let src = crate_root.join("src");
    let mut roots = vec![src.join("lib.rs"), src.join("main.rs")];
    let mut bins: Vec<PathBuf> = fs::read_dir(src.join("bin"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter_map(|p| {
            if p.extension().is_some_and(|e| e == "rs") {
                Some(p)
            } else {
                let main = p.join("main.rs");
                main.is_file().then_some(main)
            }
        })
        .collect();
    bins.sort();
    roots.extend(bins);
    roots
}

/// Scans from the given root files (e.g. `src/lib.rs`, `src/main.rs`).
pub fn scan(roots: &[PathBuf], options: &ScanOptions<'_>) -> Result<Scan, Error> {
    let mut scan = Scan {
        backend: None,
        files_read: Vec::new(),
        syntax_errors: Vec::new(),
        stray_attributes: Vec::new(),
    };
    for root in roots {
        if root.exists() && !scan.files_read.contains(root) {
            let dir = root.parent().unwrap_or(Path::new(".")).to_owned();
            visit_file(root, &dir, options, &mut scan)?;
        }
    }
    Ok(scan)
}

/// `dir` is where `mod x;` inside this file looks for `x.rs` / `x/mod.rs`.
fn visit_file(
    path: &Path,
    dir: &Path,
    options: &ScanOptions<'_>,
    scan: &mut Scan,
) -> Result<(), Error> {
    let text = fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    scan.files_read.push(path.to_owned());
    let file = match syn::parse_file(&text) {
        Ok(file) => file,
        Err(e) => {
            let at = e.span().start();
            scan.syntax_errors.push(format!(
                "{}:{}:{}: {e}",
                path.display(),
                at.line,
                at.column + 1
            ));
            return Ok(());
        }
    };
    visit_items(&file.items, path, dir, options, scan)
}

fn location(path: &Path, span: proc_macro2::Span) -> Location {
    let start = span.start();
    Location {
        path: path.to_owned(),
        line: start.line,
        column: start.column + 1,
    }
}

fn visit_items(
    items: &[Item],
    path: &Path,
    dir: &Path,
    options: &ScanOptions<'_>,
    scan: &mut Scan,
) -> Result<(), Error> {
    for item in items {
        if !cfg::enabled(item_attrs(item), options.cfg) {
            continue;
        }
        let Item::Mod(m) = item else {
            record_stray_attributes(item, path, options, scan);
            continue;
        };
        if m.attrs.iter().any(is_backend_attribute) {
            if let Some((first_path, first)) = &scan.backend {
                return Err(Error::TwoBackends {
                    first: Box::new((
                        location(first_path, first.ident.span()),
                        first.ident.to_string(),
                    )),
                    second: Box::new((location(path, m.ident.span()), m.ident.to_string())),
                });
            }
            scan.backend = Some((path.to_owned(), m.clone()));
            continue;
        }
        let explicit = path_attribute(m);
        match &m.content {
            Some((_, inner)) => {
                let inner_dir = dir.join(explicit.unwrap_or_else(|| m.ident.to_string()));
                visit_items(inner, path, &inner_dir, options, scan)?;
            }
            None => {
                let name = m.ident.to_string();
                let candidates = match explicit {
                    Some(p) => vec![dir.join(p)],
                    None => vec![
                        dir.join(format!("{name}.rs")),
                        dir.join(&name).join("mod.rs"),
                    ],
                };
                if let Some(file) = candidates.into_iter().find(|c| c.exists()) {
                    if scan.files_read.contains(&file) {
                        continue;
                    }
                    let is_mod_rs = file.file_name().is_some_and(|f| f == "mod.rs");
                    let child_dir = if is_mod_rs || path_attribute(m).is_some() {
                        file.parent().unwrap_or(dir).to_owned()
                    } else {
                        dir.join(&name)
                    };
                    visit_file(&file, &child_dir, options, scan)?;
                }
            }
        }
    }
    Ok(())
}

/// A resource attribute on an item outside the backend module is read by nobody.
fn record_stray_attributes(item: &Item, path: &Path, options: &ScanOptions<'_>, scan: &mut Scan) {
    for attr in item_attrs(item) {
        if let Some(ident) = attr.path().get_ident() {
            let name = ident.to_string();
            if options.attributes.contains(&name.as_str()) {
                scan.stray_attributes
                    .push((location(path, attr.span()), name));
            }
        }
    }
}

/// The value of a `#[path = "..."]` attribute.
fn path_attribute(m: &ItemMod) -> Option<String> {
    m.attrs.iter().find_map(|a| {
        let syn::Meta::NameValue(nv) = &a.meta else {
            return None;
        };
        if !nv.path.is_ident("path") {
            return None;
        }
        match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_file_modules_to_the_backend() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        fs::create_dir_all(src.join("app")).unwrap();
        fs::write(
            src.join("lib.rs"),
            "mod app;\nmod unrelated { fn f() {} }\n",
        )
        .unwrap();
        fs::write(src.join("app.rs"), "pub mod cloud;\n").unwrap();
        fs::write(
            src.join("app/cloud.rs"),
            "#[amplify::backend]\npub mod backend {}\n",
        )
        .unwrap();
        fs::write(src.join("orphan.rs"), "this is not rust").unwrap();
        let options = ScanOptions {
            attributes: &["table"],
            cfg: &cfg::ProcessEnv,
        };
        let scan = scan(&[src.join("lib.rs"), src.join("main.rs")], &options).unwrap();
        let (file, module) = scan.backend.expect("found");
        assert_eq!(file, src.join("app/cloud.rs"));
        assert_eq!(module.ident, "backend");
        assert_eq!(
            scan.files_read,
            vec![
                src.join("lib.rs"),
                src.join("app.rs"),
                src.join("app/cloud.rs")
            ]
        );
        assert!(scan.syntax_errors.is_empty());
    }
}
