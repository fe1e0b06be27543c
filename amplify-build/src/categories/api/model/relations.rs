//! Relations between models, resolved once every model is read: `@hasMany` queries an
//! index of the related model (added for it, `gsi-Post.comments`, unless the relation
//! names one), `@hasOne` and `@belongsTo` get the related item by the key this item
//! stores. Without arguments the key field is named as transformer v2 names it
//! (`postCommentsId`) and added to the model that stores it. `@manyToMany` makes the join
//! model its `relationName` names, with a `@belongsTo` to each side and an index per
//! side, which each side's field queries.

use super::parse::Written;
use super::{
    attribute_type, lower_first, GroupRule, Index, Key, Model, ModelAuth, ModelField,
    ModelOperation, OwnerRule, Relation, RelationKind, RootFields,
};

/// Resolves `written` into the models' relations (adding key fields, indexes and join
/// models; `taken` are the schema's type names); a message for each mistake.
pub(super) fn resolve(
    models: &mut Vec<Model>,
    written: Vec<Written>,
    taken: &[&str],
) -> Vec<String> {
    let (joins, written): (Vec<Written>, Vec<Written>) = written
        .into_iter()
        .partition(|w| w.directive == "manyToMany");
    let mut errors = many_to_many(models, joins, taken);
    // `@hasMany` first: a `@belongsTo` without arguments uses the key its counterpart made.
    let (many, one): (Vec<Written>, Vec<Written>) =
        written.into_iter().partition(|w| w.directive == "hasMany");
    let mut default_keys: Vec<(String, String, String)> = Vec::new();
    for w in many.iter().chain(&one) {
        let Some(target) = models.iter().position(|m| m.name == w.target) else {
            continue;
        };
        let here = format!("field `{}.{}` ({})", models[w.model].name, w.field, w.at);
        let clash = models[w.model].field(&w.field).is_some()
            || models[w.model].relations.iter().any(|r| r.field == w.field);
        if clash {
            errors.push(format!("{here} is declared twice"));
            continue;
        }
        let kind = match w.directive.as_str() {
            "hasMany" => indexed(models, w, target, false, &mut default_keys),
            "hasOne" if arg(w, "references").is_some() => {
                indexed(models, w, target, true, &mut default_keys)
            }
            _ => keyed(models, w, target, &default_keys),
        };
        match kind {
            Ok(kind) => models[w.model].relations.push(Relation {
                field: w.field.clone(),
                target: w.target.clone(),
                kind,
            }),
            Err(why) => errors.push(format!("{here} {why}")),
        }
    }
    errors
}

fn arg<'w>(w: &'w Written, name: &str) -> Option<&'w [String]> {
    w.args
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_slice())
}

/// `@hasMany`: the target's index to query, and this model's field to query it with.
fn indexed(
    models: &mut [Model],
    w: &Written,
    target: usize,
    single: bool,
    default_keys: &mut Vec<(String, String, String)>,
) -> Result<RelationKind, String> {
    let source_model = &models[w.model];
    let source_name = source_model.name.clone();
    let source = match arg(w, "fields") {
        Some([field, ..]) => field.clone(),
        Some([]) => return Err("has an empty `fields` list".into()),
        None => source_model.key.partition.clone(),
    };
    let Some(source_field) = source_model.field(&source) else {
        return Err(format!(
            "names `{source}` in `fields`, which is not a stored field of `{}`",
            source_model.name
        ));
    };
    let source_type = source_field.type_name.clone();
    let generated_name = || format!("gsi-{source_name}.{}", w.field);
    let (index, key_field) = match (arg(w, "indexName"), arg(w, "references")) {
        (Some([name]), None) => {
            let Some(index) = models[target].indexes.iter().find(|i| &i.name == name) else {
                return Err(format!(
                    "names index `{name}`, which `{}` does not have: add `@index(name: \"{name}\")` to the field of `{}` that holds the `{source_name}` key",
                    w.target, w.target
                ));
            };
            (name.clone(), index.key.partition.clone())
        }
        (None, Some([field])) => (generated_name(), field.clone()),
        (None, None) => {
            let field = format!(
                "{}{}Id",
                lower_first(&source_name),
                super::super::upper_first(&w.field)
            );
            default_keys.push((source_name.clone(), w.target.clone(), field.clone()));
            add_key_field(&mut models[target], &field, &source_type);
            (generated_name(), field)
        }
        _ => {
            return Err(
                "takes `indexName` (an index of the related model) or `references` (one field of it), not both nor several"
                    .into(),
            )
        }
    };
    let target_model = &mut models[target];
    let Some(key) = target_model.field(&key_field) else {
        return Err(format!(
            "references `{key_field}`, which is not a stored field of `{}`",
            w.target
        ));
    };
    if key.list || attribute_type(&key.type_name) != attribute_type(&source_type) {
        return Err(format!(
            "joins `{}.{key_field}` ({}) with `{source_name}.{source}` ({source_type}): the types must match",
            w.target, key.type_name
        ));
    }
    let existing = target_model.indexes.iter().find(|i| {
        i.name == index || (arg(w, "indexName").is_none() && i.key.partition == key_field)
    });
    let index = match existing {
        Some(i) => i.name.clone(),
        None => {
            target_model.indexes.push(Index {
                name: index.clone(),
                key: Key {
                    partition: key_field,
                    sort: None,
                },
                query_field: None,
            });
            index
        }
    };
    Ok(RelationKind::Indexed {
        index,
        source,
        single,
    })
}

