//! The schema AppSync serves for `@model` types, as the transformer writes it: the model
//! types without the transformer's directives and with their generated fields, the
//! filter, condition and input types, and the queries, mutations and subscriptions.

use std::fmt::Write as _;

use graphql_parser::schema::{Definition, Document, TypeDefinition};

use super::schema_types as types;
use super::{GroupRule, Model, ModelAuth, ModelOperation, Relation, RelationKind};

/// The auth modes the API has, for the directives the generated fields carry.
#[derive(Debug, Clone, Copy)]
pub struct Modes {
    /// The API key.
    pub api_key: bool,
    /// A user pool.
    pub user_pool: bool,
    /// IAM.
    pub iam: bool,
}

/// `text` (which parses as `document`) with its models transformed.
pub fn transform(
    text: &str,
    document: &Document<'_, String>,
    models: &[Model],
    modes: Modes,
) -> String {
    if models.is_empty() {
        return text.to_owned();
    }
    let lines: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |pos: graphql_parser::Pos| lines[pos.line - 1] + pos.column - 1;
    // Edits by byte offset, applied from the end so earlier offsets stay valid.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut root_types: Vec<(&str, usize)> = Vec::new();
    for def in &document.definitions {
        let Definition::TypeDefinition(TypeDefinition::Object(o)) = def else {
            continue;
        };
        let start = offset(o.position);
        let Some(open) = body_brace(text, start) else {
            continue;
        };
        let Some(close) = matching_brace(text, open) else {
            continue;
        };
        if ["Query", "Mutation", "Subscription"].contains(&o.name.as_str()) {
            root_types.push((o.name.as_str(), close));
            continue;
        }
        let Some(model) = models.iter().find(|m| m.name == o.name) else {
            continue;
        };
        // A directive goes with the space before it, so the line reads as if it was
        // never written.
        let removal = |at: usize| {
            let from = if at > 0 && text.as_bytes()[at - 1] == b' ' {
                at - 1
            } else {
                at
            };
            (from, directive_end(text, at), String::new())
        };
        for d in o.directives.iter().filter(|d| consumed(&d.name)) {
            edits.push(removal(offset(d.position)));
        }
        for (i, f) in o.fields.iter().enumerate() {
            if let Some(relation) = model.relations.iter().find(|r| r.field == f.name) {
                // The whole field is rewritten: a connection takes arguments.
                let from = offset(f.position);
                let to = o
                    .fields
                    .get(i + 1)
                    .map(|next| offset(next.position))
                    .unwrap_or(close);
                let to = from + text[from..to].trim_end().len();
                edits.push((from, to, relation_field(relation)));
                continue;
            }
            for d in f.directives.iter().filter(|d| consumed(&d.name)) {
                let (from, to, _) = removal(offset(d.position));
                // A field's own rules become the modes AppSync lets read it.
                let rules = (d.name == "auth")
                    .then(|| model.field_auth.iter().find(|(name, _)| *name == f.name))
                    .flatten();
                let replacement = rules
                    .map(|(_, a)| directives(a, true, modes, Some(ModelOperation::Read)))
                    .unwrap_or_default();
                edits.push((from, to, replacement));
            }
        }
        let directives = type_directives(model, modes);
        if !directives.is_empty() {
            edits.push((open, open, format!("{} ", directives.trim_start())));
        }
        let mut added = String::new();
        for f in &model.fields {
            if !o.fields.iter().any(|declared| declared.name == f.name) {
                let _ = writeln!(added, "  {}: {}", f.name, field_type(f));
            }
        }
        if !added.is_empty() {
            edits.push((close, close, added));
        }
    }
    let mut generated = String::from("\n");
    // Join models of `@manyToMany` relations are not written in the schema.
    for model in models.iter().filter(|m| m.synthetic) {
        let _ = writeln!(
            generated,
            "\ntype {}{} {{",
            model.name,
            type_directives(model, modes)
        );
        for f in &model.fields {
            let _ = writeln!(generated, "  {}: {}", f.name, field_type(f));
        }
        for r in &model.relations {
            let _ = writeln!(generated, "  {}: {}", r.field, r.target);
        }
        generated.push_str("}\n");
    }
    let mut roots = RootFieldsText::default();
    let mut inputs = types::Inputs::default();
    for model in models {
        types::write_model_types(&mut generated, &mut inputs, model, modes, document);
        roots.add(model, modes, &mut inputs);
    }
    for (root, fields) in [
        ("Query", roots.queries),
        ("Mutation", roots.mutations),
        ("Subscription", roots.subscriptions),
    ] {
        match root_types.iter().find(|(name, _)| *name == root) {
            Some((_, close)) => edits.push((*close, *close, fields)),
            None if fields.is_empty() => {}
            None => {
                let _ = write!(generated, "\ntype {root} {{\n{fields}}}\n");
            }
        }
    }
    edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = text.to_owned();
    for (start, end, insert) in edits {
        out.replace_range(start..end, &insert);
    }
    out.push_str(&inputs.text());
    out.push_str(&generated);
    out
}

