//! Relations between models, resolved once every model is read: `@hasMany` queries an
//! index of the related model (added for it, `gsi-Post.comments`, unless the relation
//! names one), `@hasOne` and `@belongsTo` get the related item by the key this item
//! stores. Without arguments the key field is named as transformer v2 names it
//! (`postCommentsId`) and added to the model that stores it.

use super::parse::Written;
use super::{attribute_type, lower_first, Index, Key, Model, ModelField, Relation, RelationKind};

/// Resolves `written` into the models' relations (adding key fields and indexes); a
/// message for each mistake.
pub(super) fn resolve(models: &mut [Model], written: Vec<Written>) -> Vec<String> {
    let mut errors = Vec::new();
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
