//! Backends past what one root template may hold. CloudFormation allows 500 resources
//! (and 1 MB) per template, and the root holds one nested stack per resource; past that,
//! resources' stacks are placed in group stacks (`StackGroup<n>`), nested one level
//! deeper, each within every quota. Wiring crosses the new boundary through parameters
//! (what a member uses from outside its group) and outputs (what others use of it).
//!
//! Placement is sticky: a stack moved to another parent is deleted and created again,
//! which for a table or a user pool loses its data, and for a fixed physical name fails.
//! So each stack keeps the place the previous synthesis gave it (read from its committed
//! files, [`GROUPS_FILE`] and `backend-config.json`), a backend that fits stays flat, and only new stacks are placed: at the root
//! while it has room, else in the newest group with room whose dependencies stay
//! acyclic, else in a new group.

use std::collections::{BTreeMap, BTreeSet};

use crate::cfn::Template;

mod split;

pub(super) use split::{name_clashes, split, template_file, template_key, GroupStack};

/// Past this many resources (or bytes), a root template is split.
const ROOT_RESOURCES: usize = 490;
const ROOT_BYTES: usize = 900_000;
/// Nested stacks the root keeps itself when a backend is first split.
const ROOT_STACKS: usize = 300;
/// Members of one group: each member brings a few parameters (its code key, what it
/// uses from other groups) and outputs, which must stay under 200 per template.
const GROUP_STACKS: usize = 40;

/// Where the previous synthesis put each stack.
#[derive(Debug, Default)]
pub(crate) struct Previous {
    /// Members of each group, by group.
    groups: Vec<(String, Vec<String>)>,
    /// The project's folder: its `backend-config.json` lists what was at the root (read
    /// only when the root is split, not on every build).
    project_dir: Option<std::path::PathBuf>,
}

pub use crate::plan::GROUPS_FILE;

/// The groups file's content.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Recorded {
    /// Each group's members, in order.
    groups: Vec<RecordedGroup>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RecordedGroup {
    logical_id: String,
    members: Vec<String>,
}

impl Previous {
    /// The placement the last synthesis of the project at `project_dir` made: its groups
    /// ([`GROUPS_FILE`]) and, at the root, every other resource its `backend-config.json`
    /// lists (both committed, so a fresh clone reads what was deployed).
    pub(crate) fn read(project_dir: &std::path::Path) -> Previous {
        let groups = std::fs::read_to_string(project_dir.join(GROUPS_FILE))
            .ok()
            .and_then(|text| serde_json::from_str::<Recorded>(&text).ok())
            .map(|r| {
                r.groups
                    .into_iter()
                    .map(|g| (g.logical_id, g.members))
                    .collect()
            })
            .unwrap_or_default();
        Previous {
            groups,
            project_dir: Some(project_dir.to_owned()),
        }
    }

    /// The stacks that were at the root: every resource the previous `backend-config.json`
    /// lists outside the groups.
    fn at_root(&self) -> BTreeSet<String> {
        let Some(dir) = &self.project_dir else {
            return BTreeSet::new();
        };
        let declared: serde_json::Map<String, serde_json::Value> =
            std::fs::read_to_string(dir.join("amplify/backend/backend-config.json"))
                .ok()
                .and_then(|text| serde_json::from_str(&text).ok())
                .unwrap_or_default();
        let grouped: BTreeSet<&String> = self.groups.iter().flat_map(|(_, m)| m).collect();
        declared
            .iter()
            .filter(|(category, _)| *category != "parameters")
            .flat_map(|(category, resources)| {
                let names = resources.as_object().into_iter().flatten().map(|(n, _)| n);
                names.map(move |name| format!("{category}{name}"))
            })
            .filter(|id| !grouped.contains(id))
            .collect()
    }
}

/// The groups file for `groups` (written only when the root is split).
pub(super) fn groups_file(groups: &[GroupStack]) -> String {
    let recorded = Recorded {
        groups: groups
            .iter()
            .map(|g| RecordedGroup {
                logical_id: g.logical_id.clone(),
                members: g.members.clone(),
            })
            .collect(),
    };
    crate::cfn::to_pretty_json(&recorded)
}

/// Groups and their members, in order.
pub(super) type Placement = Vec<(String, Vec<String>)>;

/// Where each of the flat root's nested stacks goes; `None` while the flat root fits and
/// nothing was grouped before. `movable` are the stacks that may be grouped (the others,
/// link stacks and what the local cloud leaves out, stay at the root).
pub(super) fn place(
    flat: &Template,
    flat_json: &str,
    movable: &BTreeSet<String>,
    previous: &Previous,
) -> Result<Option<Placement>, String> {
    let fits = flat.resources.len() <= ROOT_RESOURCES && flat_json.len() <= ROOT_BYTES;
    if fits && previous.groups.is_empty() {
        return Ok(None);
    }
    let was_at_root = previous.at_root();
    let mut places = Places::new(flat);
    let mut new = Vec::new();
    for id in flat.resources.keys() {
        let kept = previous
            .groups
            .iter()
            .position(|(_, members)| members.contains(id));
        match kept {
            Some(g) if movable.contains(id) => places.assign(id, Unit::Group(g)),
            _ if !movable.contains(id) || was_at_root.contains(id) => {
                places.assign(id, Unit::Root(id.clone()))
            }
            _ => new.push(id.clone()),
        }
    }
    let mut names: Vec<String> = previous.groups.iter().map(|(n, _)| n.clone()).collect();
    places.sizes.resize(names.len(), 0);
    let mut at_root = flat.resources.len() - new.len() - places.grouped();
    for id in &new {
        let unit = if at_root < ROOT_STACKS && places.acyclic_with(id, &Unit::Root(id.clone())) {
            Unit::Root(id.clone())
        } else {
            let open = (0..places.sizes.len()).rev().find(|&g| {
                places.sizes[g] < GROUP_STACKS && places.acyclic_with(id, &Unit::Group(g))
            });
            match open {
                Some(g) => Unit::Group(g),
                None => {
                    let g = places.sizes.len();
                    places.sizes.push(0);
                    names.push(next_name(&names));
                    if !places.acyclic_with(id, &Unit::Group(g)) {
                        return Err(format!("the stack of `{id}` cannot be placed: every group it could join would depend on a group that depends on it"));
                    }
                    Unit::Group(g)
                }
            }
        };
        if matches!(unit, Unit::Root(_)) {
            at_root += 1;
        }
        places.assign(id, unit);
    }
    if let Some((a, b)) = places.cycle() {
        return Err(format!(
            "the stacks `{a}` and `{b}` are in groups that now depend on each other (a new dependency between resources placed earlier); CloudFormation cannot order them"
        ));
    }
    let mut groups: Placement = names.into_iter().map(|n| (n, Vec::new())).collect();
    for id in flat.resources.keys() {
        if let Some(Unit::Group(g)) = places.unit.get(id) {
            groups[*g].1.push(id.clone());
        }
    }
    groups.retain(|(_, members)| !members.is_empty());
    Ok(Some(groups))
}

