//! Re-synthesis after an edit to one declaration, without re-reading the whole backend.
//!
//! A build script's process is unoptimised (cargo's dev profile), and a backend of
//! thousands of resources takes a second to parse and synthesise in full. After a run
//! that wrote everything, [`Snapshot`] records in `OUT_DIR` what the next run needs to
//! tell what changed: the backend file's text, each resource item's place in it, its
//! edges, the keys of its template and of the group stack holding it, and fingerprints
//! of every other input. When the next run finds that only one resource item's text
//! changed ([`fast`]), it parses and synthesises just the resources that item can
//! affect — the item, the resources whose edges point at it, what those reference and
//! the backend's one-of-a-kind resources — twice, from the old text and from the new.
//! If both give the same backend-wide products (plan, root entries, declaration) up to
//! the changed templates' keys, the new outputs are the old ones with those resources'
//! files rewritten and their keys replaced where they appear (group stack, root stack,
//! plan). Anything else — another file changed, an error, a product that differs in
//! more than keys, old keys the partial synthesis does not reproduce — falls back to
//! the full synthesis, which records a new snapshot.

mod fast;
mod source;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::category::model::Backend;
use crate::plan::Plan;

pub(crate) use fast::{try_fast, FastContext};

/// The snapshot's file under `OUT_DIR`.
const SNAPSHOT_FILE: &str = "amplify-incremental.json";
/// The backend file's text as the snapshot's run read it.
const SOURCE_COPY: &str = "amplify-incremental-source.rs";

/// What a full (or fast) run left for the next one to compare against.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    /// Everything besides the sources that decides the outputs (configuration, build
    /// script binary, date, project settings), fingerprinted.
    key: String,
    /// The file holding the backend module.
    backend_file: PathBuf,
    /// Its hash as the plan's `inputs` records it.
    backend_hash: String,
    /// Every other input read (sources, schemas, project config), with fingerprints.
    inputs: Vec<(PathBuf, String)>,
    /// The crate roots that existed.
    roots: Vec<PathBuf>,
    /// The module's resource items, in order.
    items: Vec<ItemRecord>,
    /// Group stacks: logical id, template file, key.
    groups: Vec<(String, String, String)>,
    /// The root template's key.
    root_key: String,
    /// Files a fast run patches (root template, group templates, plan), as written.
    patched: Vec<Stamp>,
    /// Files a run accounts for (written or unchanged).
    outputs: usize,
    /// Files created once and owned by the user since.
    seeded: Vec<String>,
    /// What the run warned about.
    warnings: Vec<String>,
    /// Every input the run reported (for `rerun-if-changed`).
    reported_inputs: Vec<PathBuf>,
}

/// One resource item of the backend module.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ItemRecord {
    /// Its byte range in the backend file, attributes included.
    start: usize,
    end: usize,
    /// The struct's name.
    ident: String,
    /// Its declaring attribute.
    attribute: String,
    /// The idents of the resources it has edges to (links included).
    edges: Vec<String>,
    /// Whether it owns a link stack or a link uses it (links span resources).
    linked: bool,
    /// Its nested template's key, when it has a stack.
    key: Option<String>,
    /// The group stack holding its stack, when the root is split.
    group: Option<String>,
}

/// A file as it was written: its size and modification time, which change with its
/// bytes (read back in full, the plan alone is megabytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    file: String,
    len: u64,
    modified: u128,
}

impl Stamp {
    fn of(project_dir: &Path, file: String) -> Option<Stamp> {
        let meta = std::fs::metadata(project_dir.join(&file)).ok()?;
        let modified = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        Some(Stamp {
            file,
            len: meta.len(),
            modified,
        })
    }

    /// Whether the file is still as written.
    fn holds(&self, project_dir: &Path) -> bool {
        Stamp::of(project_dir, self.file.clone()).as_ref() == Some(self)
    }
}

/// What a full run produced, for [`record`].
pub(crate) struct FullRun<'a> {
    pub key: String,
    pub backend_file: &'a Path,
    pub module: &'a syn::ItemMod,
    pub backend: &'a Backend,
    pub plan: &'a Plan,
    pub crate_root: &'a Path,
    pub project_dir: &'a Path,
    pub roots: Vec<PathBuf>,
    pub seeded: Vec<String>,
    pub outputs: usize,
    pub warnings: &'a [String],
    pub reported_inputs: &'a [PathBuf],
}

/// Fingerprint of bytes, as text.
fn fingerprint(bytes: &[u8]) -> String {
    format!("{:032x}", crate::plan::hash_memo::fingerprint(bytes))
}

/// Records the snapshot of a full run that wrote everything. A snapshot that cannot be
/// made (a file gone meanwhile) is removed: the next run is a full one.
pub(crate) fn record(state_dir: &Path, run: &FullRun) {
    let made = snapshot(run);
    let saved = made.and_then(|(snapshot, text)| {
        crate::fs::write_atomic(&state_dir.join(SOURCE_COPY), text.as_bytes()).ok()?;
        let json = serde_json::to_string(&snapshot).ok()?;
        crate::fs::write_atomic(&state_dir.join(SNAPSHOT_FILE), json.as_bytes()).ok()
    });
    if saved.is_none() {
        forget(state_dir);
    }
}

