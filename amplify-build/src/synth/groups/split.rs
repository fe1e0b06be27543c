//! Building the split: members moved from the root into their group's template, the
//! references across the new boundary wired through parameters and outputs.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;

use super::Placement;
use crate::cfn::{Resource, Template, Value};
use crate::plan::{content_hash, GroupPlan};

/// Where a group's template is written, relative to the folder holding `amplify/`.
pub(in crate::synth) fn template_file(group: &str) -> String {
    format!("amplify/backend/awscloudformation/build/groups/{group}.json")
}

/// Its content-addressed key in the deployment bucket, for its text `json`.
pub(in crate::synth) fn template_key(group: &str, json: &str) -> String {
    format!(
        "amplify-cfn-templates/groups/{group}-{}.json",
        content_hash(json.as_bytes())
    )
}

/// Names a group template uses both as a parameter (or output) and as a member's
/// logical id, which CloudFormation refuses: a resource named like the parameter
/// standing for another one's output.
pub(in crate::synth) fn name_clashes(group: &GroupStack) -> Vec<String> {
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
pub(in crate::synth) struct GroupStack {
    pub logical_id: String,
    pub template: Template,
    pub members: Vec<String>,
    /// The template's text and its key in the deployment bucket, made once it is whole.
    pub json: String,
    pub key: String,
}

/// The root and its group stacks for `placement`: members move into their group's
/// template; what a member uses from outside becomes a group parameter the root fills,
/// what others use of a member becomes a group output; each member's per-environment
/// inputs (`inputs`, by logical id) become group parameters push fills
/// ([`GroupPlan::input_parameter`]).
pub(in crate::synth) fn split(
    mut root: Template,
    placement: &Placement,
    inputs: &BTreeMap<String, Vec<String>>,
    template_url: impl Fn(&str) -> Value,
) -> (Template, Vec<GroupStack>) {
    let group_of: BTreeMap<&str, &str> = placement
        .iter()
        .flat_map(|(g, members)| members.iter().map(move |m| (m.as_str(), g.as_str())))
        .collect();
    let mut groups: Vec<(GroupStack, Wiring)> = Vec::new();
    // What each group must output, for the root and other groups.
    let mut exported: BTreeMap<String, BTreeSet<Reference>> = BTreeMap::new();
    // Taken out of the root in one pass (removing each from the ordered map would move
    // every later resource, once per member).
    let mut moving = BTreeMap::new();
    for (id, resource) in std::mem::take(&mut root.resources) {
        if group_of.contains_key(id.as_str()) {
            moving.insert(id, resource);
        } else {
            root.resources.insert(id, resource);
        }
    }
    for (name, members) in placement {
        let (group, wiring) =
            move_members(&mut root, &mut moving, name, members, &group_of, inputs);
        for reference in &wiring.used {
            if let Some(owner) = group_of.get(reference.target()) {
                exported
                    .entry((*owner).to_owned())
                    .or_default()
                    .insert(reference.clone());
            }
        }
        groups.push((group, wiring));
    }
    refer_through_groups(&mut root, &group_of, &mut exported);
    for (group, wiring) in &mut groups {
        for reference in exported.get(&group.logical_id).into_iter().flatten() {
            group
                .template
                .output(reference.parameter(), reference.value());
        }
        group.json = group.template.to_json();
        group.key = template_key(&group.logical_id, &group.json);
        let url = template_url(&group.key);
        let resource = group_resource(&group.logical_id, wiring, &group_of, url);
        root.resource(group.logical_id.clone(), resource);
    }
    (root, groups.into_iter().map(|(g, _)| g).collect())
}

/// What a group takes from outside: the references its members make, and the stacks
/// outside it they must come after.
struct Wiring {
    used: BTreeSet<Reference>,
    after: BTreeSet<String>,
}

/// Moves `members` (out of the root, in `moving`) into group `name`'s template, their outside references
/// turned into its parameters.
fn move_members(
    root: &mut Template,
    moving: &mut BTreeMap<String, Resource>,
    name: &str,
    members: &[String],
    group_of: &BTreeMap<&str, &str>,
    inputs: &BTreeMap<String, Vec<String>>,
) -> (GroupStack, Wiring) {
    let mut t = Template::new(format!(
        "A group of {} resources' stacks of the root stack (amplify-rs).",
        members.len()
    ));
    let mut wiring = Wiring {
        used: BTreeSet::new(),
        after: BTreeSet::new(),
    };
    let inside = |t: &str| group_of.get(t) == Some(&name);
    for member in members {
        let Some(mut r) = moving.remove(member) else {
            continue;
        };
        for v in r.properties.values_mut() {
            localize(v, &|t| !inside(t), &mut wiring.used);
        }
        let (kept, outside): (Vec<String>, Vec<String>) =
            r.depends_on.drain(..).partition(|d| inside(d));
        r.depends_on = kept;
        wiring.after.extend(outside);
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
    for reference in &wiring.used {
        let parameter = t.string_param(reference.parameter());
        // A secret stays masked one level down.
        if root
            .parameters
            .get(reference.target())
            .is_some_and(|p| p.no_echo)
        {
            parameter.no_echo();
        }
    }
    let group = GroupStack {
        logical_id: name.to_owned(),
        template: t,
        members: members.to_vec(),
        json: String::new(),
        key: String::new(),
    };
    (group, wiring)
}

/// Makes what stays at the root refer to grouped members through their groups' outputs.
fn refer_through_groups(
    root: &mut Template,
    group_of: &BTreeMap<&str, &str>,
    exported: &mut BTreeMap<String, BTreeSet<Reference>>,
) {
    let grouped = |t: &str| group_of.get(t).map(|g| (*g).to_owned());
    for r in root.resources.values_mut() {
        for v in r.properties.values_mut() {
            globalize(v, &grouped, exported);
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
        globalize(&mut o.value, &grouped, exported);
    }
}

/// The root's `AWS::CloudFormation::Stack` of group `name`: each parameter filled from
/// the root (a root parameter or resource) or from the output of the group holding it.
fn group_resource(
    name: &str,
    wiring: &Wiring,
    group_of: &BTreeMap<&str, &str>,
    template_url: Value,
) -> Resource {
    let parameters: IndexMap<String, Value> = wiring
        .used
        .iter()
        .map(|reference| {
            let value = match group_of.get(reference.target()) {
                Some(owner) => Value::get_att(*owner, format!("Outputs.{}", reference.parameter())),
                None => reference.value(),
            };
            (reference.parameter(), value)
        })
        .collect();
    let mut depends: Vec<String> = wiring
        .after
        .iter()
        .map(|d| {
            group_of
                .get(d.as_str())
                .map_or(d.clone(), |g| (*g).to_owned())
        })
        .filter(|d| d != name)
        .collect();
    depends.sort();
    depends.dedup();
    let mut r = Resource::new("AWS::CloudFormation::Stack").prop("TemplateURL", template_url);
    if !parameters.is_empty() {
        r = r.prop("Parameters", Value::Map(parameters));
    }
    r.depends_on = depends;
    r
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
