//! `@model` types of an `#[api]` schema, as Amplify's GraphQL transformer reads them: each
//! gets a DynamoDB table, queries (`get`, `list` with filters and pagination, index
//! queries), mutations (`create`, `update`, `delete` with conditions), subscriptions and
//! relation fields, with `@auth` rules enforced in its resolvers.
//!
//! [`parse`] reads the directives (`@model`, `@primaryKey`, `@index`, `@default`,
//! `@hasMany`, `@hasOne`, `@belongsTo`, `@auth`) into [`Model`]s; `schema` writes the
//! schema AppSync serves, `resolvers` the APPSYNC_JS resolvers and `synth` the tables.

mod auth;
mod introspection;
mod parse;
mod relations;
mod resolvers;
mod schema;
mod schema_types;
mod synth;

pub use introspection::introspection;
pub use parse::parse;
pub(super) use resolvers::resolver_code;
pub(super) use schema::{transform, without_directives, Modes};
pub(super) use synth::add_models;

/// The transformer directives a `@model` type takes on itself and on its fields: the
/// model reader reads them, and the served schema leaves them out.
pub const MODEL_TYPE_DIRECTIVES: &[&str] = &["model", "auth"];
/// See [`MODEL_TYPE_DIRECTIVES`].
pub const MODEL_FIELD_DIRECTIVES: &[&str] = &[
    "primaryKey",
    "index",
    "default",
    "hasMany",
    "hasOne",
    "belongsTo",
    "manyToMany",
    "auth",
];

/// An operation an `@auth` rule allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelOperation {
    /// `create`.
    Create,
    /// `read` (`get`, `list`, index queries and relation fields).
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
            "read" | "get" | "list" | "search" | "listen" | "sync" => ModelOperation::Read,
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

/// A rule giving the signed-in users an item names access to it: `{allow: owner}` (the
/// field holds one owner or a list of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerRule {
    /// The field naming the owner(s).
    pub field: String,
    /// What is stored for a caller: `sub::username` (Amplify's default), `sub`,
    /// `username` or another claim of the token.
    pub claim: String,
    /// Whether the field lists several owners.
    pub list: bool,
    /// What the owners may do.
    pub operations: Vec<ModelOperation>,
}

/// `{allow: groups, groups: [...]}` (static) or `{allow: groups, groupsField: "..."}`
/// (the item names the groups that may access it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupRule {
    /// Members of these user-pool groups.
    Static {
        /// The groups.
        groups: Vec<String>,
        /// What they may do.
        operations: Vec<ModelOperation>,
    },
    /// Members of the groups an item's field names.
    Dynamic {
        /// The field (a group or a list of them).
        field: String,
        /// Whether the field is a list.
        list: bool,
        /// What they may do.
        operations: Vec<ModelOperation>,
    },
}

/// A model's `@auth` rules, by who they let in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModelAuth {
    /// `{allow: public}`: callers with the API key.
    pub public: Vec<ModelOperation>,
    /// `{allow: public, provider: iam}`: guests of the identity pool.
    pub public_iam: Vec<ModelOperation>,
    /// `{allow: private}`: every signed-in user of the user pool.
    pub private: Vec<ModelOperation>,
    /// `{allow: private, provider: iam}`: signed-in identities of the identity pool.
    pub private_iam: Vec<ModelOperation>,
    /// `{allow: owner}` rules.
    pub owners: Vec<OwnerRule>,
    /// `{allow: groups}` rules.
    pub groups: Vec<GroupRule>,
}

impl ModelAuth {
    /// Whether a rule lets user-pool users in (they need user-pool auth on the API).
    pub fn needs_user_pool(&self) -> bool {
        !self.private.is_empty() || !self.owners.is_empty() || !self.groups.is_empty()
    }

    /// Whether a rule lets IAM callers in.
    pub fn needs_iam(&self) -> bool {
        !self.public_iam.is_empty() || !self.private_iam.is_empty()
    }
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
    /// `@default(value: "...")`: the value `create` stores when none is given, as the
    /// JSON value of the field's type.
    pub default: Option<serde_json::Value>,
}

/// How a model's items are keyed: `@primaryKey` (default: `id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The partition key field.
    pub partition: String,
    /// The sort key field, if any.
    pub sort: Option<String>,
}

/// A secondary index: `@index(name: ..., sortKeyFields: [...], queryField: ...)`, or one a
/// relation needs on its target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// The GSI's name.
    pub name: String,
    /// Its key.
    pub key: Key,
    /// The query field it gets (`postsByAuthor`), if any.
    pub query_field: Option<String>,
}

