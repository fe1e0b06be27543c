//! A build script's run after one declaration changed re-synthesises only what that
//! declaration affects, and writes exactly what a full synthesis writes; every other
//! change falls back to the full synthesis.
//!
//! The build-script entry point reads `CARGO_MANIFEST_DIR` and `OUT_DIR`, so the cases
//! run one at a time (the environment is the process's).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use amplify_build::{Config, Outcome, Report};

static ENV: Mutex<()> = Mutex::new(());

const DATE: &str = "2026-12-01";

/// Auth, then tables (with an index), functions granted the table before them, and
/// buckets with group access, in rotation: `n` resources.
fn backend(n: usize) -> String {
    let mut out = String::from(
        "//! The app.\n#[amplify::backend]\npub mod backend {\n    #[auth(sign_in = [email], groups = [Admins], identity_pool)]\n    pub struct Users;\n",
    );
    for i in 1..n {
        out.push_str(&match i % 3 {
            1 => format!("    #[table(partition_key = id: string, index(name = byOwner, partition_key = owner: string))]\n    pub struct Table{i};\n"),
            2 => format!("    #[function(runtime = rust(package = \"f{i}\"), memory = 256, grant(Table{} = [read, write]))]\n    pub struct Fn{i};\n", i - 1),
            _ => format!("    #[bucket(authenticated = [read, write], groups(Admins = [read, write, delete]))]\n    pub struct Bucket{i};\n"),
        });
    }
    out.push_str("}\n\nfn main() {}\n");
    out
}

/// A crate whose build script state lives in `out/`, with its backend in `main`.
struct Crate {
    dir: tempfile::TempDir,
    main: &'static str,
}

fn config() -> Config {
    let mut config = Config::new();
    config.project_name("incr").build_date(DATE);
    config
}

impl Crate {
    fn new(source: &str) -> Crate {
        let dir = tempfile::tempdir().unwrap();
        write_crate(dir.path(), source);
        std::fs::create_dir_all(dir.path().join("out")).unwrap();
        Crate {
            dir,
            main: "src/main.rs",
        }
    }

