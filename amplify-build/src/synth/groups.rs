//! Backends past what one root template may hold. CloudFormation allows 500 resources
//! (and 1 MB) per template, and the root holds one nested stack per resource; past that,
//! resources' stacks are placed in group stacks (`StackGroup<n>`), nested one level
//! deeper, each within every quota. Wiring crosses the new boundary through parameters
//! (what a member uses from outside its group) and outputs (what others use of it).
//!
//! Placement is sticky: a stack moved to another parent is deleted and created again,
//! which for a table or a user pool loses its data, and for a fixed physical name fails.
//! So each stack keeps the place the previous synthesis gave it (read from the plan it
//! wrote), a backend that fits stays flat, and only new stacks are placed: at the root
//! while it has room, else in the newest group with room whose dependencies stay
//! acyclic, else in a new group.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;

use crate::cfn::{Resource, Template, Value};
use crate::plan::{content_hash, GroupPlan};

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
    /// Stacks that were at the root.
    at_root: BTreeSet<String>,
}

impl Previous {
    /// The placement recorded in the plan at `path`, if there is one. Only the stacks'
    /// ids and the groups are read (the rest is skipped, not built).
    pub(crate) fn read(path: &std::path::Path) -> Previous {
        #[derive(serde::Deserialize)]
        struct Recorded {
            root: RecordedRoot,
            stacks: Vec<RecordedStack>,
        }
        #[derive(serde::Deserialize)]
        struct RecordedRoot {
            #[serde(default)]
            groups: Vec<GroupPlan>,
        }
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct RecordedStack {
            logical_id: String,
        }
        let Some(recorded) = std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str::<Recorded>(&text).ok())
        else {
            return Previous::default();
        };
        let grouped: BTreeSet<&String> = recorded
            .root
            .groups
            .iter()
            .flat_map(|g| &g.members)
            .collect();
        Previous {
            at_root: recorded
                .stacks
                .iter()
                .map(|s| s.logical_id.clone())
                .filter(|id| !grouped.contains(id))
                .collect(),
            groups: recorded
                .root
                .groups
                .into_iter()
                .map(|g| (g.logical_id, g.members))
                .collect(),
        }
    }
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
    let mut places = Places::new(flat);
    let mut new = Vec::new();
    for id in flat.resources.keys() {
        let kept = previous
            .groups
            .iter()
            .position(|(_, members)| members.contains(id));
        match kept {
            Some(g) if movable.contains(id) => places.assign(id, Unit::Group(g)),
            _ if !movable.contains(id) || previous.at_root.contains(id) => {
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
        let ids: BTreeSet<&String> = flat.resources.keys().collect();
        let depends = flat
            .resources
            .iter()
            .map(|(id, r)| {
                let mut targets = BTreeSet::new();
                for v in r.properties.values() {
                    v.visit_refs(&mut |t| {
                        if ids.contains(&t.to_owned()) && t != id {
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

/// Where a group's template is written, relative to the folder holding `amplify/`.
pub(super) fn template_file(group: &str) -> String {
    format!("amplify/backend/awscloudformation/build/groups/{group}.json")
}

/// Its content-addressed key in the deployment bucket.
pub(super) fn template_key(group: &str, template: &Template) -> String {
    format!(
        "amplify-cfn-templates/groups/{group}-{}.json",
        content_hash(template.to_json().as_bytes())
    )
}

/// Names a group template uses both as a parameter (or output) and as a member's
/// logical id, which CloudFormation refuses: a resource named like the parameter
/// standing for another one's output.
pub(super) fn name_clashes(group: &GroupStack) -> Vec<String> {
    group
        .template
        .parameters
        .keys()
        .chain(group.template.outputs.keys())
        .filter(|name| group.template.resources.contains_key(*name))
        .cloned()
        .collect()
}

/// One group stack's template.
pub(super) struct GroupStack {
    pub logical_id: String,
    pub template: Template,
    pub members: Vec<String>,
}

/// The root and its group stacks for `placement`: members move into their group's
/// template; what a member uses from outside becomes a group parameter the root fills,
/// what others use of a member becomes a group output; each member's per-environment
/// inputs (`inputs`, by logical id) become group parameters push fills
/// ([`GroupPlan::input_parameter`]).
pub(super) fn split(
    mut root: Template,
    placement: &Placement,
    inputs: &BTreeMap<String, Vec<String>>,
    template_url: impl Fn(&str, &Template) -> Value,
) -> (Template, Vec<GroupStack>) {
    let group_of: BTreeMap<&str, &str> = placement
        .iter()
        .flat_map(|(g, members)| members.iter().map(move |m| (m.as_str(), g.as_str())))
        .collect();
    let mut groups: Vec<GroupStack> = Vec::new();
    // (group, reference) pairs each group must output, for the root and other groups.
    let mut exported: BTreeMap<String, BTreeSet<Reference>> = BTreeMap::new();
    let mut wiring: Vec<(String, BTreeSet<Reference>, BTreeSet<String>)> = Vec::new();
    for (name, members) in placement {
        let mut t = Template::new(format!(
            "A group of {} resources' stacks of the root stack (amplify-rs).",
            members.len()
        ));
        let mut used = BTreeSet::new();
        let mut after = BTreeSet::new();
        for member in members {
            let Some(mut r) = root.resources.shift_remove(member) else {
                continue;
            };
            let outside = |t: &str| group_of.get(t) != Some(&name.as_str());
            for v in r.properties.values_mut() {
                localize(v, &outside, &mut used);
            }
            let (inside, outside_deps): (Vec<String>, Vec<String>) = r
                .depends_on
                .drain(..)
                .partition(|d| group_of.get(d.as_str()) == Some(&name.as_str()));
            r.depends_on = inside;
            after.extend(outside_deps);
            for parameter in inputs.get(member).into_iter().flatten() {
                let group_parameter = GroupPlan::input_parameter(member, parameter);
                let params = r
                    .properties
                    .entry("Parameters".to_owned())
                    .or_insert_with(|| Value::Map(IndexMap::new()));
                let Value::Map(params) = params else { continue };
                // The synthesised value, where there is one, stays the default.
                let default = params.insert(parameter.clone(), Value::r#ref(&group_parameter));
                let declared = t.string_param(&group_parameter).describe(format!(
                    "{parameter} of {member}, a per-environment value push supplies"
                ));
                declared.default = default;
            }
            t.resource(member.clone(), r);
        }
        for reference in &used {
            let parameter = t.string_param(reference.parameter());
            if root
                .parameters
                .get(reference.target())
                .is_some_and(|p| p.no_echo)
            {
                parameter.no_echo();
            }
            if let Some(owner) = group_of.get(reference.target()) {
                exported
                    .entry((*owner).to_owned())
                    .or_default()
                    .insert(reference.clone());
            }
        }
        wiring.push((name.clone(), used, after));
        groups.push(GroupStack {
            logical_id: name.clone(),
            template: t,
            members: members.clone(),
        });
    }
    // What stays at the root refers to grouped members through their groups' outputs.
    let grouped = |t: &str| group_of.get(t).map(|g| (*g).to_owned());
    for r in root.resources.values_mut() {
        for v in r.properties.values_mut() {
            globalize(v, &grouped, &mut exported);
        }
        let mut deps: Vec<String> = r
            .depends_on
            .drain(..)
            .map(|d| grouped(&d).unwrap_or(d))
            .collect();
        deps.sort();
        deps.dedup();
        r.depends_on = deps;
    }
    for o in root.outputs.values_mut() {
        globalize(&mut o.value, &grouped, &mut exported);
    }
    for group in &mut groups {
        for reference in exported.get(&group.logical_id).into_iter().flatten() {
            group
                .template
                .output(reference.parameter(), reference.value());
        }
    }
    for (group, (name, used, after)) in groups.iter().zip(wiring) {
        let parameters: IndexMap<String, Value> = used
            .iter()
            .map(|reference| {
                let value = match group_of.get(reference.target()) {
                    Some(owner) => {
                        Value::get_att(*owner, format!("Outputs.{}", reference.parameter()))
                    }
                    None => reference.value(),
                };
                (reference.parameter(), value)
            })
            .collect();
        let mut depends: Vec<String> = after
            .into_iter()
            .map(|d| grouped(&d).unwrap_or(d))
            .filter(|d| *d != name)
            .collect();
        depends.sort();
        depends.dedup();
        let mut r = Resource::new("AWS::CloudFormation::Stack")
            .prop("TemplateURL", template_url(&name, &group.template));
        if !parameters.is_empty() {
            r = r.prop("Parameters", Value::Map(parameters));
        }
        r.depends_on = depends;
        root.resource(name, r);
    }
    (root, groups)
}

/// A reference a group's template makes to something outside it: a group parameter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Reference {
    /// `{"Ref": name}`: a root parameter or resource.
    Ref(String),
    /// `{"Fn::GetAtt": [resource, attribute]}`.
    GetAtt(String, String),
}

impl Reference {
    fn target(&self) -> &str {
        match self {
            Reference::Ref(t) | Reference::GetAtt(t, _) => t,
        }
    }

    /// The group parameter (and output) standing for it: a root parameter or resource
    /// keeps its name; a nested stack's output is `Out<stack><output>`.
    fn parameter(&self) -> String {
        match self {
            Reference::Ref(t) => t.clone(),
            Reference::GetAtt(t, attribute) => {
                let attribute = attribute.strip_prefix("Outputs.").unwrap_or(attribute);
                let attribute = attribute.replace(|c: char| !c.is_ascii_alphanumeric(), "");
                format!("Out{t}{attribute}")
            }
        }
    }

    fn value(&self) -> Value {
        match self {
            Reference::Ref(t) => Value::r#ref(t),
            Reference::GetAtt(t, a) => Value::get_att(t, a),
        }
    }

    /// The reference a `Fn::Sub` placeholder (`Name` or `Name.Attribute`) makes.
    fn of_placeholder(name: &str) -> Reference {
        match name.split_once('.') {
            Some((t, a)) => Reference::GetAtt(t.to_owned(), a.to_owned()),
            None => Reference::Ref(name.to_owned()),
        }
    }
}

/// Replaces each reference in `value` to something `outside` the group (not a pseudo
/// parameter) by its group parameter, noting it in `used`.
fn localize(value: &mut Value, outside: &dyn Fn(&str) -> bool, used: &mut BTreeSet<Reference>) {
    let external = |t: &str| !t.starts_with("AWS::") && outside(t);
    match value {
        Value::Ref(t) if external(t) => {
            used.insert(Reference::Ref(t.clone()));
        }
        Value::GetAtt(t, a) if external(t) => {
            let reference = Reference::GetAtt(t.clone(), a.clone());
            *value = Value::r#ref(reference.parameter());
            used.insert(reference);
        }
        Value::Sub(text) => {
            *text = rewrite_placeholders(text, &[], &mut |name| {
                let reference = Reference::of_placeholder(name);
                external(reference.target()).then(|| {
                    let parameter = reference.parameter();
                    used.insert(reference);
                    parameter
                })
            });
        }
        Value::SubWith(text, vars) => {
            let local: Vec<String> = vars.keys().cloned().collect();
            *text = rewrite_placeholders(text, &local, &mut |name| {
                let reference = Reference::of_placeholder(name);
                external(reference.target()).then(|| {
                    let parameter = reference.parameter();
                    used.insert(reference);
                    parameter
                })
            });
            vars.values_mut().for_each(|v| localize(v, outside, used));
        }
        _ => each_child(value, &mut |v| localize(v, outside, used)),
    }
}

/// Replaces each reference in a root-level `value` to a grouped member by its group's
/// output, noting what each group must output.
fn globalize(
    value: &mut Value,
    grouped: &dyn Fn(&str) -> Option<String>,
    exported: &mut BTreeMap<String, BTreeSet<Reference>>,
) {
    let mut through = |reference: Reference| -> Option<(String, String)> {
        let group = grouped(reference.target())?;
        let parameter = reference.parameter();
        exported.entry(group.clone()).or_default().insert(reference);
        Some((group, parameter))
    };
    match value {
        Value::Ref(t) => {
            if let Some((g, p)) = through(Reference::Ref(t.clone())) {
                *value = Value::get_att(g, format!("Outputs.{p}"));
            }
        }
        Value::GetAtt(t, a) => {
            if let Some((g, p)) = through(Reference::GetAtt(t.clone(), a.clone())) {
                *value = Value::get_att(g, format!("Outputs.{p}"));
            }
        }
        Value::Sub(text) => {
            *text = rewrite_placeholders(text, &[], &mut |name| {
                through(Reference::of_placeholder(name)).map(|(g, p)| format!("{g}.Outputs.{p}"))
            });
        }
        Value::SubWith(text, vars) => {
            let local: Vec<String> = vars.keys().cloned().collect();
            *text = rewrite_placeholders(text, &local, &mut |name| {
                through(Reference::of_placeholder(name)).map(|(g, p)| format!("{g}.Outputs.{p}"))
            });
            vars.values_mut()
                .for_each(|v| globalize(v, grouped, exported));
        }
        _ => each_child(value, &mut |v| globalize(v, grouped, exported)),
    }
}

fn each_child(value: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    match value {
        Value::List(items) | Value::Join(_, items) => items.iter_mut().for_each(f),
        Value::Map(map) => map.values_mut().for_each(f),
        Value::If(_, a, b) | Value::Equals(a, b) => {
            f(a);
            f(b);
        }
        Value::Not(v) | Value::ImportValue(v) => f(v),
        _ => {}
    }
}

/// `text` with each `${name}` placeholder (not an escape, not one of `local`) replaced by
/// `${new}` where `rename` gives a new name.
fn rewrite_placeholders(
    text: &str,
    local: &[String],
    rename: &mut dyn FnMut(&str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        out.push_str(&rest[..start]);
        let renamed = (!name.starts_with('!') && !local.iter().any(|l| l == name))
            .then(|| rename(name))
            .flatten();
        out.push_str("${");
        out.push_str(renamed.as_deref().unwrap_or(name));
        out.push('}');
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}
