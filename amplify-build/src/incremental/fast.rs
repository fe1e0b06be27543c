//! The fast path: one resource item edited, the rest of the last run's outputs kept.
//! Every check that fails returns `None`, and the caller synthesises in full.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::source::{self, Edit};
use super::{fingerprint, ItemRecord, Snapshot, Stamp, SNAPSHOT_FILE, SOURCE_COPY};
use crate::category::model::Backend;
use crate::category::stack::ProjectSettings;
use crate::decl::diagnostics::Diagnostics;
use crate::declaration::Declaration;
use crate::registry::Registry;
use crate::synth::{self, FileSet};

/// What the fast path needs from the caller.
pub(crate) struct FastContext<'a> {
    pub key: String,
    pub state_dir: &'a Path,
    pub crate_root: &'a Path,
    pub project_dir: &'a Path,
    pub roots: Vec<PathBuf>,
    pub registry: &'a Registry,
    pub today: &'a str,
    pub project: &'a ProjectSettings,
}

/// What a fast run did, for the caller's report.
pub(crate) struct FastRun {
    /// Files rewritten, relative to the project folder.
    pub written: Vec<PathBuf>,
    pub unchanged: usize,
    pub inputs: Vec<PathBuf>,
    pub warnings: Vec<String>,
    pub resources: usize,
}

/// The outputs after the edit, when the edit is one the fast path can follow. A category
/// that panics on the partial backend (it reads a resource it has no edge to) gets the
/// full synthesis too.
pub(crate) fn try_fast(cx: &FastContext) -> Option<FastRun> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fast_run(cx)))
        .ok()
        .flatten()
}

fn fast_run(cx: &FastContext) -> Option<FastRun> {
    let mut snap: Snapshot =
        serde_json::from_slice(&std::fs::read(cx.state_dir.join(SNAPSHOT_FILE)).ok()?).ok()?;
    if snap.key != cx.key || snap.roots != cx.roots || !outputs_in_place(&snap, cx) {
        return None;
    }
    for (path, print) in &snap.inputs {
        if fingerprint(&std::fs::read(path).ok()?) != *print {
            return None;
        }
    }
    let new_text = std::fs::read_to_string(&snap.backend_file).ok()?;
    let old_text = std::fs::read_to_string(cx.state_dir.join(SOURCE_COPY)).ok()?;
    let mut written = Vec::new();
    if let Some(edit) = source::edit(old_text.as_bytes(), new_text.as_bytes()) {
        let changed = locate(&snap.items, edit, old_text.len())?;
        let texts = Texts {
            old: &old_text,
            new: &new_text,
            changed,
            delta: new_text.len() as isize - old_text.len() as isize,
        };
        written = apply_edit(&mut snap, &texts, cx)?;
    }
    let run = FastRun {
        unchanged: snap.outputs.saturating_sub(written.len()),
        written,
        inputs: snap.reported_inputs.clone(),
        warnings: snap.warnings.clone(),
        resources: snap.items.len(),
    };
    // The sources as this run read them; a failed save makes the next run a full one.
    let saved = crate::fs::write_atomic(&cx.state_dir.join(SOURCE_COPY), new_text.as_bytes())
        .ok()
        .and_then(|()| serde_json::to_string(&snap).ok())
        .and_then(|json| {
            crate::fs::write_atomic(&cx.state_dir.join(SNAPSHOT_FILE), json.as_bytes()).ok()
        });
    if saved.is_none() {
        super::forget(cx.state_dir);
    }
    Some(run)
}

/// The files the last run wrote are still there: the folder was not removed, seeded
/// files not deleted, the patched files as written.
fn outputs_in_place(snap: &Snapshot, cx: &FastContext) -> bool {
    let dir = cx.project_dir;
    let patched_now = [crate::plan::ROOT_TEMPLATE_FILE, crate::plan::PLAN_FILE];
    dir.join("amplify/backend/backend-config.json").is_file()
        && snap.seeded.iter().all(|f| dir.join(f).exists())
        && snap
            .patched
            .iter()
            .filter(|s| patched_now.contains(&s.file.as_str()))
            .all(|s| s.holds(dir))
}

/// The resource item an edit falls in, when it falls in one.
fn locate(items: &[ItemRecord], edit: Edit, old_len: usize) -> Option<usize> {
    let old_end = old_len - edit.suffix;
    items
        .iter()
        .position(|i| i.start <= edit.prefix && edit.prefix < i.end && old_end <= i.end)
}

/// The backend file before and after, and which item changed by how many bytes.
struct Texts<'a> {
    old: &'a str,
    new: &'a str,
    changed: usize,
    delta: isize,
}