/// Whether the transformer consumes a directive (AppSync's own `@aws_*` stay).
fn consumed(name: &str) -> bool {
    super::MODEL_TYPE_DIRECTIVES.contains(&name) || super::MODEL_FIELD_DIRECTIVES.contains(&name)
}

/// A stored field's type as written in the schema.
fn field_type(f: &super::ModelField) -> String {
    let bang = if f.required { "!" } else { "" };
    if f.list {
        format!("[{}]{bang}", f.type_name)
    } else {
        format!("{}{bang}", f.type_name)
    }
}

/// A relation field as AppSync serves it: a connection with arguments, or the item.
fn relation_field(relation: &Relation) -> String {
    let t = &relation.target;
    match &relation.kind {
        RelationKind::Indexed { single: false, .. } => {
            format!(
                "{}(filter: Model{t}FilterInput, sortDirection: ModelSortDirection, limit: Int, nextToken: String): Model{t}Connection",
                relation.field
            )
        }
        _ => format!("{}: {t}", relation.field),
    }
}

/// The root fields of every model, as schema text.
#[derive(Default)]
struct RootFieldsText {
    queries: String,
    mutations: String,
    subscriptions: String,
}

impl RootFieldsText {
    fn add(&mut self, model: &Model, modes: Modes, inputs: &mut types::Inputs) {
        let d = field_directives(model, modes, ModelOperation::Read);
        let n = &model.name;
        let key_arg = |name: &str, required: bool| {
            let ty = model
                .field(name)
                .map(|f| f.type_name.as_str())
                .unwrap_or("ID");
            format!("{name}: {ty}{}", if required { "!" } else { "" })
        };
        let sort_arg = |sort: &str, inputs: &mut types::Inputs| {
            let ty = model
                .field(sort)
                .map(|f| f.type_name.as_str())
                .unwrap_or("ID");
            format!("{sort}: {}", inputs.key_condition(ty))
        };
        if let Some(get) = &model.root.get {
            let args: Vec<String> = model
                .key_fields()
                .iter()
                .map(|k| key_arg(k, true))
                .collect();
            let _ = writeln!(self.queries, "  {get}({}): {n}{d}", args.join(", "));
        }
        if let Some(list) = &model.root.list {
            let mut args = Vec::new();
            let keyed = model.key.partition != "id" || model.key.sort.is_some();
            if keyed {
                args.push(key_arg(&model.key.partition, false));
                if let Some(sort) = &model.key.sort {
                    args.push(sort_arg(sort, inputs));
                }
            }
            args.push(format!(
                "filter: Model{n}FilterInput, limit: Int, nextToken: String"
            ));
            if keyed {
                inputs.sort_direction = true;
                args.push("sortDirection: ModelSortDirection".into());
            }
            let _ = writeln!(
                self.queries,
                "  {list}({}): Model{n}Connection{d}",
                args.join(", ")
            );
        }
        for index in &model.indexes {
            let Some(query) = &index.query_field else {
                continue;
            };
            let mut args = vec![key_arg(&index.key.partition, true)];
            if let Some(sort) = &index.key.sort {
                args.push(sort_arg(sort, inputs));
            }
            inputs.sort_direction = true;
            let _ = writeln!(
                self.queries,
                "  {query}({}, sortDirection: ModelSortDirection, filter: Model{n}FilterInput, limit: Int, nextToken: String): Model{n}Connection{d}",
                args.join(", ")
            );
        }
        if model
            .relations
            .iter()
            .any(|r| matches!(r.kind, RelationKind::Indexed { single: false, .. }))
        {
            inputs.sort_direction = true;
        }
        let mutations = [
            ("create", &model.root.create),
            ("update", &model.root.update),
            ("delete", &model.root.delete),
        ];
        for (op, name) in mutations {
            let Some(name) = name else { continue };
            let upper = super::super::upper_first(op);
            let operation = ModelOperation::parse(op).expect("a model operation");
            let m = field_directives(model, modes, operation);
            let _ = writeln!(
                self.mutations,
                "  {name}(input: {upper}{n}Input!, condition: Model{n}ConditionInput): {n}{m}"
            );
            if model.root.subscriptions {
                let _ = writeln!(
                    self.subscriptions,
                    "  on{upper}{n}: {n} @aws_subscribe(mutations: [\"{name}\"]){d}"
                );
            }
        }
    }
}

