//! `@model` types of an `#[api]` schema, as Amplify's GraphQL transformer reads them: each
//! gets a DynamoDB table, queries (`get`, `list` with filters and pagination), mutations
//! (`create`, `update`, `delete` with conditions) and subscriptions, with `@auth` rules
//! enforced in its resolvers. This first cut takes `@model` without arguments and
//! `@auth` rules `public` (the API key), `private` (any signed-in user) and `owner`
//! (with `ownerField`), each with an optional `operations` list; the other transformer
//! directives are refused with their position.

mod resolvers;
mod schema;
mod synth;

pub(super) use resolvers::resolver_code;
pub(super) use schema::{transform, Modes};
pub(super) use synth::add_models;

use graphql_parser::schema::{
    Definition, Directive, Document, Field, Type, TypeDefinition, Value as GqlValue,
};
use graphql_parser::Pos;

/// An operation an `@auth` rule allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelOperation {
    /// `create`.
    Create,
    /// `read` (`get` and `list`).
    Read,
    /// `update`.
    Update,
    /// `delete`.
    Delete,
}

const ALL: [ModelOperation; 4] = [
    ModelOperation::Create,
    ModelOperation::Read,
    ModelOperation::Update,
    ModelOperation::Delete,
];

impl ModelOperation {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "create" => ModelOperation::Create,
            "read" | "get" | "list" => ModelOperation::Read,
            "update" => ModelOperation::Update,
            "delete" => ModelOperation::Delete,
            _ => return None,
        })
    }

    /// Its name in the generated resolvers.
    pub fn name(self) -> &'static str {
        match self {
            ModelOperation::Create => "create",
            ModelOperation::Read => "read",
            ModelOperation::Update => "update",
            ModelOperation::Delete => "delete",
        }
    }
}

/// A model's `@auth` rules, by who they let in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModelAuth {
    /// `{allow: public}`: callers with the API key.
    pub public: Vec<ModelOperation>,
    /// `{allow: private}`: every signed-in user.
    pub private: Vec<ModelOperation>,
    /// `{allow: owner}`: the signed-in user an item belongs to, with the field naming them.
    pub owner: Option<(String, Vec<ModelOperation>)>,
}

/// One field of a model as declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelField {
    /// Its name.
    pub name: String,
    /// Its named type (`String`, `Int`, an enum…).
    pub type_name: String,
    /// `!`.
    pub required: bool,
    /// A list.
    pub list: bool,
}

/// One `@model` type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The type's name.
    pub name: String,
    /// Where it is declared.
    pub line: usize,
    /// Its declared fields (the generated `id`, `createdAt`, `updatedAt` and owner field
    /// are added when missing).
    pub fields: Vec<ModelField>,
    /// Its rules; none means the API's default mode may do everything.
    pub auth: ModelAuth,
    /// Whether `@auth` was written.
    pub has_auth: bool,
}

impl Model {
    /// `listTodos` for `Todo`: Amplify's plural.
    pub fn list_field(&self) -> String {
        format!("list{}", plural(&self.name))
    }

    /// The owner field, when an owner rule exists.
    pub fn owner_field(&self) -> Option<&str> {
        self.auth.owner.as_ref().map(|(f, _)| f.as_str())
    }

    /// The root fields generated for the model, with the operation resolving each:
    /// `(Query, getTodo, get)`, `(Query, listTodos, list)`, `(Mutation, createTodo, create)`…
    pub fn generated_fields(&self) -> [(&'static str, String, &'static str); 5] {
        let n = &self.name;
        [
            ("Query", format!("get{n}"), "get"),
            ("Query", self.list_field(), "list"),
            ("Mutation", format!("create{n}"), "create"),
            ("Mutation", format!("update{n}"), "update"),
            ("Mutation", format!("delete{n}"), "delete"),
        ]
    }

    /// The table's logical id and AppSync data source name.
    pub fn table_id(&self) -> String {
        format!("{}Table", self.name)
    }
}