fn next_name(names: &[String]) -> String {
    let n = names
        .iter()
        .filter_map(|n| n.strip_prefix("StackGroup")?.parse::<usize>().ok())
        .max()
        .unwrap_or(0);
    format!("StackGroup{}", n + 1)
}

/// A node of the graph CloudFormation orders: a root-level resource, or a group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Root(String),
    Group(usize),
}

/// The placement being built, with the dependencies between the flat root's resources.
struct Places {
    depends: BTreeMap<String, BTreeSet<String>>,
    unit: BTreeMap<String, Unit>,
    sizes: Vec<usize>,
}

impl Places {
    fn new(flat: &Template) -> Places {
        let ids: BTreeSet<&str> = flat.resources.keys().map(String::as_str).collect();
        let depends = flat
            .resources
            .iter()
            .map(|(id, r)| {
                let mut targets = BTreeSet::new();
                for v in r.properties.values() {
                    v.visit_refs(&mut |t| {
                        if ids.contains(t) && t != id {
                            targets.insert(t.to_owned());
                        }
                    });
                }
                targets.extend(r.depends_on.iter().cloned());
                (id.clone(), targets)
            })
            .collect();
        Places {
            depends,
            unit: BTreeMap::new(),
            sizes: Vec::new(),
        }
    }

    fn assign(&mut self, id: &str, unit: Unit) {
        if let Unit::Group(g) = unit {
            if self.sizes.len() <= g {
                self.sizes.resize(g + 1, 0);
            }
            if !matches!(self.unit.get(id), Some(Unit::Group(_))) {
                self.sizes[g] += 1;
            }
        }
        self.unit.insert(id.to_owned(), unit);
    }

    fn grouped(&self) -> usize {
        self.unit
            .values()
            .filter(|u| matches!(u, Unit::Group(_)))
            .count()
    }

    /// The edges between units of the placed resources (and `extra` placed in `at`).
    fn unit_edges(&self, extra: Option<(&str, &Unit)>) -> BTreeMap<Unit, BTreeSet<Unit>> {
        let unit_of = |id: &str| -> Option<Unit> {
            match extra {
                Some((e, u)) if e == id => Some(u.clone()),
                _ => self.unit.get(id).cloned(),
            }
        };
        let mut edges: BTreeMap<Unit, BTreeSet<Unit>> = BTreeMap::new();
        for (id, targets) in &self.depends {
            let Some(from) = unit_of(id) else { continue };
            for t in targets {
                if let Some(to) = unit_of(t) {
                    if to != from {
                        edges.entry(from.clone()).or_default().insert(to);
                    }
                }
            }
        }
        edges
    }

    fn acyclic_with(&self, id: &str, unit: &Unit) -> bool {
        find_cycle(&self.unit_edges(Some((id, unit)))).is_none()
    }

    /// Two resources whose units depend on each other, if any do.
    fn cycle(&self) -> Option<(String, String)> {
        let (a, b) = find_cycle(&self.unit_edges(None))?;
        let member = |u: &Unit| {
            self.unit
                .iter()
                .find(|(_, v)| *v == u)
                .map(|(id, _)| id.clone())
                .unwrap_or_default()
        };
        Some((member(&a), member(&b)))
    }
}

/// An edge on a cycle of `edges`, if there is one.
fn find_cycle(edges: &BTreeMap<Unit, BTreeSet<Unit>>) -> Option<(Unit, Unit)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: BTreeMap<&Unit, Mark> = BTreeMap::new();
    for start in edges.keys() {
        if marks.contains_key(start) {
            continue;
        }
        // Depth-first, iteratively: (node, its successors still to visit).
        let mut stack: Vec<(&Unit, Vec<&Unit>)> = vec![(start, successors(edges, start))];
        marks.insert(start, Mark::Open);
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            match next.pop() {
                Some(to) => match marks.get(to) {
                    Some(Mark::Open) => return Some((node.clone(), to.clone())),
                    Some(Mark::Done) => {}
                    None => {
                        marks.insert(to, Mark::Open);
                        stack.push((to, successors(edges, to)));
                    }
                },
                None => {
                    marks.insert(node, Mark::Done);
                    stack.pop();
                }
            }
        }
    }
    None
}

fn successors<'a>(edges: &'a BTreeMap<Unit, BTreeSet<Unit>>, node: &Unit) -> Vec<&'a Unit> {
    edges
        .get(node)
        .map(|s| s.iter().collect())
        .unwrap_or_default()
}
