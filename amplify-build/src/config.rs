//! The build.rs entry points: [`synthesize`] and the [`Config`] builder.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use crate::category::model::Backend;
use crate::category::stack::ProjectSettings;
use crate::category::Category;
use crate::cfg::ProcessEnv;
use crate::decl::diagnostics::Diagnostics;
use crate::declaration::{Declaration, DECLARATION_FILE};
use crate::error::Error;
use crate::fs::{self as afs, WriteOutcome};
use crate::parse::parse_backend;
use crate::plan::content_hash;
use crate::plan::{InputFile, PLAN_FILE};
use crate::registry::Registry;
use crate::scan::{default_roots, scan, ScanOptions};
use crate::synth;

/// Options for synthesis. `Config::new().synthesize()` is what [`synthesize`] does.
#[derive(Debug, Clone, Default)]
pub struct Config {
    project_name: Option<String>,
    frontend: Option<String>,
    sources: Vec<PathBuf>,
    registry: Registry,
    /// Attributes registered twice, reported when synthesis runs.
    duplicates: Vec<String>,
    /// The build's date (`YYYY-MM-DD`); default [`build_date`].
    date: Option<String>,
}

/// Default name of the client outputs file, beside Cargo.toml.
pub const OUTPUTS_FILE: &str = "amplify_outputs.json";

/// What a synthesis run did.
#[derive(Debug, Clone)]
pub struct Report {
    /// The folder that holds (or would hold) `amplify/`.
    pub project_dir: PathBuf,
    /// Files created or replaced, relative to `project_dir`.
    pub written: Vec<PathBuf>,
    /// Folders of resources that are no longer declared, and files of declared ones'
    /// `build/` folders that synthesis no longer writes, removed.
    pub removed: Vec<PathBuf>,
    /// Files that already had the right bytes.
    pub unchanged: usize,
    /// Every input read: sources, schemas, resolver code.
    pub inputs: Vec<PathBuf>,
    /// What was found.
    pub outcome: Outcome,
    /// True when the source tree was read-only and `project_dir` is under `OUT_DIR`.
    pub read_only_fallback: bool,
    /// Problems that do not stop synthesis but would stop a deploy (quotas).
    pub warnings: Vec<String>,
    /// True when only an edited declaration and what it affects were synthesised again,
    /// the rest kept from the last run (a build script's run after one resource changed).
    pub incremental: bool,
}

impl Report {
    /// Nothing written: the sources have a mistake (`problem`) that is not the
    /// declaration's own.
    fn refused(project_dir: &Path, read_only: bool, problem: String) -> Report {
        Report {
            project_dir: project_dir.to_owned(),
            written: Vec::new(),
            removed: Vec::new(),
            unchanged: 0,
            inputs: Vec::new(),
            outcome: Outcome::InvalidDeclaration(vec![problem]),
            read_only_fallback: read_only,
            warnings: Vec::new(),
            incremental: false,
        }
    }
}

/// What becomes of the macro's declaration file after a run.
enum Keep {
    /// Unchanged: the fast path found the declared resources as they were.
    Declaration,
    /// Rewritten with the run's declaration, or removed when there is none.
    Rewrite(Option<Declaration>),
}

/// How synthesis ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The layout was synthesised.
    Synthesized {
        /// Number of resources.
        resources: usize,
    },
    /// No `#[amplify::backend]` module was found; nothing was written.
    NoBackend,
    /// The declaration (or its file) has errors. Nothing was written: the compiler
    /// reports each error at its span when it expands the macro.
    InvalidDeclaration(Vec<String>),
}

/// Synthesises the crate's `amplify/` folder from its `#[amplify::backend]` module.
/// Call it from `build.rs`:
///
/// ```no_run
/// // build.rs
/// amplify_build::synthesize().expect("amplify backend synthesis");
/// ```
pub fn synthesize() -> Result<Report, Error> {
    Config::new().synthesize()
}