/// Removes the snapshot: the next run is a full one.
pub(crate) fn forget(state_dir: &Path) {
    let _ = std::fs::remove_file(state_dir.join(SNAPSHOT_FILE));
}

fn snapshot(run: &FullRun) -> Option<(Snapshot, String)> {
    let text = std::fs::read_to_string(run.backend_file).ok()?;
    let items = item_records(run, &text)?;
    let relative = |p: &Path| relative_name(run.crate_root, p);
    let backend_name = relative(run.backend_file);
    let backend_hash = run
        .plan
        .inputs
        .iter()
        .find(|i| i.path == backend_name)?
        .sha256
        .clone();
    let mut inputs = Vec::new();
    for input in &run.plan.inputs {
        let path = run.crate_root.join(&input.path);
        if path != run.backend_file {
            inputs.push((path.clone(), fingerprint(&std::fs::read(&path).ok()?)));
        }
    }
    let groups: Vec<(String, String, String)> = run
        .plan
        .root
        .groups
        .iter()
        .map(|g| {
            (
                g.logical_id.clone(),
                g.template.clone(),
                g.template_key.clone(),
            )
        })
        .collect();
    let mut patched = vec![
        run.plan.root.template.clone(),
        crate::plan::PLAN_FILE.to_owned(),
    ];
    patched.extend(groups.iter().map(|(_, file, _)| file.clone()));
    let patched = patched
        .into_iter()
        .map(|file| Stamp::of(run.project_dir, file))
        .collect::<Option<Vec<_>>>()?;
    let snapshot = Snapshot {
        key: run.key.clone(),
        backend_file: run.backend_file.to_owned(),
        backend_hash,
        inputs,
        roots: run.roots.clone(),
        items,
        groups,
        root_key: run.plan.root.template_key.clone(),
        patched,
        outputs: run.outputs,
        seeded: run.seeded.clone(),
        warnings: run.warnings.to_vec(),
        reported_inputs: run.reported_inputs.to_vec(),
    };
    Some((snapshot, text))
}

/// `path` relative to `root`, with `/` separators (as the plan names inputs).
fn relative_name(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A record per resource item of the module, or `None` when the module has an item
/// the fast path does not follow (a `#[cfg]` on a resource).
fn item_records(run: &FullRun, text: &str) -> Option<Vec<ItemRecord>> {
    let (_, items) = run.module.content.as_ref()?;
    let lines = source::LineIndex::new(text);
    let keys: HashMap<&str, &str> = run
        .plan
        .stacks
        .iter()
        .map(|st| (st.logical_id.as_str(), st.template_key.as_str()))
        .collect();
    let group_of: HashMap<&str, &str> = run
        .plan
        .root
        .groups
        .iter()
        .flat_map(|g| {
            g.members
                .iter()
                .map(|m| (m.as_str(), g.logical_id.as_str()))
        })
        .collect();
    let declared: HashSet<&str> = run
        .backend
        .resources
        .iter()
        .map(|r| r.ident.as_str())
        .collect();
    let mut records = Vec::new();
    // Resources are in declaration order: each is the next struct of its name.
    let mut resources = run.backend.resources.iter().peekable();
    for item in items {
        let syn::Item::Struct(s) = item else { continue };
        let Some(resource) = resources.next_if(|r| s.ident == r.ident) else {
            continue;
        };
        if s.attrs.iter().any(|a| a.path().is_ident("cfg")) {
            return None;
        }
        let (start, end) = lines.byte_range(syn::spanned::Spanned::span(item))?;
        let links = resource.kind.links(resource, run.backend);
        let linked = !links.is_empty();
        // What `deps::dependencies` resolves, and what links use.
        let mut edges: Vec<String> = Vec::new();
        let targets = resource.kind.edges(resource, run.backend).into_iter();
        for edge in targets.chain(links.into_iter().flat_map(|l| l.uses)) {
            let known = declared.contains(edge.target);
            if known && edge.target != resource.ident && !edges.iter().any(|e| e == edge.target) {
                edges.push(edge.target.to_owned());
            }
        }
        let logical_id = resource.logical_id();
        records.push(ItemRecord {
            start,
            end,
            ident: resource.ident.clone(),
            attribute: resource.attribute().to_owned(),
            edges,
            linked,
            key: keys.get(logical_id.as_str()).map(|k| (*k).to_owned()),
            group: group_of.get(logical_id.as_str()).map(|g| (*g).to_owned()),
        });
    }
    if resources.next().is_some() {
        // A resource not found as a struct of the module: nothing to follow.
        return None;
    }
    // A link's uses make its targets linked too.
    let used: HashSet<String> = records
        .iter()
        .filter(|r| r.linked)
        .flat_map(|r| r.edges.clone())
        .collect();
    for r in &mut records {
        r.linked |= used.contains(&r.ident);
    }
    Some(records)
}