/// `@hasOne` / `@belongsTo`: this model's fields holding the target's key.
fn keyed(
    models: &mut [Model],
    w: &Written,
    target: usize,
    default_keys: &[(String, String, String)],
) -> Result<RelationKind, String> {
    let target_key: Vec<(String, String)> = models[target]
        .key_fields()
        .iter()
        .map(|k| {
            let ty = models[target].field(k).map(|f| f.type_name.clone());
            ((*k).to_owned(), ty.unwrap_or_else(|| "ID".into()))
        })
        .collect();
    let fields: Vec<String> = match (arg(w, "fields"), arg(w, "references")) {
        (Some(f), None) | (None, Some(f)) => f.to_vec(),
        (None, None) => {
            let model = &models[w.model].name;
            // The key a `@hasMany` of the target already stores here, else a new one.
            let counterpart = default_keys
                .iter()
                .find(|(from, to, _)| *from == w.target && to == model)
                .map(|(_, _, field)| field.clone());
            let field = counterpart.unwrap_or_else(|| {
                format!(
                    "{}{}Id",
                    lower_first(model),
                    super::super::upper_first(&w.field)
                )
            });
            if target_key.len() != 1 {
                return Err(format!(
                    "relates to `{}`, whose key has {} fields: name the fields holding it, `@{}(fields: [...])`",
                    w.target,
                    target_key.len(),
                    w.directive
                ));
            }
            add_key_field(&mut models[w.model], &field, &target_key[0].1);
            vec![field]
        }
        (Some(_), Some(_)) => return Err("takes `fields` or `references`, not both".into()),
    };
    if fields.len() != target_key.len() {
        return Err(format!(
            "names {} field(s), and the key of `{}` has {} ({})",
            fields.len(),
            w.target,
            target_key.len(),
            target_key
                .iter()
                .map(|(k, _)| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let model = &models[w.model];
    for (field, (key, key_type)) in fields.iter().zip(&target_key) {
        let Some(f) = model.field(field) else {
            return Err(format!(
                "names `{field}`, which is not a stored field of `{}`: add `{field}: {key_type}` to it",
                model.name
            ));
        };
        if f.list || attribute_type(&f.type_name) != attribute_type(key_type) {
            return Err(format!(
                "holds `{}.{key}` ({key_type}) in `{field}` ({}): the types must match",
                w.target, f.type_name
            ));
        }
    }
    Ok(RelationKind::Keyed { fields })
}

/// Adds the key field a relation stores, unless the model declares it.
fn add_key_field(model: &mut Model, name: &str, type_name: &str) {
    if model.field(name).is_none() {
        model.fields.push(ModelField {
            name: name.to_owned(),
            type_name: type_name.to_owned(),
            required: false,
            list: false,
            default: None,
        });
    }
}

/// Pairs the `@manyToMany` fields by `relationName` and makes each pair's join model.
fn many_to_many(models: &mut Vec<Model>, joins: Vec<Written>, taken: &[&str]) -> Vec<String> {
    let mut errors = Vec::new();
    let relation_name = |w: &Written| {
        w.args
            .iter()
            .find(|(n, _)| n == "relationName")
            .and_then(|(_, v)| v.first().cloned())
            .unwrap_or_default()
    };
    let mut done: Vec<String> = Vec::new();
    for w in &joins {
        let name = relation_name(w);
        if done.contains(&name) {
            continue;
        }
        done.push(name.clone());
        let here = format!("field `{}.{}` ({})", models[w.model].name, w.field, w.at);
        let pair: Vec<&Written> = joins.iter().filter(|o| relation_name(o) == name).collect();
        let [a, b] = pair[..] else {
            errors.push(format!(
                "{here} is `@manyToMany(relationName: \"{name}\")`, which needs exactly one counterpart: a list field of `{}` with the same `relationName`",
                w.target
            ));
            continue;
        };
        let (ma, mb) = (a.model, b.model);
        if models[ma].name != b.target || models[mb].name != a.target || ma == mb {
            errors.push(format!(
                "{here} and its counterpart must relate two different models to each other"
            ));
            continue;
        }
        if taken.contains(&name.as_str()) || models.iter().any(|m| m.name == name) {
            errors.push(format!(
                "{here} names the join model `{name}`, which is already a type of the schema: choose another `relationName`"
            ));
            continue;
        }
        if [ma, mb].iter().any(|&m| models[m].key.sort.is_some()) {
            errors.push(format!(
                "{here} relates a model with a sort key: `@manyToMany` supports models keyed by one field"
            ));
            continue;
        }
        let join = join_model(&models[ma], &models[mb], &name);
        for (side, w) in [(ma, a), (mb, b)] {
            let source = models[side].key.partition.clone();
            let index = format!("by{}", models[side].name);
            models[side].relations.push(Relation {
                field: w.field.clone(),
                target: name.clone(),
                kind: RelationKind::Indexed {
                    index,
                    source,
                    single: false,
                },
            });
        }
        models.push(join);
    }
    errors
}

/// The join model of `a` and `b`: their keys, an index and a `@belongsTo` for each, and
/// the rules of both (a link is as protected as the items it joins).
fn join_model(a: &Model, b: &Model, name: &str) -> Model {
    let mut fields = vec![ModelField {
        name: "id".into(),
        type_name: "ID".into(),
        required: true,
        list: false,
        default: None,
    }];
    let mut indexes = Vec::new();
    let mut relations = Vec::new();
    for side in [a, b] {
        let key = format!("{}Id", lower_first(&side.name));
        let type_name = side
            .field(&side.key.partition)
            .map(|f| f.type_name.clone())
            .unwrap_or_else(|| "ID".into());
        fields.push(ModelField {
            name: key.clone(),
            type_name,
            required: true,
            list: false,
            default: None,
        });
        indexes.push(Index {
            name: format!("by{}", side.name),
            key: Key {
                partition: key.clone(),
                sort: None,
            },
            query_field: None,
        });
        relations.push(Relation {
            field: lower_first(&side.name),
            target: side.name.clone(),
            kind: RelationKind::Keyed { fields: vec![key] },
        });
    }
    let auth = merged_auth(&a.auth, &b.auth);
    for stamp in ["createdAt", "updatedAt"] {
        fields.push(ModelField {
            name: stamp.into(),
            type_name: "AWSDateTime".into(),
            required: true,
            list: false,
            default: None,
        });
    }
    for rule in &auth.owners {
        if !fields.iter().any(|f| f.name == rule.field) {
            fields.push(ModelField {
                name: rule.field.clone(),
                type_name: "String".into(),
                required: false,
                list: rule.list,
                default: None,
            });
        }
    }
    Model {
        name: name.to_owned(),
        line: a.line,
        fields,
        relations,
        key: Key {
            partition: "id".into(),
            sort: None,
        },
        indexes,
        auth,
        has_auth: a.has_auth || b.has_auth,
        root: RootFields {
            get: Some(format!("get{name}")),
            list: Some(format!("list{}", super::plural(name))),
            create: Some(format!("create{name}")),
            update: Some(format!("update{name}")),
            delete: Some(format!("delete{name}")),
            subscriptions: true,
        },
        timestamps: (Some("createdAt".into()), Some("updatedAt".into())),
        synthetic: true,
        field_auth: Vec::new(),
    }
}

/// The rules of both sides: each kind's operations joined, owner and group rules kept.
fn merged_auth(a: &ModelAuth, b: &ModelAuth) -> ModelAuth {
    let join = |x: &[ModelOperation], y: &[ModelOperation]| {
        let mut out = x.to_vec();
        out.extend(y.iter().filter(|o| !x.contains(o)));
        out
    };
    let mut owners: Vec<OwnerRule> = a.owners.clone();
    for rule in &b.owners {
        if !owners.iter().any(|r| r.field == rule.field) {
            owners.push(rule.clone());
        }
    }
    let mut groups: Vec<GroupRule> = a.groups.clone();
    for g in &b.groups {
        if !groups.contains(g) {
            groups.push(g.clone());
        }
    }
    ModelAuth {
        public: join(&a.public, &b.public),
        public_iam: join(&a.public_iam, &b.public_iam),
        private: join(&a.private, &b.private),
        private_iam: join(&a.private_iam, &b.private_iam),
        owners,
        groups,
    }
}