    /// A copy of the golden fixture `name` (its backend in `src/lib.rs`).
    fn fixture(name: &str) -> Crate {
        let dir = tempfile::tempdir().unwrap();
        copy_inputs(&fixtures().join(name), dir.path());
        std::fs::create_dir_all(dir.path().join("out")).unwrap();
        Crate {
            dir,
            main: "src/lib.rs",
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn source(&self) -> String {
        std::fs::read_to_string(self.path().join(self.main)).unwrap()
    }

    /// Rewrites the backend file with the first `from` replaced by `to`.
    fn edit(&self, from: &str, to: &str) {
        self.edit_nth(from, to, 0);
    }

    /// Rewrites the backend file with the `n`-th `from` replaced by `to`.
    fn edit_nth(&self, from: &str, to: &str, n: usize) {
        let source = self.source();
        let (at, _) = source
            .match_indices(from)
            .nth(n)
            .unwrap_or_else(|| panic!("{from:?} not {} times in the source", n + 1));
        let edited = format!("{}{to}{}", &source[..at], &source[at + from.len()..]);
        std::fs::write(self.path().join(self.main), edited).unwrap();
    }

    /// What `build.rs` does.
    fn build(&self) -> Report {
        let _guard = ENV.lock().unwrap_or_else(|e| e.into_inner());
        std::env::set_var("CARGO_MANIFEST_DIR", self.path());
        std::env::set_var("OUT_DIR", self.path().join("out"));
        config().synthesize().unwrap()
    }

    /// Builds, then checks the folder against a full synthesis of the same inputs in a
    /// fresh copy; returns whether the build took the fast path.
    fn build_matching_full(&self) -> bool {
        let report = self.build();
        let fresh = tempfile::tempdir().unwrap();
        copy_inputs(self.path(), fresh.path());
        let full = config().synthesize_in(fresh.path()).unwrap();
        let outcome = |r: &Report, dir: &Path| {
            format!("{:?}", r.outcome).replace(&dir.display().to_string(), "<crate>")
        };
        assert_eq!(outcome(&report, self.path()), outcome(&full, fresh.path()));
        assert_eq!(report.warnings, full.warnings);
        if !matches!(full.outcome, Outcome::Synthesized { .. }) {
            // A mistake: nothing written (the folder stays as the last good build left it).
            assert!(!report.incremental);
            return false;
        }
        let (ours, theirs) = (files(self.path()), files(fresh.path()));
        assert_eq!(
            ours.keys().collect::<Vec<_>>(),
            theirs.keys().collect::<Vec<_>>(),
            "the same files"
        );
        for (path, text) in &ours {
            assert!(
                text == &theirs[path],
                "{path} differs from a full synthesis"
            );
        }
        report.incremental
    }
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A crate's inputs: everything but what synthesis and the build write.
fn copy_inputs(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if ["expected", "amplify", "out", ".gitignore"]
            .iter()
            .any(|n| name == *n)
        {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_inputs(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn write_crate(dir: &Path, source: &str) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"incr\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("src/main.rs"), source).unwrap();
}

/// Every file under `amplify/`, by relative path.
fn files(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.join("amplify")];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn an_edited_declaration_is_resynthesised_alone_and_the_folder_is_what_a_full_run_writes() {
    let c = Crate::new(&backend(14));
    assert!(!c.build_matching_full(), "the first build is a full one");
    assert!(c.build_matching_full(), "nothing changed: kept as it was");

    // A function's own setting.
    c.edit("memory = 256, grant(Table4", "memory = 1024, grant(Table4");
    assert!(c.build_matching_full());
    // A table another resource is granted: both re-synthesised.
    c.edit(
        "index(name = byOwner, partition_key = owner: string))]\n    pub struct Table7;",
        "index(name = byAuthor, partition_key = author: string))]\n    pub struct Table7;",
    );
    assert!(c.build_matching_full());
    // Lines added inside a declaration move the items after it.
    c.edit(
        "memory = 256, grant(Table1 ",
        "\n        memory = 512,\n        grant(Table1 ",
    );
    assert!(c.build_matching_full());
    c.edit(
        "memory = 256, grant(Table10",
        "memory = 2048, grant(Table10",
    );
    assert!(
        c.build_matching_full(),
        "positions after a moved item are right"
    );

    // A comment before a declaration is read with it.
    c.edit(
        "pub struct Table1;\n",
        "pub struct Table1;\n    // a note\n",
    );
    assert!(c.build_matching_full());

    // Outside any declaration, the one-of-a-kind auth, two at once: full runs.
    c.edit("fn main() {}", "fn main() {\n    let _ = 1;\n}");
    assert!(!c.build_matching_full());
    c.edit("groups = [Admins]", "groups = [Admins, Editors]");
    assert!(!c.build_matching_full());
    let two = c
        .source()
        .replacen("memory = 1024", "memory = 128", 1)
        .replacen("memory = 2048", "memory = 128", 1);
    std::fs::write(c.path().join("src/main.rs"), two).unwrap();
    assert!(!c.build_matching_full());

    // A mistake is the full run's to report; the run after the fix is a full one too.
    c.edit(
        "grant(Table4 = [read, write])",
        "grant(Table99 = [read, write])",
    );
    let report = c.build();
    assert!(!report.incremental);
    assert!(matches!(report.outcome, Outcome::InvalidDeclaration(_)));
    c.edit(
        "grant(Table99 = [read, write])",
        "grant(Table4 = [read, write])",
    );
    assert!(!c.build_matching_full());
    assert!(c.build_matching_full());

    // A referenced resource renamed: the grant no longer resolves in the partial backend.
    c.edit("pub struct Table13;", "pub struct Table13b;");
    let report = c.build();
    assert!(!report.incremental);
}

#[test]
fn a_grouped_stack_is_patched_in_its_group_and_the_root() {
    let c = Crate::new(&backend(520));
    assert!(!c.build_matching_full());
    let groups = c
        .path()
        .join("amplify/backend/awscloudformation/build/groups");
    assert!(groups.is_dir(), "past the quota the root is split");
    let plan: amplify_build::plan::Plan = serde_json::from_str(
        &std::fs::read_to_string(c.path().join(amplify_build::plan::PLAN_FILE)).unwrap(),
    )
    .unwrap();
    let grouped = |id: &str| {
        plan.root
            .groups
            .iter()
            .any(|g| g.members.iter().any(|m| m == id))
    };
    assert!(grouped("functionFn515") && !grouped("functionFn2"));
    c.edit(
        "memory = 256, grant(Table514",
        "memory = 512, grant(Table514",
    );
    assert!(c.build_matching_full(), "in a group");
    c.edit("memory = 256, grant(Table1 ", "memory = 512, grant(Table1 ");
    assert!(c.build_matching_full(), "at the root");
    // The plan was changed by someone else: a full run.
    let plan = c.path().join(amplify_build::plan::PLAN_FILE);
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, text.replacen("\"format\"", " \"format\"", 1)).unwrap();
    c.edit("memory = 512, grant(Table1 ", "memory = 256, grant(Table1 ");
    assert!(!c.build_matching_full());
}

#[test]
fn every_fixture_edited_one_declaration_at_a_time_matches_a_full_synthesis() {
    // A setting added to one resource of each kind, in every golden fixture.
    let edits = [
        ("#[function(", "#[function(memory = 2048, "),
        ("#[table(", "#[table(point_in_time_recovery = false, "),
        ("#[bucket(", "#[bucket(versioning = false, "),
    ];
    let mut fast = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in &names {
        let source = std::fs::read_to_string(fixtures().join(name).join("src/lib.rs")).unwrap();
        for (from, to) in edits {
            for n in 0..source.matches(from).count() {
                let c = Crate::fixture(name);
                assert!(!c.build_matching_full(), "{name}: the first build is full");
                c.edit_nth(from, to, n);
                if c.build_matching_full() {
                    fast.push(format!("{name}: {from} #{n}"));
                }
            }
        }
    }
    // One-of-a-kind resources take the full path; the others do not — among them
    // functions an API's resolvers (models) and REST routes (rest_apis) use, which are
    // synthesised again with them.
    for fixture in ["function_grants", "models", "rest_apis"] {
        let found = fast.iter().any(|f| f.starts_with(fixture));
        assert!(found, "{fixture} took the fast path: {fast:?}");
    }
}
