//! `@auth(rules: [...])` on a model type: who may do what, as Amplify's transformer v2
//! reads the rules (`public`, `private`, `owner`, `groups`, each with an optional
//! `provider` and `operations`).

use graphql_parser::schema::{Directive, Value as GqlValue};

use super::{GroupRule, ModelAuth, ModelOperation, OwnerRule, ALL};

/// The keys a rule may have.
const RULE_KEYS: &[&str] = &[
    "allow",
    "provider",
    "ownerField",
    "identityClaim",
    "groups",
    "groupsField",
    "groupClaim",
    "operations",
];

/// `@auth(rules: [{allow: public}, {allow: owner, ownerField: "author"}, …])`.
pub(super) fn parse_auth(d: &Directive<'_, String>) -> Result<ModelAuth, String> {
    let mut auth = ModelAuth::default();
    let Some((_, GqlValue::List(rules))) = d.arguments.iter().find(|(k, _)| k == "rules") else {
        return Err("write `@auth(rules: [{ allow: owner }])`".into());
    };
    for rule in rules {
        let GqlValue::Object(fields) = rule else {
            return Err("each rule is an object: `{ allow: owner }`".into());
        };
        if let Some(key) = fields.keys().find(|k| !RULE_KEYS.contains(&k.as_str())) {
            return Err(format!(
                "`{key}` is not a rule key; a rule has {}",
                RULE_KEYS.join(", ")
            ));
        }
        let text = |key: &str| -> Result<Option<String>, String> {
            match fields.get(key) {
                None => Ok(None),
                Some(GqlValue::String(s)) => Ok(Some(s.clone())),
                Some(GqlValue::Enum(s)) if key == "allow" || key == "provider" => {
                    Ok(Some(s.clone()))
                }
                Some(_) => Err(format!("`{key}` is a string")),
            }
        };
        let operations = match fields.get("operations") {
            Some(ops) => operations(ops)?,
            None => ALL.to_vec(),
        };
        let allow = text("allow")?.ok_or("a rule needs `allow`")?;
        let provider = text("provider")?;
        let provider = provider.as_deref();
        if text("groupClaim")?.is_some_and(|c| c != "cognito:groups") {
            return Err("`groupClaim` other than `cognito:groups` is not supported yet".into());
        }
        match (allow.as_str(), provider) {
            ("public", None | Some("apiKey")) => auth.public = merge(&auth.public, &operations),
            ("public", Some("iam")) => auth.public_iam = merge(&auth.public_iam, &operations),
            ("private", None | Some("userPools")) => {
                auth.private = merge(&auth.private, &operations)
            }
            ("private", Some("iam")) => auth.private_iam = merge(&auth.private_iam, &operations),
            ("owner", None | Some("userPools")) => auth.owners.push(OwnerRule {
                field: text("ownerField")?.unwrap_or_else(|| "owner".into()),
                claim: match text("identityClaim")?.as_deref() {
                    None | Some("sub::username") => "sub::username".into(),
                    Some("cognito:username") => "username".into(),
                    Some(claim) => claim.into(),
                },
                list: false,
                operations,
            }),
            ("groups", None | Some("userPools")) => auth.groups.push(group_rule(fields, operations)?),
            ("public" | "private" | "owner" | "groups", Some(p)) => {
                return Err(format!(
                    "`{{allow: {allow}, provider: {p}}}` is not supported: public rules take apiKey or iam, private rules userPools or iam, owner and group rules userPools (OIDC and Lambda providers are not supported yet)"
                ))
            }
            (other, _) => {
                return Err(format!(
                    "`allow: {other}` is not a rule; expected public, private, owner or groups"
                ))
            }
        }
    }
    Ok(auth)
}

/// `{allow: groups, groups: ["Admin"]}` or `{allow: groups, groupsField: "editors"}`.
fn group_rule(
    fields: &std::collections::BTreeMap<String, GqlValue<'_, String>>,
    operations: Vec<ModelOperation>,
) -> Result<GroupRule, String> {
    match (fields.get("groups"), fields.get("groupsField")) {
        (Some(GqlValue::List(groups)), None) => {
            let groups = groups
                .iter()
                .map(|g| match g {
                    GqlValue::String(s) => Ok(s.clone()),
                    _ => Err("`groups` lists group names as strings: `[\"Admins\"]`".to_owned()),
                })
                .collect::<Result<Vec<_>, _>>()?;
            if groups.is_empty() {
                return Err("`groups` names at least one group".into());
            }
            Ok(GroupRule::Static { groups, operations })
        }
        (None, Some(GqlValue::String(field))) => Ok(GroupRule::Dynamic {
            field: field.clone(),
            list: false,
            operations,
        }),
        (Some(_), Some(_)) => {
            Err("a group rule has `groups` (static) or `groupsField` (dynamic), not both".into())
        }
        _ => Err(
            "a group rule names its groups: `groups: [\"Admins\"]`, or `groupsField: \"editors\"` (a field of the item)"
                .into(),
        ),
    }
}

fn operations(value: &GqlValue<'_, String>) -> Result<Vec<ModelOperation>, String> {
    let GqlValue::List(ops) = value else {
        return Err("`operations` lists names: `[create, read, update, delete]`".into());
    };
    let mut out = Vec::new();
    for op in ops {
        let GqlValue::Enum(name) = op else {
            return Err("`operations` lists names: `[create, read, update, delete]`".into());
        };
        let op = ModelOperation::parse(name).ok_or_else(|| {
            format!("`{name}` is not an operation; write create, read, update or delete")
        })?;
        if !out.contains(&op) {
            out.push(op);
        }
    }
    Ok(out)
}

fn merge(a: &[ModelOperation], b: &[ModelOperation]) -> Vec<ModelOperation> {
    let mut out = a.to_vec();
    out.extend(b.iter().filter(|o| !a.contains(o)));
    out
}