impl Config {
    /// Default options.
    pub fn new() -> Self {
        Config::default()
    }

    /// The Amplify project name (3–20 ASCII letters and digits). Default: the name in an
    /// existing `amplify/.config/project-config.json`, else the crate name without
    /// punctuation.
    pub fn project_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.project_name = Some(name.into());
        self
    }

    /// The frontend recorded in a new `project-config.json`: `rust` (default),
    /// `javascript`, `android`, `ios` or `flutter`.
    pub fn frontend(&mut self, frontend: impl Into<String>) -> &mut Self {
        self.frontend = Some(frontend.into());
        self
    }

    /// A crate root file to scan (relative to the crate root); default `src/lib.rs` and
    /// `src/main.rs`.
    pub fn source(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.sources.push(path.into());
        self
    }

    /// The build's date (`YYYY-MM-DD`), against which declared Lambda runtimes are
    /// checked for deprecation. Default: `SOURCE_DATE_EPOCH` when set, else today.
    pub fn build_date(&mut self, date: impl Into<String>) -> &mut Self {
        self.date = Some(date.into());
        self
    }

    /// Registers a category of another crate, so that `#[<its attribute>(...)]` declares
    /// resources of it inside `#[amplify::backend]`:
    ///
    /// ```ignore
    /// // build.rs
    /// amplify_build::Config::new()
    ///     .category(amplify_queue::Queue)
    ///     .synthesize()
    ///     .expect("amplify backend synthesis");
    /// ```
    pub fn category<C: Category>(&mut self, category: C) -> &mut Self {
        if let Err(attribute) = self.registry.register(category) {
            self.duplicates.push(attribute);
        }
        self
    }

    /// Build-script flavour: reads `CARGO_MANIFEST_DIR`/`OUT_DIR`, prints
    /// `cargo::rerun-if-changed` for every input and `cargo::warning` for what it skips.
    pub fn synthesize(&self) -> Result<Report, Error> {
        let started = std::time::SystemTime::now();
        let crate_root = env_path("CARGO_MANIFEST_DIR")?;
        let out_dir = env_path("OUT_DIR")?;
        let read_only = afs::source_is_read_only(&crate_root);
        let target = if read_only {
            out_dir.clone()
        } else {
            crate_root.clone()
        };
        crate::plan::hash_memo::load(&out_dir);
        let run = match self.fast_run(&crate_root, &target, read_only, &out_dir) {
            Some(report) => Ok((report, Keep::Declaration)),
            None => {
                let state = Some(out_dir.as_path());
                self.run(&crate_root, &target, read_only, state)
                    .map(|(report, d)| (report, Keep::Rewrite(d)))
            }
        };
        // Only a speed-up for the next run: a memo that cannot be written is no error.
        let _ = crate::plan::hash_memo::save(&out_dir);
        let (mut report, declaration) = match run {
            Ok(done) => done,
            // A mistake in the sources, not in the build: an error of the build like the
            // compiler's, without the build script's panic around it.
            Err(e @ Error::TwoBackends { .. }) => {
                println!("cargo::error=amplify: {e}");
                return Ok(Report::refused(&target, read_only, e.to_string()));
            }
            Err(e) => return Err(e),
        };
        // The macro learns the declaration from here: parsed once, with every category,
        // checked against the build's date and CloudFormation's quotas.
        let declaration_path = out_dir.join(DECLARATION_FILE);
        // Its errors then reach the compiler through the macro, each at its token.
        let macro_reports = !matches!(declaration, Keep::Rewrite(None));
        match declaration {
            // The fast path found the declared resources unchanged.
            Keep::Declaration => {}
            Keep::Rewrite(Some(d)) => {
                afs::write_if_changed(&declaration_path, &crate::cfn::to_pretty_json(&d))?;
            }
            Keep::Rewrite(None) => {
                let _ = std::fs::remove_file(&declaration_path);
            }
        }
        if matches!(report.outcome, Outcome::Synthesized { .. }) {
            let inputs =
                crate::embed::embed_outputs(&target, &out_dir, read_only, &report, started)?;
            report.inputs.extend(inputs);
            // One file synthesis wrote: when `amplify/` is removed (`git clean`), its
            // absence re-runs the build script, which writes the folder again.
            let sentinel = report
                .project_dir
                .join("amplify/backend/backend-config.json");
            crate::embed::backdate_if_written_since(&sentinel, started);
            report.inputs.push(sentinel);
        }
        for input in &report.inputs {
            println!("cargo::rerun-if-changed={}", input.display());
        }
        // `cargo amplify` sets it to restore a deleted plan.
        println!("cargo::rerun-if-env-changed=AMPLIFY_RS_RESYNTHESIZE");
        // The build's date: runtimes are checked against it.
        println!("cargo::rerun-if-env-changed=SOURCE_DATE_EPOCH");
        if report.inputs.is_empty() {
            // Nothing to watch yet; without any directive Cargo would watch the whole crate.
            println!("cargo::rerun-if-changed=build.rs");
        }
        if read_only {
            println!(
                "cargo::warning=amplify: the source tree is read-only (packaged or vendored); wrote the amplify/ folder under {} instead",
                report.project_dir.display()
            );
        }
        match &report.outcome {
            Outcome::InvalidDeclaration(problems) if macro_reports => println!(
                "cargo::warning=amplify: amplify/ left unchanged until the {} error(s) the compiler reports in the backend module are fixed",
                problems.len()
            ),
            Outcome::InvalidDeclaration(problems) => {
                for p in problems {
                    println!("cargo::warning=amplify: {p} (amplify/ left unchanged)");
                }
            }
            Outcome::NoBackend => println!(
                "cargo::warning=amplify: no #[amplify::backend] module found from {} (following `mod` declarations, skipping what #[cfg] turns off); nothing synthesised. If the backend is under another crate root, name it with amplify_build::Config::new().source(\"path/to/root.rs\")",
                self.roots(&crate_root).iter().filter(|p| p.exists()).map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            ),
            Outcome::Synthesized { .. } => {}
        }
        for w in &report.warnings {
            println!("cargo::warning=amplify: {w}");
        }
        Ok(report)
    }

    /// Synthesises for the crate at `crate_root`, writing `amplify/` beside its
    /// `Cargo.toml`. Prints nothing; for tools and tests.
    pub fn synthesize_in(&self, crate_root: &Path) -> Result<Report, Error> {
        self.run(crate_root, crate_root, false, None)
            .map(|(report, _)| report)
    }

    fn roots(&self, crate_root: &Path) -> Vec<PathBuf> {
        if self.sources.is_empty() {
            default_roots(crate_root)
        } else {
            self.sources.iter().map(|s| crate_root.join(s)).collect()
        }
    }

    /// `state_dir`: where the snapshot for the next run's fast path is kept (`OUT_DIR`).
    fn run(
        &self,
        crate_root: &Path,
        project_dir: &Path,
        read_only: bool,
        state_dir: Option<&Path>,
    ) -> Result<(Report, Option<Declaration>), Error> {
        if let Some(dir) = state_dir {
            // Recorded again only when this run writes everything.
            crate::incremental::forget(dir);
        }
        if let Some(attribute) = self.duplicates.first() {
            return Err(Error::DuplicateCategory(attribute.clone()));
        }
        let attributes = self.registry.attributes();
        let options = ScanOptions {
            attributes: &attributes,
            cfg: &ProcessEnv,
        };
        let scan = scan(&self.roots(crate_root), &options)?;
        let mut report = Report {
            project_dir: project_dir.to_owned(),
            written: Vec::new(),
            removed: Vec::new(),
            unchanged: 0,
            inputs: scan.files_read.clone(),
            outcome: Outcome::NoBackend,
            read_only_fallback: read_only,
            warnings: Vec::new(),
            incremental: false,
        };
        for (at, attribute) in &scan.stray_attributes {
            report.warnings.push(format!(
                "{at}: `#[{attribute}]` declares a resource only directly inside the `#[amplify::backend]` module; here nothing reads it: move the item into that module"
            ));
        }
        if !scan.syntax_errors.is_empty() {
            report.outcome = Outcome::InvalidDeclaration(scan.syntax_errors);
            return Ok((report, None));
        }
        let Some((file, module)) = scan.backend else {
            return Ok((report, None));
        };

        let read_files: RefCell<Vec<PathBuf>> = RefCell::new(Vec::new());
        let loader = |relative: &str| -> Result<String, String> {
            let path = crate_root.join(relative);
            read_files.borrow_mut().push(path.clone());
            std::fs::read_to_string(&path).map_err(|e| e.to_string())
        };
        let cx = Diagnostics::new();
        let today = self.date.clone().unwrap_or_else(build_date);
        let backend = parse_backend(&module, &self.registry, &loader, Some(&today), &cx);
        report.inputs.extend(read_files.into_inner());
        let mut errors = cx.into_errors();
        // Templates are synthesised in memory first: one CloudFormation would refuse
        // (over a quota, a parameter without a value) is an error at the module, and
        // nothing is written.
        let synthesized = if errors.is_empty() {
            let project = self.project_settings(crate_root, &report.project_dir)?;
            // Stacks stay where the last synthesis placed them (its committed files):
            // moving one to another parent stack would replace it.
            let previous = synth::Previous::read(&report.project_dir);
            let (files, plan) = synth::synthesize_after(&backend, &project, &previous);
            errors.extend(
                files
                    .errors
                    .iter()
                    .map(|e| syn::Error::new(module.ident.span(), e)),
            );
            Some((files, plan))
        } else {
            None
        };
        let declaration = Declaration::of(&file, &module.ident, &self.registry, &backend, &errors);
        if !errors.is_empty() {
            let problems = errors
                .iter()
                .map(|e| {
                    let at = e.span().start();
                    format!("{}:{}:{}: {e}", file.display(), at.line, at.column + 1)
                })
                .collect();
            report.outcome = Outcome::InvalidDeclaration(problems);
            return Ok((report, Some(declaration)));
        }
        let (files, mut plan) = synthesized.expect("synthesised when there are no errors");
        let seeded = files.seeded.iter().map(|(f, _)| f.clone()).collect();
        self.write(crate_root, &backend, files, &mut plan, &mut report)?;
        if let Some(dir) = state_dir {
            let project = self.project_settings(crate_root, &report.project_dir)?;
            crate::incremental::record(
                dir,
                &crate::incremental::FullRun {
                    key: self.run_key(&report.project_dir, read_only, &today, &project),
                    backend_file: &file,
                    module: &module,
                    backend: &backend,
                    plan: &plan,
                    crate_root,
                    project_dir: &report.project_dir,
                    roots: self.existing_roots(crate_root),
                    seeded,
                    outputs: report.written.len() + report.unchanged,
                    warnings: &report.warnings,
                    reported_inputs: &report.inputs,
                },
            );
        }
        Ok((report, Some(declaration)))
    }

    /// The fast path's outcome as a report, when it applies.
    fn fast_run(
        &self,
        crate_root: &Path,
        project_dir: &Path,
        read_only: bool,
        state_dir: &Path,
    ) -> Option<Report> {
        if !self.duplicates.is_empty() {
            return None;
        }
        let today = self.date.clone().unwrap_or_else(build_date);
        let project = self.project_settings(crate_root, project_dir).ok()?;
        let run = crate::incremental::try_fast(&crate::incremental::FastContext {
            key: self.run_key(project_dir, read_only, &today, &project),
            state_dir,
            crate_root,
            project_dir,
            roots: self.existing_roots(crate_root),
            registry: &self.registry,
            today: &today,
            project: &project,
        })?;
        Some(Report {
            project_dir: project_dir.to_owned(),
            written: run.written,
            removed: Vec::new(),
            unchanged: run.unchanged,
            inputs: run.inputs,
            outcome: Outcome::Synthesized {
                resources: run.resources,
            },
            read_only_fallback: read_only,
            warnings: run.warnings,
            incremental: true,
        })
    }

    /// Everything but the sources that decides what synthesis writes: this
    /// configuration, the build script itself (its categories' code), the date, the
    /// project, where it writes.
    fn run_key(
        &self,
        project_dir: &Path,
        read_only: bool,
        today: &str,
        project: &ProjectSettings,
    ) -> String {
        let script = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
            .unwrap_or_default();
        let text = format!(
            "{self:?}\n{project:?}\n{today}\n{}\n{}\n{read_only}\n{script}",
            env!("CARGO_PKG_VERSION"),
            project_dir.display()
        );
        format!(
            "{:032x}",
            crate::plan::hash_memo::fingerprint(text.as_bytes())
        )
    }

    /// The crate roots that exist (a new `src/bin/*.rs` is a new place to look).
    fn existing_roots(&self, crate_root: &Path) -> Vec<PathBuf> {
        self.roots(crate_root)
            .into_iter()
            .filter(|p| p.exists())
            .collect()
    }

    fn project_settings(
        &self,
        crate_root: &Path,
        project_dir: &Path,
    ) -> Result<ProjectSettings, Error> {
        Ok(ProjectSettings {
            project_name: self.resolve_project_name(crate_root, project_dir)?,
            frontend: self.frontend.clone().unwrap_or_else(|| "rust".into()),
        })
    }

    /// Writes the synthesised layout, then the plan with the hashes of what was read.
    fn write(
        &self,
        crate_root: &Path,
        backend: &Backend,
        files: synth::FileSet,
        plan: &mut crate::plan::Plan,
        report: &mut Report,
    ) -> Result<(), Error> {
        let project_dir = report.project_dir.clone();
        report.warnings.extend(files.warnings.iter().cloned());
        for (relative, contents) in &files.generated {
            let outcome = afs::write_if_changed(&project_dir.join(relative), contents)?;
            self.record(report, relative, outcome);
        }
        for (relative, contents) in &files.seeded {
            let outcome = afs::seed(&project_dir.join(relative), contents)?;
            self.record(report, relative, outcome);
        }
        let mut read = report.inputs.clone();
        read.push(project_dir.join("amplify/.config/project-config.json"));
        read.push(crate_root.join("build.rs"));
        plan.inputs = input_files(crate_root, &read);
        let outcome = afs::write_if_changed(
            &project_dir.join(PLAN_FILE),
            &crate::cfn::to_pretty_json(&*plan),
        )?;
        self.record(report, PLAN_FILE, outcome);
        let keep: Vec<(&str, &str)> = backend
            .resources
            .iter()
            .map(|r| (r.category(), r.name.as_str()))
            .collect();
        let mut categories: Vec<&str> = self
            .registry
            .iter()
            .map(|k| k.descriptor().category)
            .collect();
        categories.sort_unstable();
        categories.dedup();
        let (mut removed, stale) =
            afs::prune_stale_resources(&project_dir.join("amplify/backend"), &categories, &keep)?;
        let written: std::collections::BTreeSet<PathBuf> = files
            .generated
            .iter()
            .map(|(relative, _)| PathBuf::from(relative))
            .collect();
        removed.extend(afs::prune_stale_build_files(&project_dir, &keep, &written)?);
        report.removed = removed;
        report.warnings.extend(stale);
        let gitignore =
            afs::merge_gitignore(&project_dir.join(".gitignore"), &synth::gitignore_block())?;
        self.record(report, ".gitignore", gitignore);
        report.outcome = Outcome::Synthesized {
            resources: backend.resources.len(),
        };
        Ok(())
    }

    fn record(&self, report: &mut Report, relative: &str, outcome: WriteOutcome) {
        match outcome {
            WriteOutcome::Written => report.written.push(PathBuf::from(relative)),
            WriteOutcome::Unchanged | WriteOutcome::Kept => report.unchanged += 1,
        }
    }

    /// Explicit name, else the one already in project-config.json, else the crate name.
    fn resolve_project_name(&self, crate_root: &Path, project_dir: &Path) -> Result<String, Error> {
        if let Some(name) = &self.project_name {
            return valid_project_name(name);
        }
        let config = project_dir.join("amplify/.config/project-config.json");
        if config.exists() {
            let json = afs::read_json(&config)?;
            return match json.get("projectName").and_then(|v| v.as_str()) {
                Some(name) => valid_project_name(name),
                None => Err(Error::Shape {
                    path: config,
                    message: "has no string \"projectName\"; add one (3–20 letters and digits)"
                        .into(),
                }),
            };
        }
        // The crate's own manifest, not CARGO_PKG_NAME: tools that synthesise outside a
        // build script may run under another package's cargo environment.
        let crate_name = package_name(&crate_root.join("Cargo.toml"))
            .or_else(|| std::env::var("CARGO_PKG_NAME").ok())
            .unwrap_or_else(|| {
                crate_root
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });

        Ok(normalise_project_name(&crate_name))
    }
}