impl Texts<'_> {
    /// Item `index`'s text before (`after == false`) or after the edit.
    fn item(&self, items: &[ItemRecord], index: usize, after: bool) -> Option<&str> {
        let i = &items[index];
        if !after {
            return self.old.get(i.start..i.end);
        }
        let shift = |at: usize| at.checked_add_signed(self.delta);
        match index.cmp(&self.changed) {
            std::cmp::Ordering::Less => self.new.get(i.start..i.end),
            std::cmp::Ordering::Equal => self.new.get(i.start..shift(i.end)?),
            std::cmp::Ordering::Greater => self.new.get(shift(i.start)?..shift(i.end)?),
        }
    }
}

/// Re-synthesises what the edited item affects, writes what changed, and updates the
/// snapshot; the files written.
fn apply_edit(snap: &mut Snapshot, texts: &Texts, cx: &FastContext) -> Option<Vec<PathBuf>> {
    let items = &snap.items;
    let (affected, members) = affected_members(items, texts.changed)?;
    let inputs: Vec<&Path> = snap.inputs.iter().map(|(p, _)| p.as_path()).collect();
    let parsed = |after: bool| {
        partial(
            (items, &inputs),
            &members,
            |j| texts.item(items, j, after),
            cx,
        )
    };
    let (before, after) = (parsed(false)?, parsed(true)?);
    let (old_files, old_plan) = synth::synthesize_backend(&before, cx.project);
    let (new_files, new_plan) = synth::synthesize_backend(&after, cx.project);
    if !old_files.errors.is_empty() || !new_files.errors.is_empty() {
        return None;
    }
    let (key_changes, folders) =
        changed_keys(items, (&members, &affected), &after, (&old_plan, &new_plan))?;
    let normalise = |text: &str| {
        let mut text = text.to_owned();
        for (_, old, new) in &key_changes {
            text = text.replace(new.as_str(), old);
        }
        text.replace(&new_plan.root.template_key, &old_plan.root.template_key)
    };
    let declared = |b: &Backend| {
        Declaration::of(Path::new(""), &ident("backend"), cx.registry, b, &[]).resources
    };
    if declared(&before) != declared(&after)
        || crate::cfn::to_pretty_json(&old_plan)
            != normalise(&crate::cfn::to_pretty_json(&new_plan))
    {
        return None;
    }
    let rewritten = own_files(&old_files, &new_files, &folders, normalise)?;
    let mut written = Vec::new();
    for (file, text) in rewritten {
        let outcome = crate::fs::write_if_changed(&cx.project_dir.join(&file), &text).ok()?;
        if matches!(outcome, crate::fs::WriteOutcome::Written) {
            written.push(PathBuf::from(file));
        }
    }
    let new_hash = crate::plan::content_hash(texts.new.as_bytes());
    written.extend(patch(snap, &key_changes, &new_hash, cx.project_dir)?);
    for (j, _, new) in key_changes {
        snap.items[j].key = Some(new);
    }
    snap.backend_hash = new_hash;
    shift_items(&mut snap.items, texts)?;
    Some(written)
}

/// The edited item and those with edges to it (`affected`), and every resource the
/// partial backend needs (`members`: they, what they reference, one-of-a-kind resources);
/// `None` when the edited item is one-of-a-kind (others may look it up by kind) or an
/// affected one takes part in a link stack.
fn affected_members(items: &[ItemRecord], changed: usize) -> Option<(Vec<usize>, Vec<usize>)> {
    let mut per_kind: HashMap<&str, usize> = HashMap::new();
    for i in items {
        *per_kind.entry(i.attribute.as_str()).or_default() += 1;
    }
    let singletons: Vec<usize> = (0..items.len())
        .filter(|&j| per_kind[items[j].attribute.as_str()] == 1)
        .collect();
    if singletons.contains(&changed) {
        return None;
    }
    let ident = &items[changed].ident;
    let mut affected = vec![changed];
    affected.extend((0..items.len()).filter(|&j| j != changed && items[j].edges.contains(ident)));
    if affected.iter().any(|&j| items[j].linked) {
        return None;
    }
    let by_ident: HashMap<&str, usize> = (0..items.len())
        .map(|j| (items[j].ident.as_str(), j))
        .collect();
    let members = closure(
        items,
        &by_ident,
        [affected.as_slice(), &singletons].concat(),
    );
    Some((affected, members))
}

/// A template key the edit changed: the item, its old key, its new key.
type KeyChange = (usize, String, String);

