//! The types the transformer generates for each model: its connection, filter and
//! condition inputs, and the inputs of its mutations; and the shared scalar inputs they
//! use, written once and only when used.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use graphql_parser::schema::{Definition, Document, TypeDefinition};

use super::schema::{type_directives, Modes};
use super::Model;

/// The shared inputs the generated types use.
#[derive(Default)]
pub(super) struct Inputs {
    /// `ModelStringInput`, `ModelIntInput`…, and `Model<Enum>Input` of enums.
    filters: BTreeSet<String>,
    /// `ModelStringKeyConditionInput`….
    key_conditions: BTreeSet<&'static str>,
    /// `enum ModelSortDirection`.
    pub sort_direction: bool,
}

impl Inputs {
    /// The key-condition input of a sort key's type.
    pub fn key_condition(&mut self, type_name: &str) -> &'static str {
        let name = match type_name {
            "ID" => "ModelIDKeyConditionInput",
            "Int" | "AWSTimestamp" => "ModelIntKeyConditionInput",
            "Float" => "ModelFloatKeyConditionInput",
            _ => "ModelStringKeyConditionInput",
        };
        self.key_conditions.insert(name);
        name
    }

    /// The filter input of a field's type; `None` for a type filters skip.
    fn filter(&mut self, type_name: &str, document: &Document<'_, String>) -> Option<String> {
        let name = match type_name {
            "ID" => "ModelIDInput".to_owned(),
            "Int" | "AWSTimestamp" => "ModelIntInput".into(),
            "Float" => "ModelFloatInput".into(),
            "Boolean" => "ModelBooleanInput".into(),
            "AWSJSON" => return None,
            t if is_enum(document, t) => format!("Model{t}Input"),
            _ => "ModelStringInput".into(),
        };
        self.filters.insert(name.clone());
        Some(name)
    }

    /// The schema text of every input used.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for name in &self.filters {
            let scalar = name
                .strip_prefix("Model")
                .and_then(|n| n.strip_suffix("Input"))
                .unwrap_or("String");
            let _ = write!(out, "\ninput {name} {{\n");
            let ops: &[&str] = match scalar {
                "String" | "ID" => &[
                    "ne",
                    "eq",
                    "le",
                    "lt",
                    "ge",
                    "gt",
                    "contains",
                    "notContains",
                    "between",
                    "beginsWith",
                ],
                "Int" | "Float" => &["ne", "eq", "le", "lt", "ge", "gt", "between"],
                _ => &["eq", "ne"],
            };
            for op in ops {
                let ty = if *op == "between" {
                    format!("[{scalar}]")
                } else {
                    scalar.to_owned()
                };
                let _ = writeln!(out, "  {op}: {ty}");
            }
            let _ = writeln!(out, "  attributeExists: Boolean\n}}");
        }
        for name in &self.key_conditions {
            let scalar = name
                .strip_prefix("Model")
                .and_then(|n| n.strip_suffix("KeyConditionInput"))
                .unwrap_or("String");
            let _ = write!(out, "\ninput {name} {{\n");
            for op in ["eq", "le", "lt", "ge", "gt"] {
                let _ = writeln!(out, "  {op}: {scalar}");
            }
            let _ = writeln!(out, "  between: [{scalar}]");
            if matches!(scalar, "String" | "ID") {
                let _ = writeln!(out, "  beginsWith: {scalar}");
            }
            out.push_str("}\n");
        }
        if self.sort_direction {
            out.push_str("\nenum ModelSortDirection {\n  ASC\n  DESC\n}\n");
        }
        out
    }
}

/// Whether `name` is one of the schema's enums.
fn is_enum(document: &Document<'_, String>, name: &str) -> bool {
    document
        .definitions
        .iter()
        .any(|d| matches!(d, Definition::TypeDefinition(TypeDefinition::Enum(e)) if e.name == name))
}

/// The types of one model: its connection, filter, condition and inputs.
pub(super) fn write_model_types(
    out: &mut String,
    inputs: &mut Inputs,
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
    for f in model.fields.iter().filter(|f| !f.list) {
        let Some(ty) = inputs.filter(&f.type_name, document) else {
            continue;
        };
        let _ = writeln!(filter, "  {}: {ty}", f.name);
        if !model.key_fields().contains(&f.name.as_str()) {
            let _ = writeln!(condition, "  {}: {ty}", f.name);
        }
    }
    for (kind, body) in [("Filter", filter), ("Condition", condition)] {
        let _ = write!(
            out,
            "\ninput Model{n}{kind}Input {{\n{body}  and: [Model{n}{kind}Input]\n  or: [Model{n}{kind}Input]\n  not: Model{n}{kind}Input\n}}\n"
        );
    }
    let keys = model.key_fields();
    let owner = |name: &str| model.auth.owners.iter().any(|r| r.field == name);
    let mut create = String::new();
    let mut update = String::new();
    for f in model.fields.iter().filter(|f| !model.is_timestamp(&f.name)) {
        let ty = if f.list {
            format!("[{}]", f.type_name)
        } else {
            f.type_name.clone()
        };
        let is_key = keys.contains(&f.name.as_str());
        // `create` makes the `id` key and fills owners and defaults when they are missing.
        let optional_on_create =
            f.name == "id" && is_key || owner(&f.name) || f.default.is_some() || !f.required;
        let bang = if optional_on_create { "" } else { "!" };
        let _ = writeln!(create, "  {}: {ty}{bang}", f.name);
        let bang = if is_key { "!" } else { "" };
        let _ = writeln!(update, "  {}: {ty}{bang}", f.name);
    }
    let mut delete = String::new();
    for key in keys {
        let ty = model
            .field(key)
            .map(|f| f.type_name.as_str())
            .unwrap_or("ID");
        let _ = writeln!(delete, "  {key}: {ty}!");
    }
    let _ = write!(
        out,
        "\ninput Create{n}Input {{\n{create}}}\n\ninput Update{n}Input {{\n{update}}}\n\ninput Delete{n}Input {{\n{delete}}}\n"
    );
}