/// English plural as Amplify's transformer makes it for `list<Plural>`.
pub fn plural(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let consonant_y = lower.ends_with('y')
        && !matches!(
            lower.chars().rev().nth(1),
            Some('a' | 'e' | 'i' | 'o' | 'u')
        );
    if consonant_y {
        format!("{}ies", &name[..name.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        format!("{name}es")
    } else {
        format!("{name}s")
    }
}

/// The transformer's relation directives (not supported yet).
const RELATIONS: &[&str] = &["hasOne", "hasMany", "belongsTo", "manyToMany", "connection"];

/// Scalars a model field may have (besides the schema's enums).
const SCALARS: &[&str] = &[
    "ID",
    "String",
    "Int",
    "Float",
    "Boolean",
    "AWSDate",
    "AWSTime",
    "AWSDateTime",
    "AWSTimestamp",
    "AWSEmail",
    "AWSJSON",
    "AWSURL",
    "AWSPhone",
    "AWSIPAddress",
];

/// The `@model` types of `document`, and a message for each mistake (naming `path`, the
/// line and the column).
pub fn parse(document: &Document<'_, String>, path: &str) -> (Vec<Model>, Vec<String>) {
    let enums: Vec<&str> = document
        .definitions
        .iter()
        .filter_map(|d| match d {
            Definition::TypeDefinition(TypeDefinition::Enum(e)) => Some(e.name.as_str()),
            _ => None,
        })
        .collect();
    let mut models = Vec::new();
    let mut errors = Vec::new();
    let at = |pos: Pos| format!("{path}:{}:{}", pos.line, pos.column);
    for def in &document.definitions {
        let Definition::TypeDefinition(TypeDefinition::Object(o)) = def else {
            continue;
        };
        let Some(model) = o.directives.iter().find(|d| d.name == "model") else {
            continue;
        };
        if !model.arguments.is_empty() {
            errors.push(format!(
                "`@model` of `{}` ({}) takes no arguments yet (`queries`, `mutations`, `subscriptions`, `timestamps` are not supported); remove them",
                o.name,
                at(model.position)
            ));
        }
        let auth = o.directives.iter().find(|d| d.name == "auth");
        let rules = match auth {
            Some(d) => match parse_auth(d) {
                Ok(rules) => rules,
                Err(why) => {
                    errors.push(format!(
                        "`@auth` of `{}` ({}): {why}",
                        o.name,
                        at(d.position)
                    ));
                    continue;
                }
            },
            None => ModelAuth::default(),
        };
        let mut fields = Vec::new();
        for f in &o.fields {
            // A relation's directive is reported as not supported; its type says no more.
            if f.directives
                .iter()
                .any(|d| RELATIONS.contains(&d.name.as_str()))
            {
                continue;
            }
            match model_field(f, &enums) {
                Ok(field) => fields.push(field),
                Err(why) => errors.push(format!(
                    "field `{}.{}` ({}) {why}",
                    o.name,
                    f.name,
                    at(f.position)
                )),
            }
        }
        models.push(Model {
            name: o.name.clone(),
            line: o.position.line,
            fields,
            auth: rules,
            has_auth: auth.is_some(),
        });
    }
    (models, errors)
}

fn model_field(f: &Field<'_, String>, enums: &[&str]) -> Result<ModelField, String> {
    let (type_name, required, list) = match &f.field_type {
        Type::NamedType(n) => (n.clone(), false, false),
        Type::NonNullType(inner) => match inner.as_ref() {
            Type::NamedType(n) => (n.clone(), true, false),
            Type::ListType(l) => (named(l), true, true),
            Type::NonNullType(_) => return Err("has a doubled `!`".into()),
        },
        Type::ListType(l) => (named(l), false, true),
    };
    if !SCALARS.contains(&type_name.as_str()) && !enums.contains(&type_name.as_str()) {
        return Err(format!(
            "has type `{type_name}`: relations between models (`@hasMany`, `@belongsTo`…) are not supported yet; store the related id (`{}Id: ID`) instead",
            type_name.to_ascii_lowercase()
        ));
    }
    if !f.arguments.is_empty() {
        return Err("has arguments, which a model's stored fields cannot".into());
    }
    Ok(ModelField {
        name: f.name.clone(),
        type_name,
        required,
        list,
    })
}

fn named(t: &Type<'_, String>) -> String {
    match t {
        Type::NamedType(n) => n.clone(),
        Type::NonNullType(i) | Type::ListType(i) => named(i),
    }
}

/// `@auth(rules: [{allow: public}, {allow: owner, ownerField: "author"}, …])`.
fn parse_auth(d: &Directive<'_, String>) -> Result<ModelAuth, String> {
    let mut auth = ModelAuth::default();
    let Some((_, GqlValue::List(rules))) = d.arguments.iter().find(|(k, _)| k == "rules") else {
        return Err("write `@auth(rules: [{ allow: owner }])`".into());
    };
    for rule in rules {
        let GqlValue::Object(fields) = rule else {
            return Err("each rule is an object: `{ allow: owner }`".into());
        };
        let mut allow = None;
        let mut owner_field = "owner".to_owned();
        let mut operations = ALL.to_vec();
        for (key, value) in fields {
            match (key.as_str(), value) {
                ("allow", GqlValue::Enum(a)) => allow = Some(a.clone()),
                ("ownerField", GqlValue::String(f)) => owner_field = f.clone(),
                ("operations", GqlValue::List(ops)) => {
                    operations = Vec::new();
                    for op in ops {
                        let GqlValue::Enum(name) = op else {
                            return Err(
                                "`operations` lists names: `[create, read, update, delete]`".into(),
                            );
                        };
                        let op = ModelOperation::parse(name).ok_or_else(|| {
                            format!("`{name}` is not an operation; write create, read, update or delete")
                        })?;
                        if !operations.contains(&op) {
                            operations.push(op);
                        }
                    }
                }
                ("provider" | "identityClaim" | "groups" | "groupsField" | "groupClaim", _) => {
                    return Err(format!("`{key}` is not supported yet; the rules supported are `{{allow: public}}`, `{{allow: private}}` and `{{allow: owner, ownerField: \"...\"}}`"));
                }
                (other, _) => {
                    return Err(format!(
                        "`{other}` is not a rule key; expected allow, ownerField or operations"
                    ))
                }
            }
        }
        match allow.as_deref() {
            Some("public") => auth.public = operations,
            Some("private") => auth.private = operations,
            Some("owner") => auth.owner = Some((owner_field, operations)),
            Some("groups") => return Err("group rules are not supported yet".into()),
            Some(other) => {
                return Err(format!(
                    "`allow: {other}` is not a rule; expected public, private or owner"
                ))
            }
            None => return Err("a rule needs `allow`".into()),
        }
    }
    Ok(auth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_are_amplify_s() {
        assert_eq!(plural("Todo"), "Todos");
        assert_eq!(plural("Category"), "Categories");
        assert_eq!(plural("Day"), "Days");
        assert_eq!(plural("Address"), "Addresses");
        assert_eq!(plural("Box"), "Boxes");
    }

    #[test]
    fn models_and_their_rules_are_read_and_mistakes_named_with_positions() {
        let schema = r#"type Todo @model @auth(rules: [{ allow: public, operations: [read] }, { allow: owner, ownerField: "author" }]) {
  id: ID!
  name: String!
  tags: [String]
}
type Note @model { id: ID! todo: Todo }
type Bad @model @auth(rules: [{ allow: groups, groups: ["Admin"] }]) { id: ID! }
"#;
        let doc = graphql_parser::parse_schema::<String>(schema).unwrap();
        let (models, errors) = parse(&doc, "schema.graphql");
        assert_eq!(models.len(), 2);
        let todo = &models[0];
        assert_eq!(todo.auth.public, vec![ModelOperation::Read]);
        assert_eq!(todo.owner_field(), Some("author"));
        assert_eq!(todo.list_field(), "listTodos");
        assert!(todo.fields.iter().any(|f| f.name == "tags" && f.list));
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].contains("field `Note.todo` (schema.graphql:6:28)"),
            "{errors:?}"
        );
        assert!(
            errors[1].contains("`@auth` of `Bad` (schema.graphql:7:17)"),
            "{errors:?}"
        );
    }
}
