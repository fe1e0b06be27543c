//! Reading the transformer's directives into [`Model`]s: `@model` and its options, field
//! directives (`@primaryKey`, `@index`, `@default`, relations) and `@auth` rules. Each
//! mistake is one message naming the schema file, line and column.

use graphql_parser::schema::{
    Definition, Directive, Document, Field, ObjectType, Type, TypeDefinition, Value as GqlValue,
};
use graphql_parser::Pos;

use super::auth::parse_auth;
use super::{plural, GroupRule, Index, Key, Model, ModelField, RootFields, Timestamps};

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

/// Scalars a key (primary or index) may have: DynamoDB keys are strings or numbers.
const KEY_SCALARS: &[&str] = &[
    "ID",
    "String",
    "Int",
    "Float",
    "AWSDate",
    "AWSTime",
    "AWSDateTime",
    "AWSTimestamp",
    "AWSEmail",
    "AWSURL",
    "AWSPhone",
    "AWSIPAddress",
];

/// A relation as written, resolved once every model is known.
pub(super) struct Written {
    /// The index of the model it is written on.
    pub model: usize,
    /// The relation field.
    pub field: String,
    /// The related model.
    pub target: String,
    /// `hasMany`, `hasOne` or `belongsTo`.
    pub directive: String,
    /// Its arguments, each a list of field names.
    pub args: Vec<(String, Vec<String>)>,
    /// Where it is written (`schema.graphql:3:12`).
    pub at: String,
}

/// Reads the schema's `@model` types, collecting messages for mistakes.
struct Reader<'d> {
    path: &'d str,
    enums: Vec<&'d str>,
    model_names: Vec<&'d str>,
    errors: Vec<String>,
}

/// The `@model` types of `document`, and a message for each mistake (naming `path`, the
/// line and the column).
pub fn parse(document: &Document<'_, String>, path: &str) -> (Vec<Model>, Vec<String>) {
    let objects: Vec<&ObjectType<'_, String>> = document
        .definitions
        .iter()
        .filter_map(|d| match d {
            Definition::TypeDefinition(TypeDefinition::Object(o)) => Some(o),
            _ => None,
        })
        .collect();
    let mut reader = Reader {
        path,
        enums: document
            .definitions
            .iter()
            .filter_map(|d| match d {
                Definition::TypeDefinition(TypeDefinition::Enum(e)) => Some(e.name.as_str()),
                _ => None,
            })
            .collect(),
        model_names: objects
            .iter()
            .filter(|o| o.directives.iter().any(|d| d.name == "model"))
            .map(|o| o.name.as_str())
            .collect(),
        errors: Vec::new(),
    };
    let mut models = Vec::new();
    let mut relations = Vec::new();
    for o in &objects {
        if let Some(model) = o.directives.iter().find(|d| d.name == "model") {
            if let Some(m) = reader.model(o, model, models.len(), &mut relations) {
                models.push(m);
            }
        }
    }
    let mut errors = reader.errors;
    let taken: Vec<&str> = objects.iter().map(|o| o.name.as_str()).collect();
    errors.extend(super::relations::resolve(&mut models, relations, &taken));
    (models, errors)
}

