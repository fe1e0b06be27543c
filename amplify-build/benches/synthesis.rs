//! Synthesis speed on generated backends of 10, 100 and 1,000 resources, and on the
//! blog example. Run with `cargo bench -p amplify-build --bench synthesis`.
//!
//! Each row is the median of repeated runs of one phase:
//! - parse: syn parse of the source text + declaration parsing and validation;
//! - synth: model → CloudFormation IR → JSON text for every file (in memory);
//! - build.rs: what a no-change `cargo build` that re-runs the script pays
//!   (scan files, parse, synthesise, compare with the bytes on disk, write nothing);
//! - first write: the same into an empty folder.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use amplify_build::category::stack::ProjectSettings;
use amplify_build::decl::diagnostics::Diagnostics;
use amplify_build::parse::parse_backend;
use amplify_build::synth::synthesize_backend;
use amplify_build::{Config, Registry};

const SCHEMA: &str = "type Item { id: ID! }\ntype Query { listItems: [Item] }\n";

/// A backend of `n` resources: one auth, one API, and tables, functions (each granted
/// read/write on a table) and buckets in rotation.
fn generated_source(n: usize) -> String {
    let mut s = String::from("#[amplify::backend]\npub mod backend {\n");
    s.push_str(
        "    #[auth(sign_in = [email], groups = [Admins], identity_pool)]\n    pub struct Users;\n",
    );
    s.push_str("    #[function(runtime = rust(package = \"f\"))]\n    pub struct Resolver;\n");
    s.push_str("    #[api(schema = \"schema.graphql\", auth = user_pool(Users), data_sources = [Resolver], resolvers(Query::listItems = Resolver))]\n    pub struct Api;\n");
    let mut i = 3;
    while i < n {
        match i % 3 {
            0 => s.push_str(&format!(
                "    #[table(partition_key = id: string, index(name = byOwner, partition_key = owner: string))]\n    pub struct Table{i};\n"
            )),
            1 => s.push_str(&format!(
                "    #[function(runtime = rust(package = \"f{i}\"), memory = 256, grant(Table{} = [read, write]))]\n    pub struct Fn{i};\n",
                i - 1
            )),
            _ => s.push_str(&format!(
                "    #[bucket(authenticated = [read, write], groups(Admins = [read]))]\n    pub struct Bucket{i};\n"
            )),
        }
        i += 1;
    }
    s.push_str("}\n");
    s
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(iterations: usize, mut f: impl FnMut() -> T) -> Duration {
    black_box(f());
    median(
        (0..iterations)
            .map(|_| {
                let start = Instant::now();
                black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

fn crate_dir(source: &str, schema_name: &str, schema: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), source).unwrap();
    std::fs::write(dir.path().join(schema_name), schema).unwrap();
    dir
}

fn row(label: &str, source: &str, root: &Path) {
    let iterations = if source.len() > 200_000 { 15 } else { 50 };
    let loader = |p: &str| std::fs::read_to_string(root.join(p)).map_err(|e| e.to_string());
    let parse = time(iterations, || {
        let file = syn::parse_file(source).unwrap();
        let syn::Item::Mod(m) = &file.items[0] else {
            unreachable!()
        };
        let cx = Diagnostics::new();
        let backend = parse_backend(m, &Registry::builtin(), &loader, None, &cx);
        assert!(!cx.has_errors());
        backend
    });
    let file = syn::parse_file(source).unwrap();
    let syn::Item::Mod(m) = &file.items[0] else {
        unreachable!()
    };
    let cx = Diagnostics::new();
    let backend = parse_backend(m, &Registry::builtin(), &loader, None, &cx);
    assert!(!cx.has_errors());
    let project = ProjectSettings {
        project_name: "bench".into(),
        frontend: "rust".into(),
    };
    let synth = time(iterations, || synthesize_backend(&backend, &project));
    let (files, _) = synthesize_backend(&backend, &project);
    let bytes: usize = files.generated.iter().map(|(_, t)| t.len()).sum();

    // A fresh folder per sample, cleared outside the timed region.
    let first = median(
        (0..iterations.min(10))
            .map(|_| {
                let _ = std::fs::remove_dir_all(root.join("amplify"));
                let start = Instant::now();
                black_box(
                    Config::new()
                        .project_name("bench")
                        .synthesize_in(root)
                        .unwrap(),
                );
                start.elapsed()
            })
            .collect(),
    );
    let rerun = time(iterations, || {
        let report = Config::new()
            .project_name("bench")
            .synthesize_in(root)
            .unwrap();
        assert!(report.written.is_empty());
        report
    });
    println!(
        "| {label:<22} | {:>5} | {:>9.2} | {:>9.2} | {:>11.2} | {:>11.2} | {:>7} KiB |",
        backend.resources.len(),
        parse.as_secs_f64() * 1e3,
        synth.as_secs_f64() * 1e3,
        rerun.as_secs_f64() * 1e3,
        first.as_secs_f64() * 1e3,
        bytes / 1024,
    );
}

fn main() {
    // `cargo test --benches` runs bench targets with `--bench`-less args; keep that quick.
    if std::env::args().any(|a| a == "--test") {
        return;
    }
    println!("| backend                | resources | parse ms | synth ms | build.rs ms | first write ms | output |");
    println!("|------------------------|-----:|------:|------:|------:|------:|------:|");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/blog");
    let example_src = std::fs::read_to_string(example.join("src/cloud.rs")).unwrap();
    let dir = crate_dir(
        &example_src,
        "schema.graphql",
        &std::fs::read_to_string(example.join("schema.graphql")).unwrap(),
    );
    std::fs::create_dir_all(dir.path().join("resolvers")).unwrap();
    std::fs::copy(
        example.join("resolvers/getPost.js"),
        dir.path().join("resolvers/getPost.js"),
    )
    .unwrap();
    row("examples/blog", &example_src, dir.path());
    for n in [10, 100, 1000] {
        let source = generated_source(n);
        let dir = crate_dir(&source, "schema.graphql", SCHEMA);
        row(&format!("generated, {n}"), &source, dir.path());
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM")) {
            println!(
                "\npeak RSS of the whole bench process: {}",
                line.trim_start_matches("VmHWM:").trim()
            );
        }
    }
}