/// The template keys the edit changed and the affected
/// resources' folders. `None` unless the partial synthesis before the edit reproduces
/// the last run's keys (what the categories read is all there) and only affected
/// resources' templates change.
fn changed_keys(
    items: &[ItemRecord],
    (members, affected): (&[usize], &[usize]),
    after: &Backend,
    (old_plan, new_plan): (&crate::plan::Plan, &crate::plan::Plan),
) -> Option<(Vec<KeyChange>, Vec<String>)> {
    let mut key_changes = Vec::new();
    let mut folders = Vec::new();
    for &j in members {
        let record = &items[j];
        let resource = after.resources.iter().find(|r| r.ident == record.ident)?;
        let logical_id = resource.logical_id();
        let key_in = |plan: &crate::plan::Plan| {
            plan.stacks
                .iter()
                .find(|s| s.logical_id == logical_id)
                .map(|s| s.template_key.clone())
        };
        let (old, new) = (key_in(old_plan), key_in(new_plan));
        if old != record.key {
            return None;
        }
        let is_affected = affected.contains(&j);
        match (old, new) {
            (Some(old), Some(new)) if old != new => {
                if !is_affected {
                    return None;
                }
                key_changes.push((j, old, new));
            }
            (old, new) if old.is_some() != new.is_some() => return None,
            _ => {}
        }
        if is_affected {
            folders.push(format!(
                "amplify/backend/{}/{}/",
                resource.category(),
                resource.name
            ));
        }
    }
    Some((key_changes, folders))
}

/// The recorded item ranges after the edit: the edited item's end and every later item
/// move by the edit's length.
fn shift_items(items: &mut [ItemRecord], texts: &Texts) -> Option<()> {
    let record = &mut items[texts.changed];
    record.end = record.end.checked_add_signed(texts.delta)?;
    for later in &mut items[texts.changed + 1..] {
        later.start = later.start.checked_add_signed(texts.delta)?;
        later.end = later.end.checked_add_signed(texts.delta)?;
    }
    Some(())
}

/// `start` (the affected resources and every one-of-a-kind resource) and what they
/// reference, transitively, in declaration order.
fn closure(items: &[ItemRecord], by_ident: &HashMap<&str, usize>, start: Vec<usize>) -> Vec<usize> {
    let mut members = start;
    let mut next = 0;
    while next < members.len() {
        for target in &items[members[next]].edges {
            if let Some(&j) = by_ident.get(target.as_str()) {
                if !members.contains(&j) {
                    members.push(j);
                }
            }
        }
        next += 1;
    }
    members.sort_unstable();
    members.dedup();
    members
}

/// The backend of the `members` items, parsed from the texts `text_of` gives and
/// checked; `None` when anything is wrong with it or it reads a file the last run did
/// not (the full synthesis reports and records those).
fn partial<'t>(
    (items, inputs): (&[ItemRecord], &[&Path]),
    members: &[usize],
    text_of: impl Fn(usize) -> Option<&'t str>,
    cx: &FastContext,
) -> Option<Backend> {
    let diagnostics = Diagnostics::new();
    let read: RefCell<Vec<PathBuf>> = RefCell::new(Vec::new());
    let loader = |relative: &str| -> Result<String, String> {
        let path = cx.crate_root.join(relative);
        read.borrow_mut().push(path.clone());
        std::fs::read_to_string(&path).map_err(|e| e.to_string())
    };
    let module = ident("backend");
    let mut resources = Vec::new();
    for &j in members {
        let item: syn::Item = syn::parse_str(text_of(j)?).ok()?;
        let syn::Item::Struct(s) = &item else {
            return None;
        };
        if s.ident != items[j].ident || s.attrs.iter().any(|a| a.path().is_ident("cfg")) {
            return None;
        }
        let resource = crate::parse::parse_item(
            &item,
            &module,
            cx.registry,
            (&loader, Some(cx.today)),
            &diagnostics,
        )?;
        if resource.attribute() != items[j].attribute {
            return None;
        }
        resources.push(resource);
    }
    let backend = Backend { resources };
    crate::parse::validate::validate(&backend, &diagnostics);
    let known = |p: &PathBuf| inputs.contains(&p.as_path());
    if diagnostics.has_errors() || !read.into_inner().iter().all(known) {
        return None;
    }
    Some(backend)
}

fn ident(name: &str) -> syn::Ident {
    syn::Ident::new(name, proc_macro2::Span::call_site())
}

/// The affected resources' own files after the edit; `None` when any other file of the
/// partial synthesis differs, the root template in more than keys (the edit reaches
/// further than the fast path patches).
fn own_files(
    old: &FileSet,
    new: &FileSet,
    folders: &[String],
    normalise: impl Fn(&str) -> String,
) -> Option<Vec<(String, String)>> {
    if old.generated.len() != new.generated.len()
        || old.seeded != new.seeded
        || old.warnings != new.warnings
    {
        return None;
    }
    let mut own = Vec::new();
    for ((old_path, old_text), (new_path, new_text)) in old.generated.iter().zip(&new.generated) {
        if old_path != new_path {
            return None;
        }
        if folders.iter().any(|f| new_path.starts_with(f.as_str())) {
            own.push((new_path.clone(), new_text.clone()));
        } else if new_path == crate::plan::ROOT_TEMPLATE_FILE {
            // Patched: the same up to the keys.
            if *old_text != normalise(new_text) {
                return None;
            }
        } else if old_text != new_text {
            // Any other file that names a key (or changed otherwise) is not patched.
            return None;
        }
    }
    Some(own)
}