impl Reader<'_> {
    fn at(&self, pos: Pos) -> String {
        format!("{}:{}:{}", self.path, pos.line, pos.column)
    }

    fn model(
        &mut self,
        o: &ObjectType<'_, String>,
        model: &Directive<'_, String>,
        index: usize,
        relations: &mut Vec<Written>,
    ) -> Option<Model> {
        let (root, timestamps) = match model_options(&o.name, model) {
            Ok(options) => options,
            Err(why) => {
                let at = self.at(model.position);
                self.errors
                    .push(format!("`@model` of `{}` ({at}): {why}", o.name));
                return None;
            }
        };
        let auth = o.directives.iter().find(|d| d.name == "auth");
        let rules = match auth.map(parse_auth).transpose() {
            Ok(rules) => rules.unwrap_or_default(),
            Err(why) => {
                let at = self.at(auth.map(|d| d.position).unwrap_or(o.position));
                self.errors
                    .push(format!("`@auth` of `{}` ({at}): {why}", o.name));
                return None;
            }
        };
        let mut m = Model {
            name: o.name.clone(),
            line: o.position.line,
            fields: Vec::new(),
            relations: Vec::new(),
            key: Key {
                partition: "id".into(),
                sort: None,
            },
            indexes: Vec::new(),
            auth: rules,
            has_auth: auth.is_some(),
            root,
            timestamps,
            synthetic: false,
            field_auth: Vec::new(),
        };
        let mut primary: Option<Pos> = None;
        let mut index_at: Vec<Pos> = Vec::new();
        for f in &o.fields {
            let here = |what: &str| format!("field `{}.{}` ({what})", o.name, f.name);
            let relation = f.directives.iter().find(|d| {
                ["hasMany", "hasOne", "belongsTo", "manyToMany"].contains(&d.name.as_str())
            });
            if let Some(d) = relation {
                match self.relation(index, f, d) {
                    Ok(written) => relations.push(written),
                    Err(why) => {
                        let at = here(&self.at(d.position));
                        self.errors.push(format!("{at} {why}"));
                    }
                }
                continue;
            }
            match self.stored_field(f) {
                Ok(field) => m.fields.push(field),
                Err(why) => {
                    let at = here(&self.at(f.position));
                    self.errors.push(format!("{at} {why}"));
                    continue;
                }
            }
            for d in &f.directives {
                let result = match d.name.as_str() {
                    "primaryKey" => match primary.replace(d.position) {
                        Some(first) => Err(format!(
                            "is a second `@primaryKey`; the first is at {}: a model has one",
                            self.at(first)
                        )),
                        None => key_args(d, "primaryKey").map(|sort| {
                            m.key = Key {
                                partition: f.name.clone(),
                                sort,
                            }
                        }),
                    },
                    "index" => index_args(d, &f.name).map(|i| {
                        m.indexes.push(i);
                        index_at.push(d.position);
                    }),
                    "auth" => parse_auth(d)
                        .map(|rules| m.field_auth.push((f.name.clone(), rules)))
                        .map_err(|why| format!("has its own `@auth`, and {why}")),
                    _ => Ok(()),
                };
                if let Err(why) = result {
                    let at = here(&self.at(d.position));
                    self.errors.push(format!("{at} {why}"));
                }
            }
        }
        add_generated_fields(&mut m);
        let key_at = self.at(primary.unwrap_or(o.position));
        if let Err(why) = check_key(&m, &m.key, true, &self.enums) {
            self.errors
                .push(format!("the primary key of `{}` ({key_at}) {why}", m.name));
        }
        for (i, (index, pos)) in m.indexes.iter().zip(&index_at).enumerate() {
            let at = self.at(*pos);
            if let Err(why) = check_key(&m, &index.key, false, &self.enums) {
                self.errors.push(format!(
                    "index `{}` of `{}` ({at}) {why}",
                    index.name, m.name
                ));
            }
            if m.indexes[..i].iter().any(|other| other.name == index.name) {
                self.errors.push(format!(
                    "index `{}` of `{}` ({at}) is declared twice: index names are unique within a model",
                    index.name, m.name
                ));
            }
        }
        Some(m)
    }

    /// A stored (non-relation) field, with its `@default`.
    fn stored_field(&self, f: &Field<'_, String>) -> Result<ModelField, String> {
        let (type_name, required, list) = shape(&f.field_type)?;
        if self.model_names.contains(&type_name.as_str()) {
            return Err(format!(
                "has the model type `{type_name}` without a relation: add `@hasOne`, `@hasMany` or `@belongsTo` to it"
            ));
        }
        if !SCALARS.contains(&type_name.as_str()) && !self.enums.contains(&type_name.as_str()) {
            return Err(format!(
                "has type `{type_name}`, which a model cannot store: use a scalar, an enum or a relation to a `@model` type"
            ));
        }
        if !f.arguments.is_empty() {
            return Err("has arguments, which a model's stored fields cannot".into());
        }
        let default = match f.directives.iter().find(|d| d.name == "default") {
            Some(d) => Some(self.default_value(d, &type_name, list)?),
            None => None,
        };
        Ok(ModelField {
            name: f.name.clone(),
            type_name,
            required,
            list,
            default,
        })
    }

    /// `@default(value: "...")` as the JSON value of the field's type.
    fn default_value(
        &self,
        d: &Directive<'_, String>,
        type_name: &str,
        list: bool,
    ) -> Result<serde_json::Value, String> {
        let Some(GqlValue::String(text)) = arg(d, "value") else {
            return Err(format!(
                "has `@default` ({}) without a string value: write `@default(value: \"...\")`",
                self.at(d.position)
            ));
        };
        let bad = |what: &str| {
            format!(
                "has `@default(value: \"{text}\")` ({}), which is not {what}",
                self.at(d.position)
            )
        };
        if list {
            return Err(bad("possible on a list field"));
        }
        Ok(match type_name {
            "Int" | "AWSTimestamp" => text
                .parse::<i64>()
                .map(Into::into)
                .map_err(|_| bad("an Int"))?,
            "Float" => text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(serde_json::Value::Number)
                .ok_or_else(|| bad("a Float"))?,
            "Boolean" => text
                .parse::<bool>()
                .map(Into::into)
                .map_err(|_| bad("true or false"))?,
            "AWSJSON" => {
                serde_json::from_str::<serde_json::Value>(text).map_err(|_| bad("JSON"))?;
                text.clone().into()
            }
            _ => text.clone().into(),
        })
    }

    fn relation(
        &self,
        model: usize,
        f: &Field<'_, String>,
        d: &Directive<'_, String>,
    ) -> Result<Written, String> {
        let (target, _, list) = shape(&f.field_type)?;
        if !self.model_names.contains(&target.as_str()) {
            return Err(format!(
                "is a `@{}` relation to `{target}`, which is not a `@model` type of this schema",
                d.name
            ));
        }
        let many = d.name == "hasMany" || d.name == "manyToMany";
        if list != many {
            return Err(if list {
                format!(
                    "is a list, so its relation is `@hasMany` or `@manyToMany`, not `@{}`",
                    d.name
                )
            } else {
                format!("is `@{}`, so its type is a list: `[{target}]`", d.name)
            });
        }
        let mut args = Vec::new();
        for (name, value) in &d.arguments {
            let values = match value {
                GqlValue::List(items) => items
                    .iter()
                    .map(|v| match v {
                        GqlValue::String(s) => Ok(s.clone()),
                        _ => Err(format!("`{name}` lists field names as strings")),
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                GqlValue::String(s) => vec![s.clone()],
                _ => return Err(format!("`{name}` takes a string or a list of strings")),
            };
            let known: &[&str] = match d.name.as_str() {
                "hasMany" => &["indexName", "fields", "references", "limit"],
                "manyToMany" => &["relationName", "limit"],
                _ => &["fields", "references"],
            };
            if !known.contains(&name.as_str()) {
                return Err(format!(
                    "has `@{}({name}: ...)`; its arguments are {}",
                    d.name,
                    known.join(", ")
                ));
            }
            args.push((name.clone(), values));
        }
        if d.name == "manyToMany" && !args.iter().any(|(n, _)| n == "relationName") {
            return Err(
                "has `@manyToMany` without a `relationName`: name the join model, `@manyToMany(relationName: \"PostTags\")`, on both sides"
                    .into(),
            );
        }
        Ok(Written {
            model,
            field: f.name.clone(),
            target,
            directive: d.name.clone(),
            args,
            at: self.at(d.position),
        })
    }
}

/// The fields the transformer adds when the type does not declare them: `id` (when it is
/// the key), the timestamps and owner fields; and whether owner and group fields are lists.
fn add_generated_fields(m: &mut Model) {
    let mut added = Vec::new();
    if m.key.partition == "id" && m.field("id").is_none() {
        added.push(("id".to_owned(), "ID", true));
    }
    for stamp in [&m.timestamps.0, &m.timestamps.1].into_iter().flatten() {
        if m.field(stamp).is_none() {
            added.push((stamp.clone(), "AWSDateTime", true));
        }
    }
    let owners = m
        .auth
        .owners
        .iter()
        .chain(m.field_auth.iter().flat_map(|(_, a)| &a.owners));
    for rule in owners {
        if m.field(&rule.field).is_none() && !added.iter().any(|(n, _, _)| *n == rule.field) {
            added.push((rule.field.clone(), "String", false));
        }
    }
    for (name, type_name, required) in added {
        let field = ModelField {
            name,
            type_name: type_name.into(),
            required,
            list: false,
            default: None,
        };
        if field.name == "id" {
            m.fields.insert(0, field);
        } else {
            m.fields.push(field);
        }
    }
    let is_list =
        |fields: &[ModelField], name: &str| fields.iter().any(|f| f.name == name && f.list);
    let fields = &m.fields;
    let rule_sets = std::iter::once(&mut m.auth).chain(m.field_auth.iter_mut().map(|(_, a)| a));
    for auth in rule_sets {
        for rule in &mut auth.owners {
            rule.list = is_list(fields, &rule.field);
        }
        for rule in &mut auth.groups {
            if let GroupRule::Dynamic { field, list, .. } = rule {
                *list = is_list(fields, field);
            }
        }
    }
}

/// A key's fields exist and DynamoDB can key on them: one string or number each, and
/// (for the primary key) always present.
fn check_key(m: &Model, key: &Key, primary: bool, enums: &[&str]) -> Result<(), String> {
    for name in std::iter::once(&key.partition).chain(&key.sort) {
        let Some(f) = m.field(name) else {
            return Err(format!(
                "names `{name}`, which is not a stored field of the model"
            ));
        };
        let keyable =
            KEY_SCALARS.contains(&f.type_name.as_str()) || enums.contains(&f.type_name.as_str());
        if f.list || !keyable {
            let shown = if f.list {
                format!("[{}]", f.type_name)
            } else {
                f.type_name.clone()
            };
            return Err(format!(
                "uses `{name}: {shown}`, which cannot be a key: keys are one string, number, ID, enum or AWS date/time each"
            ));
        }
        if primary && !f.required {
            return Err(format!(
                "uses `{name}: {}`, which may be null: key fields are required — write `{name}: {}!`",
                f.type_name, f.type_name
            ));
        }
    }
    Ok(())
}

/// `(name, required, list)` of a field's type.
fn shape(ty: &Type<'_, String>) -> Result<(String, bool, bool), String> {
    Ok(match ty {
        Type::NamedType(n) => (n.clone(), false, false),
        Type::NonNullType(inner) => match inner.as_ref() {
            Type::NamedType(n) => (n.clone(), true, false),
            Type::ListType(l) => (named(l), true, true),
            Type::NonNullType(_) => return Err("has a doubled `!`".into()),
        },
        Type::ListType(l) => (named(l), false, true),
    })
}

fn named(t: &Type<'_, String>) -> String {
    match t {
        Type::NamedType(n) => n.clone(),
        Type::NonNullType(i) | Type::ListType(i) => named(i),
    }
}

fn arg<'a, 'd>(d: &'a Directive<'d, String>, name: &str) -> Option<&'a GqlValue<'d, String>> {
    d.arguments.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// A `sortKeyFields` argument: one field (DynamoDB sort keys are one attribute; several
/// would need a composite key, not supported yet).
fn key_args(d: &Directive<'_, String>, directive: &str) -> Result<Option<String>, String> {
    for (k, _) in &d.arguments {
        let allowed: &[&str] = if directive == "index" {
            &["name", "sortKeyFields", "queryField"]
        } else {
            &["sortKeyFields"]
        };
        if !allowed.contains(&k.as_str()) {
            return Err(format!(
                "has `@{directive}({k}: ...)`; its arguments are {}",
                allowed.join(", ")
            ));
        }
    }
    match arg(d, "sortKeyFields") {
        None => Ok(None),
        Some(GqlValue::List(items)) => match items.as_slice() {
            [] => Ok(None),
            [GqlValue::String(one)] => Ok(Some(one.clone())),
            [_] => Err("`sortKeyFields` lists field names as strings: `[\"createdAt\"]`".into()),
            _ => Err("has several `sortKeyFields`: composite sort keys are not supported yet; use one field (store the parts joined in it)".into()),
        },
        Some(_) => Err("`sortKeyFields` is a list: `sortKeyFields: [\"createdAt\"]`".into()),
    }
}

/// `@index(name: "byAuthor", sortKeyFields: [...], queryField: "postsByAuthor")` on `field`.
fn index_args(d: &Directive<'_, String>, field: &str) -> Result<Index, String> {
    let sort = key_args(d, "index")?;
    let name = match arg(d, "name") {
        Some(GqlValue::String(n)) if !n.is_empty() => n.clone(),
        Some(_) => return Err("`@index(name: ...)` is a string".into()),
        None => return Err("has `@index` without a name: write `@index(name: \"by...\")`".into()),
    };
    let query_field = match arg(d, "queryField") {
        Some(GqlValue::String(q)) => Some(q.clone()),
        Some(_) => return Err("`@index(queryField: ...)` is a string".into()),
        None => None,
    };
    Ok(Index {
        name,
        key: Key {
            partition: field.to_owned(),
            sort,
        },
        query_field,
    })
}

/// `@model(queries: ..., mutations: ..., subscriptions: ..., timestamps: ...)`.
fn model_options(
    name: &str,
    d: &Directive<'_, String>,
) -> Result<(RootFields, Timestamps), String> {
    let mut root = RootFields {
        get: Some(format!("get{name}")),
        list: Some(format!("list{}", plural(name))),
        create: Some(format!("create{name}")),
        update: Some(format!("update{name}")),
        delete: Some(format!("delete{name}")),
        subscriptions: true,
    };
    let mut timestamps = (Some("createdAt".to_owned()), Some("updatedAt".to_owned()));
    for (key, value) in &d.arguments {
        let names: &mut [(&str, &mut Option<String>)] = match key.as_str() {
            "queries" => &mut [("get", &mut root.get), ("list", &mut root.list)],
            "mutations" => &mut [
                ("create", &mut root.create),
                ("update", &mut root.update),
                ("delete", &mut root.delete),
            ],
            "timestamps" => &mut [
                ("createdAt", &mut timestamps.0),
                ("updatedAt", &mut timestamps.1),
            ],
            "subscriptions" => {
                root.subscriptions = match value {
                    GqlValue::Null => false,
                    GqlValue::Object(o) => !matches!(o.get("level"), Some(GqlValue::Enum(l)) if l == "off"),
                    _ => return Err("`subscriptions` is `null` (none) or `{ level: on }`".into()),
                };
                continue;
            }
            other => {
                return Err(format!(
                    "`{other}` is not an option of `@model`; its options are queries, mutations, subscriptions and timestamps"
                ))
            }
        };
        match value {
            GqlValue::Null => names.iter_mut().for_each(|(_, slot)| **slot = None),
            GqlValue::Object(given) => {
                for (part, v) in given {
                    let Some((_, slot)) = names.iter_mut().find(|(n, _)| n == part) else {
                        let expected: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
                        return Err(format!(
                            "`{key}` names {}; `{part}` is not one of them",
                            expected.join(", ")
                        ));
                    };
                    **slot = match v {
                        GqlValue::Null => None,
                        GqlValue::String(s) => Some(s.clone()),
                        _ => return Err(format!("`{key}.{part}` is a field name or null")),
                    };
                }
                // Naming some operations leaves the others out, as the transformer does.
                for (n, slot) in names.iter_mut() {
                    if !given.contains_key(*n) && key != "timestamps" {
                        **slot = None;
                    }
                }
            }
            _ => return Err(format!("`{key}` is `null` or an object of field names")),
        }
    }
    Ok((root, timestamps))
}