/// The files that exist among `paths`, deduplicated, with their content hashes, named
/// relative to the crate root.
fn input_files(crate_root: &Path, paths: &[PathBuf]) -> Vec<InputFile> {
    let mut out: Vec<InputFile> = Vec::new();
    for path in paths {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let relative = path.strip_prefix(crate_root).unwrap_or(path);
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if out.iter().all(|f| f.path != name) {
            out.push(InputFile {
                path: name,
                sha256: content_hash(&bytes),
            });
        }
    }
    out
}

/// `name = "..."` of the `[package]` table, read without a TOML parser: enough for the
/// default project name when synthesis runs outside a build script.
fn package_name(manifest: &Path) -> Option<String> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let manifest: toml::Table = text.parse().ok()?;
    Some(manifest.get("package")?.get("name")?.as_str()?.to_owned())
}

fn valid_project_name(name: &str) -> Result<String, Error> {
    let ok = (3..=20).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(name.to_owned())
    } else {
        Err(Error::ProjectName(name.to_owned()))
    }
}

/// Amplify's normalisation: keep letters and digits, at most 20, padded to 3.
fn normalise_project_name(name: &str) -> String {
    let mut n: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(20)
        .collect();
    while n.len() < 3 {
        n.push('x');
    }
    n
}

fn env_path(var: &'static str) -> Result<PathBuf, Error> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .ok_or(Error::NotInBuildScript(var))
}

/// The build's date as `YYYY-MM-DD`: `SOURCE_DATE_EPOCH` if set (reproducible builds),
/// else the day the build script runs.
pub fn build_date() -> String {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or_else(time::OffsetDateTime::now_utc);
    day(now)
}

fn day(at: time::OffsetDateTime) -> String {
    const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] =
        time::macros::format_description!("[year]-[month]-[day]");
    at.format(FORMAT).expect("a date formats")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_names_follow_amplify_rules() {
        assert_eq!(normalise_project_name("blog-example"), "blogexample");
        assert_eq!(normalise_project_name("a"), "axx");
        assert_eq!(
            normalise_project_name("a-very-long-crate-name-indeed"),
            "averylongcratenamein"
        );
        assert!(valid_project_name("my-app").is_err());
        assert!(valid_project_name("myapp").is_ok());
    }

    #[test]
    fn days_from_timestamps() {
        let at = |s| super::day(time::OffsetDateTime::from_unix_timestamp(s).unwrap());
        assert_eq!(at(0), "1970-01-01");
        assert_eq!(at(951_782_400), "2000-02-29");
        assert_eq!(at(1_796_281_200), "2026-12-03");
    }
}