/// Puts the new keys where the old ones were: the group templates holding the changed
/// stacks, then the root (whose group keys changed with them), then the plan (every key,
/// the root's, and the backend file's hash). Returns the files rewritten.
fn patch(
    snap: &mut Snapshot,
    key_changes: &[KeyChange],
    new_hash: &str,
    project_dir: &Path,
) -> Option<Vec<PathBuf>> {
    let read = |file: &str| {
        let stamp = snap.patched.iter().find(|s| s.file == file)?;
        if !stamp.holds(project_dir) {
            return None;
        }
        std::fs::read_to_string(project_dir.join(file)).ok()
    };
    let mut replaced: Vec<(String, String)> = Vec::new();
    // Group templates rewritten, by index in `snap.groups`.
    let mut groups: HashMap<usize, Vec<(String, String)>> = HashMap::new();
    let mut at_root: Vec<(String, String)> = Vec::new();
    for (j, old, new) in key_changes {
        replaced.push((old.clone(), new.clone()));
        let change = (old.clone(), new.clone());
        match &snap.items[*j].group {
            Some(group) => {
                let g = snap.groups.iter().position(|(id, _, _)| id == group)?;
                groups.entry(g).or_default().push(change);
            }
            None => at_root.push(change),
        }
    }
    let mut files: Vec<(String, String)> = Vec::new();
    let mut changed_groups: Vec<(usize, Vec<(String, String)>)> = groups.into_iter().collect();
    changed_groups.sort_unstable_by_key(|(g, _)| *g);
    for (g, changes) in changed_groups {
        let (id, file, old_key) = snap.groups[g].clone();
        let body = replace_keys(&read(&file)?, &changes)?;
        let new_key = synth::group_template_key(&id, &body);
        at_root.push((old_key.clone(), new_key.clone()));
        replaced.push((old_key, new_key.clone()));
        snap.groups[g].2 = new_key;
        files.push((file, body));
    }
    let root = replace_keys(&read(crate::plan::ROOT_TEMPLATE_FILE)?, &at_root)?;
    let new_root_key = synth::root_template_key(&root);
    replaced.push((
        std::mem::replace(&mut snap.root_key, new_root_key.clone()),
        new_root_key,
    ));
    files.push((crate::plan::ROOT_TEMPLATE_FILE.to_owned(), root));
    let mut plan = replace_keys(&read(crate::plan::PLAN_FILE)?, &replaced)?;
    // The backend file's entry in the plan's `inputs`.
    let old_hash = format!("\"sha256\": \"{}\"", snap.backend_hash);
    if plan.matches(&old_hash).count() != 1 {
        return None;
    }
    plan = plan.replacen(&old_hash, &format!("\"sha256\": \"{new_hash}\""), 1);
    files.push((crate::plan::PLAN_FILE.to_owned(), plan));
    let mut written = Vec::new();
    for (file, body) in files {
        // Each holds a key that changed: no need to compare with what is there.
        crate::fs::write_atomic(&project_dir.join(&file), body.as_bytes()).ok()?;
        let stamp = Stamp::of(project_dir, file.clone())?;
        let entry = snap.patched.iter_mut().find(|s| s.file == file)?;
        *entry = stamp;
        written.push(PathBuf::from(file));
    }
    Some(written)
}

/// Every deployment-bucket key in `text` that `changes` names (old → new) replaced, in
/// one pass over the text; `None` when one of them is not there (the file is not what
/// the snapshot says).
fn replace_keys(text: &str, changes: &[(String, String)]) -> Option<String> {
    const KEY_PREFIX: &str = "amplify-cfn-templates/";
    let mut out = String::with_capacity(text.len());
    let mut found = vec![false; changes.len()];
    let mut copied = 0;
    for (at, _) in text.match_indices(KEY_PREFIX) {
        let rest = &text[at..];
        if let Some(i) = changes
            .iter()
            .position(|(old, _)| rest.starts_with(old.as_str()))
        {
            out.push_str(&text[copied..at]);
            out.push_str(&changes[i].1);
            copied = at + changes[i].0.len();
            found[i] = true;
        }
    }
    out.push_str(&text[copied..]);
    found.into_iter().all(|f| f).then_some(out)
}
