//! `data.model_introspection` of `amplify_outputs.json`: the models as Amplify's Gen 2
//! clients read them (`generateClient()` of `aws-amplify/data` builds
//! `client.models.<Model>.list/get/create/update/delete` and the index queries from it).

use serde_json::{json, Map, Value};

use super::{GroupRule, Model, ModelOperation, RelationKind};

/// The introspection document of `models`, with the schema's `enums` (name, values).
pub fn introspection(models: &[Model], enums: &[(String, Vec<String>)]) -> Value {
    let enum_names: Vec<&str> = enums.iter().map(|(n, _)| n.as_str()).collect();
    let mut out_models = Map::new();
    for m in models {
        out_models.insert(m.name.clone(), model(m, models, &enum_names));
    }
    let out_enums: Map<String, Value> = enums
        .iter()
        .map(|(name, values)| (name.clone(), json!({ "name": name, "values": values })))
        .collect();
    json!({
        "version": 1,
        "models": out_models,
        "enums": out_enums,
        "nonModels": {},
    })
}

fn model(m: &Model, models: &[Model], enums: &[&str]) -> Value {
    let mut fields = Map::new();
    for f in &m.fields {
        let ty = if enums.contains(&f.type_name.as_str()) {
            json!({ "enum": f.type_name })
        } else {
            json!(f.type_name)
        };
        let mut field = json!({
            "name": f.name,
            "isArray": f.list,
            "type": ty,
            "isRequired": f.required,
            "attributes": [],
        });
        if f.list {
            field["isArrayNullable"] = json!(true);
        }
        if m.is_timestamp(&f.name) {
            field["isReadOnly"] = json!(true);
            field["isRequired"] = json!(false);
        }
        fields.insert(f.name.clone(), field);
    }
    for r in &m.relations {
        let (list, association) = match &r.kind {
            RelationKind::Indexed { index, single, .. } => {
                // The related model's field holding this item's key: its index's key.
                let associated: Vec<&str> = models
                    .iter()
                    .filter(|t| t.name == r.target)
                    .flat_map(|t| &t.indexes)
                    .filter(|i| i.name == *index)
                    .map(|i| i.key.partition.as_str())
                    .collect();
                let kind = if *single { "HAS_ONE" } else { "HAS_MANY" };
                (
                    !single,
                    json!({ "connectionType": kind, "associatedWith": associated }),
                )
            }
            RelationKind::Keyed { fields } => (
                false,
                json!({ "connectionType": "BELONGS_TO", "targetNames": fields }),
            ),
        };
        let mut field = json!({
            "name": r.field,
            "isArray": list,
            "type": { "model": r.target },
            "isRequired": false,
            "attributes": [],
            "association": association,
        });
        if list {
            field["isArrayNullable"] = json!(true);
        }
        fields.insert(r.field.clone(), field);
    }
    let mut attributes = vec![json!({ "type": "model", "properties": {} })];
    attributes.push(json!({ "type": "key", "properties": { "fields": m.key_fields() } }));
    for index in &m.indexes {
        let mut properties = json!({
            "name": index.name,
            "fields": std::iter::once(&index.key.partition).chain(&index.key.sort).collect::<Vec<_>>(),
        });
        if let Some(q) = &index.query_field {
            properties["queryField"] = json!(q);
        }
        attributes.push(json!({ "type": "key", "properties": properties }));
    }
    if m.has_auth {
        attributes.push(json!({ "type": "auth", "properties": { "rules": rules(m) } }));
    }
    json!({
        "name": m.name,
        "fields": fields,
        "syncable": true,
        "pluralName": super::plural(&m.name),
        "attributes": attributes,
        "primaryKeyInfo": {
            "isCustomPrimaryKey": m.key.partition != "id" || m.key.sort.is_some(),
            "primaryKeyFieldName": m.key.partition,
            "sortKeyFieldNames": m.key.sort.iter().collect::<Vec<_>>(),
        },
    })
}

/// The rules as Amplify writes them in introspection.
fn rules(m: &Model) -> Vec<Value> {
    let ops = |list: &[ModelOperation]| list.iter().map(|o| o.name()).collect::<Vec<_>>();
    let a = &m.auth;
    let mut out = Vec::new();
    for (ops_list, allow, provider) in [
        (&a.public, "public", "apiKey"),
        (&a.public_iam, "public", "iam"),
        (&a.private, "private", "userPools"),
        (&a.private_iam, "private", "iam"),
    ] {
        if !ops_list.is_empty() {
            out.push(json!({ "allow": allow, "provider": provider, "operations": ops(ops_list) }));
        }
    }
    for r in &a.owners {
        let claim = if r.claim == "username" {
            "cognito:username"
        } else {
            r.claim.as_str()
        };
        out.push(json!({
            "provider": "userPools",
            "ownerField": r.field,
            "allow": "owner",
            "identityClaim": claim,
            "operations": ops(&r.operations),
        }));
    }
    for g in &a.groups {
        out.push(match g {
            GroupRule::Static { groups, operations } => json!({
                "groupClaim": "cognito:groups",
                "provider": "userPools",
                "allow": "groups",
                "groups": groups,
                "operations": ops(operations),
            }),
            GroupRule::Dynamic {
                field, operations, ..
            } => json!({
                "groupClaim": "cognito:groups",
                "provider": "userPools",
                "allow": "groups",
                "groupsField": field,
                "operations": ops(operations),
            }),
        });
    }
    out
}
