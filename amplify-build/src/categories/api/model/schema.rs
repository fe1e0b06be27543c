//! The schema AppSync serves for `@model` types, as the transformer writes it: the model
//! types without the transformer's directives and with their generated fields, the
//! filter, condition and input types, and the queries, mutations and subscriptions.

use std::fmt::Write as _;

use graphql_parser::schema::{Definition, Document, TypeDefinition};

use super::Model;

/// The auth modes the API has, for the directives the generated fields carry.
#[derive(Debug, Clone, Copy)]
pub struct Modes {
    /// The API key.
    pub api_key: bool,
    /// A user pool.
    pub user_pool: bool,
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
    // Edits by byte offset, applied from the end so earlier offsets stay valid.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let lines: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |pos: graphql_parser::Pos| lines[pos.line - 1] + pos.column - 1;
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
        for d in o
            .directives
            .iter()
            .filter(|d| d.name == "model" || d.name == "auth")
        {
            let at = offset(d.position);
            // With the space before it, so the type line reads as if never written.
            let from = if at > 0 && text.as_bytes()[at - 1] == b' ' {
                at - 1
            } else {
                at
            };
            edits.push((from, directive_end(text, at), String::new()));
        }
        let directives = type_directives(model, modes);
        if !directives.is_empty() {
            edits.push((open, open, format!("{} ", directives.trim_start())));
        }
        let mut added = String::new();
        let has = |name: &str| model.fields.iter().any(|f| f.name == name);
        for (name, ty) in [
            ("id", "ID!"),
            ("createdAt", "AWSDateTime!"),
            ("updatedAt", "AWSDateTime!"),
        ] {
            if !has(name) {
                let _ = writeln!(added, "  {name}: {ty}");
            }
        }
        if let Some(owner) = model.owner_field() {
            if !has(owner) {
                let _ = writeln!(added, "  {owner}: String");
            }
        }
        if !added.is_empty() {
            edits.push((close, close, added));
        }
    }
    let mut generated = String::from("\n");
    let (mut queries, mut mutations, mut subscriptions) =
        (String::new(), String::new(), String::new());
    generated.push_str(COMMON_INPUTS);
    for model in models {
        write_model_types(&mut generated, model, modes, document);
        let d = type_directives(model, modes);
        let n = &model.name;
        let _ = writeln!(queries, "  get{n}(id: ID!): {n}{d}");
        let _ = writeln!(
            queries,
            "  {}(filter: Model{n}FilterInput, limit: Int, nextToken: String): Model{n}Connection{d}",
            model.list_field()
        );
        for op in ["create", "update", "delete"] {
            let upper = super::super::upper_first(op);
            let _ = writeln!(
                mutations,
                "  {op}{n}(input: {upper}{n}Input!, condition: Model{n}ConditionInput): {n}{d}"
            );
            let _ = writeln!(
                subscriptions,
                "  on{upper}{n}: {n} @aws_subscribe(mutations: [\"{op}{n}\"]){d}"
            );
        }
    }
    for (root, fields) in [
        ("Query", queries),
        ("Mutation", mutations),
        ("Subscription", subscriptions),
    ] {
        match root_types.iter().find(|(name, _)| *name == root) {
            Some((_, close)) => edits.push((*close, *close, fields)),
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
    out.push_str(&generated);
    out
}

/// The types of one model: its connection, filter, condition and inputs.
fn write_model_types(
    out: &mut String,
    model: &Model,
    modes: Modes,
    document: &Document<'_, String>,
) {
    let n = &model.name;
    let directives = type_directives(model, modes);
    let _ = write!(
        out,
        "\ntype Model{n}Connection{directives} {{\n  items: [{n}]!\n  nextToken: String\n}}\n"
    );
    let mut filter = String::new();
    let mut condition = String::new();
    let mut fields: Vec<(&str, String)> = model
        .fields
        .iter()
        .filter(|f| !f.list)
        .filter_map(|f| Some((f.name.as_str(), filter_input(&f.type_name, document)?)))
        .collect();
    for generated in ["id", "createdAt", "updatedAt"] {
        if !fields.iter().any(|(name, _)| *name == generated) {
            let ty = if generated == "id" {
                "ModelIDInput"
            } else {
                "ModelStringInput"
            };
            fields.push((generated, ty.to_owned()));
        }
    }
    if let Some(owner) = model.owner_field() {
        if !fields.iter().any(|(name, _)| *name == owner) {
            fields.push((owner, "ModelStringInput".into()));
        }
    }
    for (name, ty) in &fields {
        let _ = writeln!(filter, "  {name}: {ty}");
        if *name != "id" {
            let _ = writeln!(condition, "  {name}: {ty}");
        }
    }
    for (kind, body) in [("Filter", filter), ("Condition", condition)] {
        let _ = write!(
            out,
            "\ninput Model{n}{kind}Input {{\n{body}  and: [Model{n}{kind}Input]\n  or: [Model{n}{kind}Input]\n  not: Model{n}{kind}Input\n}}\n"
        );
    }
    let generated = |name: &str| {
        ["id", "createdAt", "updatedAt"].contains(&name) || model.owner_field() == Some(name)
    };
    let mut create = String::from("  id: ID\n");
    let mut update = String::from("  id: ID!\n");
    for f in model.fields.iter().filter(|f| !generated(&f.name)) {
        let ty = if f.list {
            format!("[{}]", f.type_name)
        } else {
            f.type_name.clone()
        };
        let bang = if f.required { "!" } else { "" };
        let _ = writeln!(create, "  {}: {ty}{bang}", f.name);
        let _ = writeln!(update, "  {}: {ty}", f.name);
    }
    if let Some(owner) = model.owner_field() {
        let _ = writeln!(create, "  {owner}: String");
    }
    let _ = write!(
        out,
        "\ninput Create{n}Input {{\n{create}}}\n\ninput Update{n}Input {{\n{update}}}\n\ninput Delete{n}Input {{\n  id: ID!\n}}\n"
    );
}

/// The filter input of a field's type; `None` for a type filters skip.
fn filter_input(type_name: &str, document: &Document<'_, String>) -> Option<String> {
    Some(match type_name {
        "ID" => "ModelIDInput".into(),
        "Int" | "AWSTimestamp" => "ModelIntInput".into(),
        "Float" => "ModelFloatInput".into(),
        "Boolean" => "ModelBooleanInput".into(),
        "AWSJSON" => return None,
        t if document.definitions.iter().any(
            |d| matches!(d, Definition::TypeDefinition(TypeDefinition::Enum(e)) if e.name == t),
        ) =>
        {
            return None
        }
        _ => "ModelStringInput".into(),
    })
}

/// The auth directives of a model's type, connection and generated root fields, from
/// its rules.
fn type_directives(model: &Model, modes: Modes) -> String {
    if !model.has_auth {
        return String::new();
    }
    let mut out = String::new();
    if modes.api_key && !model.auth.public.is_empty() {
        out.push_str(" @aws_api_key");
    }
    let signed_in = !model.auth.private.is_empty() || model.auth.owner.is_some();
    if modes.user_pool && signed_in {
        out.push_str(" @aws_cognito_user_pools");
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

/// The scalar filter inputs every model's filters use.
const COMMON_INPUTS: &str = "
input ModelStringInput {
  ne: String
  eq: String
  le: String
  lt: String
  ge: String
  gt: String
  contains: String
  notContains: String
  between: [String]
  beginsWith: String
  attributeExists: Boolean
}

input ModelIDInput {
  ne: ID
  eq: ID
  le: ID
  lt: ID
  ge: ID
  gt: ID
  contains: ID
  notContains: ID
  between: [ID]
  beginsWith: ID
  attributeExists: Boolean
}

input ModelIntInput {
  ne: Int
  eq: Int
  le: Int
  lt: Int
  ge: Int
  gt: Int
  between: [Int]
  attributeExists: Boolean
}

input ModelFloatInput {
  ne: Float
  eq: Float
  le: Float
  lt: Float
  ge: Float
  gt: Float
  between: [Float]
  attributeExists: Boolean
}

input ModelBooleanInput {
  ne: Boolean
  eq: Boolean
  attributeExists: Boolean
}
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_becomes_its_types_queries_and_mutations() {
        let text = "type Todo @model @auth(rules: [{ allow: public }, { allow: owner }]) {\n  name: String!\n  done: Boolean\n}\n\ntype Query {\n  hello: String\n}\n";
        let doc = graphql_parser::parse_schema::<String>(text).unwrap();
        let (models, errors) = super::super::parse(&doc, "s.graphql");
        assert!(errors.is_empty());
        let out = transform(
            text,
            &doc,
            &models,
            Modes {
                api_key: true,
                user_pool: true,
            },
        );
        let parsed =
            graphql_parser::parse_schema::<String>(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
        assert!(!out.contains("@model") && !out.contains("@auth"), "{out}");
        assert!(
            out.contains("@aws_api_key @aws_cognito_user_pools {\n  name: String!"),
            "{out}"
        );
        for line in [
            "  id: ID!",
            "  owner: String",
            "  hello: String",
            "  getTodo(id: ID!): Todo @aws_api_key @aws_cognito_user_pools",
            "  listTodos(filter: ModelTodoFilterInput, limit: Int, nextToken: String): ModelTodoConnection",
            "  createTodo(input: CreateTodoInput!, condition: ModelTodoConditionInput): Todo",
            "  done: ModelBooleanInput",
            "  onDeleteTodo: Todo @aws_subscribe(mutations: [\"deleteTodo\"])",
        ] {
            assert!(out.contains(line), "missing `{line}` in:\n{out}");
        }
        // One Query type, holding both the user's field and the model's.
        let queries = parsed
            .definitions
            .iter()
            .filter(|d| matches!(d, Definition::TypeDefinition(TypeDefinition::Object(o)) if o.name == "Query"))
            .count();
        assert_eq!(queries, 1);
    }
}