/// The auth directives of a model's type and connection, from its rules: every mode
/// any rule names.
pub(super) fn type_directives(model: &Model, modes: Modes) -> String {
    directives(&model.auth, model.has_auth, modes, None)
}

/// The auth directives of a generated root field: the modes of the rules allowing its
/// operation, so AppSync itself refuses the others.
fn field_directives(model: &Model, modes: Modes, op: ModelOperation) -> String {
    directives(&model.auth, model.has_auth, modes, Some(op))
}

fn directives(a: &ModelAuth, has_auth: bool, modes: Modes, op: Option<ModelOperation>) -> String {
    if !has_auth {
        return String::new();
    }
    let allows = |ops: &[ModelOperation]| match op {
        Some(op) => ops.contains(&op),
        None => !ops.is_empty(),
    };
    let user_pool = allows(&a.private)
        || a.owners.iter().any(|r| allows(&r.operations))
        || a.groups.iter().any(|g| match g {
            GroupRule::Static { operations, .. } | GroupRule::Dynamic { operations, .. } => {
                allows(operations)
            }
        });
    let mut out = String::new();
    if modes.api_key && allows(&a.public) {
        out.push_str(" @aws_api_key");
    }
    if modes.user_pool && user_pool {
        out.push_str(" @aws_cognito_user_pools");
    }
    if modes.iam && (allows(&a.public_iam) || allows(&a.private_iam)) {
        out.push_str(" @aws_iam");
    }
    if out.is_empty() && op.is_some() {
        // No rule allows the operation: a mode AppSync accepts on the field, and the
        // resolver refuses every caller.
        out = directives(a, has_auth, modes, None);
    }
    out
}

/// `text` (which parses as `document`) without the directives named `names`, wherever
/// they are written on object types and their fields.
pub fn without_directives(text: &str, document: &Document<'_, String>, names: &[&str]) -> String {
    let lines: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |pos: graphql_parser::Pos| lines[pos.line - 1] + pos.column - 1;
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for def in &document.definitions {
        let Definition::TypeDefinition(TypeDefinition::Object(o)) = def else {
            continue;
        };
        let directives = o
            .directives
            .iter()
            .chain(o.fields.iter().flat_map(|f| &f.directives));
        for d in directives.filter(|d| names.contains(&d.name.as_str())) {
            let at = offset(d.position);
            let from = if at > 0 && text.as_bytes()[at - 1] == b' ' {
                at - 1
            } else {
                at
            };
            cuts.push((from, directive_end(text, at)));
        }
    }
    cuts.sort_by_key(|(from, _)| std::cmp::Reverse(*from));
    let mut out = text.to_owned();
    for (from, to) in cuts {
        out.replace_range(from..to, "");
    }
    out
}

/// Offset just past a directive starting at `at` (`@name` and its arguments, if any).
fn directive_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = at + 1;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
        i += 1;
    }
    let mut j = i;
    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
        j += 1;
    }
    if bytes.get(j) != Some(&b'(') {
        return i;
    }
    let mut depth = 0;
    let mut in_string = false;
    while j < bytes.len() {
        match bytes[j] {
            b'"' if bytes.get(j.wrapping_sub(1)) != Some(&b'\\') => in_string = !in_string,
            b'(' if !in_string => depth += 1,
            b')' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    bytes.len()
}

/// The offset of the `{` opening a type's body that starts at `start`: the first one
/// outside the arguments of its directives.
fn body_brace(text: &str, start: usize) -> Option<usize> {
    let mut depth = 0;
    let mut in_string = false;
    for (i, c) in text[start..].char_indices() {
        match c {
            '"' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => depth -= 1,
            '{' if !in_string && depth == 0 => return Some(start + i),
            _ => {}
        }
    }
    None
}

/// The offset of the `}` closing the `{` at `open`.
fn matching_brace(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0;
    let mut in_string = false;
    for (i, c) in text[open..].char_indices() {
        match c {
            '"' => in_string = !in_string,
            '{' if !in_string => depth += 1,
            '}' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}