/// What a relation field resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelationKind {
    /// `@hasMany` (or `@hasOne` with `references`): the target's items whose `index`
    /// partition key equals this item's `source` field.
    Indexed {
        /// The target's index (one the relation added, or a declared `@index`).
        index: String,
        /// This model's field whose value the index is queried with.
        source: String,
        /// Whether the field is one item (`@hasOne`) rather than a connection.
        single: bool,
    },
    /// `@hasOne` / `@belongsTo`: the target item whose key is in `fields` of this item.
    Keyed {
        /// This model's fields holding the target's key, in the key's order.
        fields: Vec<String>,
    },
}

/// A field of a model that navigates to another model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// The field.
    pub field: String,
    /// The related model.
    pub target: String,
    /// How it is resolved.
    pub kind: RelationKind,
}

/// The names of a model's generated root fields; `None` leaves one out (`@model(queries:
/// null)`, `mutations: { delete: null }`…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootFields {
    /// `getTodo`.
    pub get: Option<String>,
    /// `listTodos`.
    pub list: Option<String>,
    /// `createTodo`.
    pub create: Option<String>,
    /// `updateTodo`.
    pub update: Option<String>,
    /// `deleteTodo`.
    pub delete: Option<String>,
    /// Whether `onCreateTodo`… exist.
    pub subscriptions: bool,
}

/// The fields `create` and `update` stamp with the time (`createdAt`, `updatedAt`;
/// either may be renamed or left out with `@model(timestamps: ...)`).
pub type Timestamps = (Option<String>, Option<String>);

/// One `@model` type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The type's name.
    pub name: String,
    /// Where it is declared.
    pub line: usize,
    /// Its stored fields as declared, plus the ones the transformer adds (`id`, the
    /// timestamps, owner fields and relation keys).
    pub fields: Vec<ModelField>,
    /// Its relation fields.
    pub relations: Vec<Relation>,
    /// Its key.
    pub key: Key,
    /// Its secondary indexes (declared, then added for relations).
    pub indexes: Vec<Index>,
    /// Its rules; none means the API's default mode may do everything.
    pub auth: ModelAuth,
    /// Whether `@auth` was written.
    pub has_auth: bool,
    /// Its generated root fields.
    pub root: RootFields,
    /// `createdAt` / `updatedAt` field names (`timestamps` option).
    pub timestamps: Timestamps,
    /// Not written in the schema: the join model of a `@manyToMany` relation.
    pub synthetic: bool,
    /// Per-field rules (`secret: String @auth(rules: [...])`): for that field they
    /// replace the model's.
    pub field_auth: Vec<(String, ModelAuth)>,
}

impl Model {
    /// The root fields generated for the model, with the operation resolving each:
    /// `(Query, getTodo, get)`, `(Query, listTodos, list)`, `(Mutation, createTodo, create)`…
    pub fn generated_fields(&self) -> Vec<(&'static str, String, &'static str)> {
        let r = &self.root;
        let mut out = Vec::new();
        for (type_name, field, op) in [
            ("Query", &r.get, "get"),
            ("Query", &r.list, "list"),
            ("Mutation", &r.create, "create"),
            ("Mutation", &r.update, "update"),
            ("Mutation", &r.delete, "delete"),
        ] {
            if let Some(field) = field {
                out.push((type_name, field.clone(), op));
            }
        }
        for index in &self.indexes {
            if let Some(q) = &index.query_field {
                out.push(("Query", q.clone(), "index"));
            }
        }
        out
    }

    /// The table's logical id and AppSync data source name.
    pub fn table_id(&self) -> String {
        format!("{}Table", self.name)
    }

    /// A stored field.
    pub fn field(&self, name: &str) -> Option<&ModelField> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The key fields, partition first.
    pub fn key_fields(&self) -> Vec<&str> {
        std::iter::once(self.key.partition.as_str())
            .chain(self.key.sort.as_deref())
            .collect()
    }

    /// Fields the resolvers fill in (timestamps), which inputs leave out.
    fn is_timestamp(&self, name: &str) -> bool {
        self.timestamps.0.as_deref() == Some(name) || self.timestamps.1.as_deref() == Some(name)
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

/// `Post` → `post`: the start of the field names the transformer makes.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The DynamoDB attribute type of a key field's GraphQL type.
pub fn attribute_type(type_name: &str) -> &'static str {
    match type_name {
        "Int" | "Float" | "AWSTimestamp" => "N",
        _ => "S",
    }
}

#[cfg(test)]
mod tests;
