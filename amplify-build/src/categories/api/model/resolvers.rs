//! The APPSYNC_JS resolvers of a model's queries, mutations and relation fields, on its
//! table. Each is one file (AppSync's JS runtime takes no imports but
//! `@aws-appsync/utils`): the model's rules and key as data, the checks they need, and a
//! filter-to-expression builder whose placeholders never collide
//! (`ModelTodoFilterInput` → a DynamoDB filter).
//!
//! Who may do what: a caller with the API key is allowed the `public` operations; an IAM
//! caller the `public`/`private` IAM ones; a signed-in user the `private` ones and those
//! of the static groups they are in, else the item-level ones — `owner` rules (the item's
//! owner field names them: `<sub>::<username>` as Amplify stores it, or either part, or
//! the rule's claim) and dynamic group rules (the item's field names one of their
//! groups). Reads of items the caller may not see, and writes conditioned on the rules,
//! are refused as `Unauthorized`.

use serde_json::json;

use super::{GroupRule, Index, Model, ModelAuth, ModelOperation};

/// What a resolver does.
#[derive(Debug, Clone, Copy)]
pub enum Operation<'a> {
    /// `getTodo`.
    Get,
    /// `listTodos`: a Query when the partition key is given, else a Scan.
    List,
    /// An `@index` query field.
    Index(&'a Index),
    /// `createTodo`.
    Create,
    /// `updateTodo`.
    Update,
    /// `deleteTodo`.
    Delete,
    /// A `@hasMany` field (or `@hasOne` by reference): the items of `index` whose key is
    /// the source item's `source` field.
    Related {
        /// The related model's index.
        index: &'a str,
        /// The source item's field.
        source: &'a str,
        /// One item, not a connection.
        single: bool,
    },
    /// A `@belongsTo` / `@hasOne` field: the item keyed by the source's `fields`.
    Keyed(&'a [String]),
    /// A field with its own rules, read from the item already fetched.
    FieldRead(&'a str),
}

/// A set of rules as the resolvers read them.
fn rules(a: &ModelAuth, has_auth: bool) -> serde_json::Value {
    let ops = |list: &[ModelOperation]| list.iter().map(|o| o.name()).collect::<Vec<_>>();
    json!({
        "hasAuth": has_auth,
        "public": ops(&a.public),
        "publicIam": ops(&a.public_iam),
        "private": ops(&a.private),
        "privateIam": ops(&a.private_iam),
        "owners": a.owners.iter().map(|r| json!({
            "field": r.field, "claim": r.claim, "list": r.list, "ops": ops(&r.operations)
        })).collect::<Vec<_>>(),
        "staticGroups": a.groups.iter().filter_map(|g| match g {
            GroupRule::Static { groups, operations } => Some(json!({"groups": groups, "ops": ops(operations)})),
            GroupRule::Dynamic { .. } => None,
        }).collect::<Vec<_>>(),
        "groupFields": a.groups.iter().filter_map(|g| match g {
            GroupRule::Dynamic { field, list, operations } => Some(json!({"field": field, "list": list, "ops": ops(operations)})),
            GroupRule::Static { .. } => None,
        }).collect::<Vec<_>>(),
    })
}

/// The resolver of `operation` on `model`'s table (for relation fields, `model` is the
/// related model: its rules decide what the caller sees).
pub fn resolver_code(model: &Model, operation: Operation<'_>) -> String {
    let defaults: serde_json::Map<String, serde_json::Value> = model
        .fields
        .iter()
        .filter_map(|f| Some((f.name.clone(), f.default.clone()?)))
        .collect();
    let field_rules: serde_json::Map<String, serde_json::Value> = model
        .field_auth
        .iter()
        .map(|(field, a)| (field.clone(), rules(a, true)))
        .collect();
    let mut rules = rules(&model.auth, model.has_auth);
    rules["key"] = json!(model.key_fields());
    rules["createdAt"] = json!(model.timestamps.0);
    rules["updatedAt"] = json!(model.timestamps.1);
    rules["defaults"] = json!(defaults);
    rules["fieldRules"] = json!(field_rules);
    let body = match operation {
        Operation::Get => GET,
        Operation::List => LIST,
        Operation::Index(index) => {
            rules["index"] =
                json!({"name": index.name, "key": [index.key.partition, index.key.sort]});
            INDEX
        }
        Operation::Create => CREATE,
        Operation::Update => UPDATE,
        Operation::Delete => DELETE,
        Operation::Related {
            index,
            source,
            single,
        } => {
            let key = model
                .indexes
                .iter()
                .find(|i| i.name == index)
                .map(|i| i.key.partition.as_str());
            rules["related"] =
                json!({"index": index, "source": source, "key": key, "single": single});
            RELATED
        }
        Operation::Keyed(fields) => {
            rules["keyedBy"] = json!(fields);
            KEYED
        }
        Operation::FieldRead(field) => {
            rules["field"] = json!(field);
            FIELD
        }
    };
    format!(
        "import {{ util, runtime }} from '@aws-appsync/utils';\n\nconst MODEL = {rules};\n{HELPERS}{body}"
    )
}

const HELPERS: &str = r#"
/** The caller: the API key, an IAM identity or a signed-in user of the user pool. */
function caller(ctx) {
  const id = ctx.identity;
  if (id && id.sub) {
    const claims = id.claims || {};
    const username = id.username || claims['cognito:username'] || id.sub;
    const groups = id.groups || claims['cognito:groups'] || [];
    const names = [id.sub + '::' + username, id.sub, username];
    for (const rule of allOwners()) {
      const value = claimValue(id, claims, username, rule.claim);
      if (value && !names.includes(value)) names.push(value);
    }
    return { kind: 'userPool', id, claims, username, groups, names };
  }
  if (id && (id.accountId || id.cognitoIdentityPoolId || id.userArn)) {
    return { kind: 'iam', signedIn: id.cognitoIdentityAuthType === 'authenticated' };
  }
  return { kind: 'apiKey' };
}

/** The owner rules of the model and of its fields. */
function allOwners() {
  const out = MODEL.owners.slice();
  for (const field of Object.keys(MODEL.fieldRules)) out.push(...MODEL.fieldRules[field].owners);
  return out;
}

/** What an owner rule stores for a user. */
function claimValue(id, claims, username, claim) {
  if (claim === 'sub::username') return id.sub + '::' + username;
  if (claim === 'sub') return id.sub;
  if (claim === 'username') return username;
  return claims[claim];
}

/** 'all', the item-level rules that apply (only items they match), or null (refused),
 * under the model's rules or a field's (`R`). */
function access(ctx, op, R) {
  R = R || MODEL;
  if (!R.hasAuth) return 'all';
  const who = caller(ctx);
  if (who.kind === 'apiKey') return R.public.includes(op) ? 'all' : null;
  if (who.kind === 'iam') {
    const ok = R.publicIam.includes(op) || (who.signedIn && R.privateIam.includes(op));
    return ok ? 'all' : null;
  }
  if (R.private.includes(op)) return 'all';
  if (R.staticGroups.some((r) => r.ops.includes(op) && r.groups.some((g) => who.groups.includes(g)))) {
    return 'all';
  }
  const rules = [];
  for (const r of R.owners) {
    if (r.ops.includes(op)) rules.push({ field: r.field, list: r.list, values: who.names });
  }
  for (const r of R.groupFields) {
    if (r.ops.includes(op) && who.groups.length) rules.push({ field: r.field, list: r.list, values: who.groups });
  }
  return rules.length ? rules : null;
}

function allowed(ctx, op) {
  const mode = access(ctx, op);
  if (!mode) util.unauthorized();
  return mode;
}

/** A filter matching the items the item-level rules let the caller at. */
function rulesFilter(rules) {
  const any = [];
  for (const r of rules) {
    for (const v of r.values) any.push({ [r.field]: r.list ? { contains: v } : { eq: v } });
  }
  return { or: any };
}

function matches(rules, item) {
  return rules.some((r) => {
    const have = item[r.field];
    if (have === null || have === undefined) return false;
    return r.values.some((v) => (r.list ? have.includes(v) : have === v));
  });
}

/** Narrows a read by the caller's access: the filter parts to add (null when refused). */
function readParts(ctx) {
  const mode = allowed(ctx, 'read');
  return mode === 'all' ? [] : [rulesFilter(mode)];
}

/** The item's key from `values` (all key fields are required there). */
function keyOf(values) {
  const key = {};
  for (const k of MODEL.key) key[k] = values[k];
  return key;
}

const COMPARISONS = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };

/** A term joined into `sep` ('and' / 'or'): parentheses only where precedence needs them
 * (DynamoDB refuses redundant ones). */
function wrap(term, sep) {
  return term.op === 'cmp' || term.op === 'not' || term.op === sep ? term.text : '(' + term.text + ')';
}

function combine(terms, sep) {
  if (terms.length === 0) return null;
  if (terms.length === 1) return terms[0];
  return { text: terms.map((t) => wrap(t, sep)).join(sep === 'and' ? ' AND ' : ' OR '), op: sep };
}

/** The terms of one filter object (joined by AND). */
function terms(filter, names, values, counter) {
  const out = [];
  for (const key of Object.keys(filter || {})) {
    const cond = filter[key];
    if (cond === null || cond === undefined) continue;
    if (key === 'and' || key === 'or') {
      const inner = cond
        .map((f) => combine(terms(f, names, values, counter), 'and'))
        .filter((t) => t);
      const joined = combine(inner, key);
      if (joined) out.push(joined);
      continue;
    }
    if (key === 'not') {
      const inner = combine(terms(cond, names, values, counter), 'and');
      if (inner) out.push({ text: 'NOT ' + wrap(inner, 'not'), op: 'not' });
      continue;
    }
    for (const op of Object.keys(cond)) {
      const v = cond[op];
      if (v === null || v === undefined) continue;
      const i = counter.n++;
      const name = '#f' + i;
      const value = ':v' + i;
      names[name] = key;
      let text;
      if (COMPARISONS[op]) {
        values[value] = util.dynamodb.toDynamoDB(v);
        text = name + ' ' + COMPARISONS[op] + ' ' + value;
      } else if (op === 'contains' || op === 'notContains') {
        values[value] = util.dynamodb.toDynamoDB(v);
        text = (op === 'notContains' ? 'NOT ' : '') + 'contains(' + name + ', ' + value + ')';
      } else if (op === 'beginsWith') {
        values[value] = util.dynamodb.toDynamoDB(v);
        text = 'begins_with(' + name + ', ' + value + ')';
      } else if (op === 'between') {
        values[value + 'a'] = util.dynamodb.toDynamoDB(v[0]);
        values[value + 'b'] = util.dynamodb.toDynamoDB(v[1]);
        text = name + ' BETWEEN ' + value + 'a AND ' + value + 'b';
      } else if (op === 'attributeExists') {
        text = (v ? 'attribute_exists(' : 'attribute_not_exists(') + name + ')';
      } else {
        util.error('Unsupported filter operator ' + op, 'InvalidFilterException');
      }
      out.push({ text, op: 'cmp' });
    }
  }
  return out;
}

/** A DynamoDB expression for a filter or condition input; null when it says nothing. */
function expression(filter) {
  const names = {};
  const values = {};
  const whole = combine(terms(filter, names, values, { n: 0 }), 'and');
  if (!whole) return null;
  const text = whole.text;
  const out = { expression: text, expressionNames: names };
  if (Object.keys(values).length) out.expressionValues = values;
  return out;
}


/** `#pk = :pk` and the sort key's condition, for a Query. */
function keyCondition(pk, pkValue, sk, skCond) {
  const names = { '#pk': pk };
  const values = { ':pk': util.dynamodb.toDynamoDB(pkValue) };
  let text = '#pk = :pk';
  if (sk && skCond) {
    for (const op of Object.keys(skCond)) {
      const v = skCond[op];
      if (v === null || v === undefined) continue;
      names['#sk'] = sk;
      if (COMPARISONS[op]) {
        values[':sk'] = util.dynamodb.toDynamoDB(v);
        text += ' AND #sk ' + COMPARISONS[op] + ' :sk';
      } else if (op === 'between') {
        values[':ska'] = util.dynamodb.toDynamoDB(v[0]);
        values[':skb'] = util.dynamodb.toDynamoDB(v[1]);
        text += ' AND #sk BETWEEN :ska AND :skb';
      } else if (op === 'beginsWith') {
        values[':sk'] = util.dynamodb.toDynamoDB(v);
        text += ' AND begins_with(#sk, :sk)';
      }
      break;
    }
  }
  return { expression: text, expressionNames: names, expressionValues: values };
}

/** A Query or Scan page request with the caller's filter. */
function page(ctx, request, parts) {
  if (ctx.args.filter) parts.push(ctx.args.filter);
  const filter = parts.length ? expression({ and: parts }) : null;
  if (filter) request.filter = filter;
  request.limit = ctx.args.limit || 100;
  if (ctx.args.nextToken) request.nextToken = ctx.args.nextToken;
  if (ctx.args.sortDirection === 'DESC') request.scanIndexForward = false;
  return request;
}

function connection(ctx) {
  const answer = result(ctx, false);
  return { items: answer.items || [], nextToken: answer.nextToken || null };
}

/** Errors of the table reach the caller; a failed rules condition is a refusal. */
function result(ctx, rulesChecked) {
  if (ctx.error) {
    if (rulesChecked && ctx.error.type && ctx.error.type.indexOf('ConditionalCheckFailed') >= 0) {
      util.unauthorized();
    }
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.result;
}
"#;

const GET: &str = r#"
export function request(ctx) {
  allowed(ctx, 'read');
  return { operation: 'GetItem', key: util.dynamodb.toMapValues(keyOf(ctx.args)) };
}

export function response(ctx) {
  const item = result(ctx, false);
  const mode = access(ctx, 'read');
  if (item && mode !== 'all' && !matches(mode, item)) util.unauthorized();
  return item;
}
"#;

const LIST: &str = r#"
export function request(ctx) {
  const parts = readParts(ctx);
  const pk = MODEL.key[0];
  if (ctx.args[pk] === undefined || ctx.args[pk] === null) {
    return page(ctx, { operation: 'Scan' }, parts);
  }
  const query = keyCondition(pk, ctx.args[pk], MODEL.key[1], ctx.args[MODEL.key[1]]);
  return page(ctx, { operation: 'Query', query }, parts);
}

export function response(ctx) {
  return connection(ctx);
}
"#;

const INDEX: &str = r#"
export function request(ctx) {
  const parts = readParts(ctx);
  const [pk, sk] = MODEL.index.key;
  const query = keyCondition(pk, ctx.args[pk], sk, sk ? ctx.args[sk] : null);
  return page(ctx, { operation: 'Query', index: MODEL.index.name, query }, parts);
}

export function response(ctx) {
  return connection(ctx);
}
"#;

const RELATED: &str = r#"
export function request(ctx) {
  const parts = readParts(ctx);
  const value = ctx.source[MODEL.related.source];
  if (value === null || value === undefined) {
    runtime.earlyReturn(MODEL.related.single ? null : { items: [], nextToken: null });
  }
  const query = keyCondition(MODEL.related.key, value, null, null);
  const request = page(ctx, { operation: 'Query', index: MODEL.related.index, query }, parts);
  if (MODEL.related.single) delete request.limit;
  return request;
}

export function response(ctx) {
  const answer = connection(ctx);
  return MODEL.related.single ? answer.items[0] || null : answer;
}
"#;

const KEYED: &str = r#"
export function request(ctx) {
  allowed(ctx, 'read');
  const key = {};
  MODEL.key.forEach((k, i) => {
    key[k] = ctx.source[MODEL.keyedBy[i]];
  });
  if (Object.values(key).some((v) => v === null || v === undefined)) runtime.earlyReturn(null);
  return { operation: 'GetItem', key: util.dynamodb.toMapValues(key) };
}

export function response(ctx) {
  const item = result(ctx, false);
  const mode = access(ctx, 'read');
  // A related item the caller may not read is left out, not an error of the whole query.
  if (item && mode !== 'all' && !matches(mode, item)) return null;
  return item;
}
"#;

const CREATE: &str = r#"
export function request(ctx) {
  const mode = allowed(ctx, 'create');
  const values = Object.assign({}, MODEL.defaults, ctx.args.input);
  if (MODEL.key[0] === 'id' && !values.id) values.id = util.autoId();
  const now = util.time.nowISO8601();
  if (MODEL.createdAt && !values[MODEL.createdAt]) values[MODEL.createdAt] = now;
  if (MODEL.updatedAt && !values[MODEL.updatedAt]) values[MODEL.updatedAt] = now;
  const who = caller(ctx);
  if (who.kind === 'userPool') {
    for (const rule of allOwners()) {
      if (values[rule.field] === undefined || values[rule.field] === null) {
        const value = claimValue(who.id, who.claims, who.username, rule.claim);
        values[rule.field] = rule.list ? [value] : value;
      }
    }
  }
  if (mode !== 'all' && !matches(mode, values)) util.unauthorized();
  // A field with its own rules is set only by those its rules let create it.
  for (const field of Object.keys(ctx.args.input)) {
    const R = MODEL.fieldRules[field];
    if (!R) continue;
    const own = access(ctx, 'create', R);
    if (!own || (own !== 'all' && !matches(own, values))) util.unauthorized();
  }
  const key = keyOf(values);
  for (const k of MODEL.key) delete values[k];
  const parts = [{ [MODEL.key[0]]: { attributeExists: false } }];
  if (ctx.args.condition) parts.push(ctx.args.condition);
  return {
    operation: 'PutItem',
    key: util.dynamodb.toMapValues(key),
    attributeValues: util.dynamodb.toMapValues(values),
    condition: expression({ and: parts }),
  };
}

export function response(ctx) {
  return result(ctx, false);
}
"#;

const UPDATE: &str = r#"
export function request(ctx) {
  const mode = allowed(ctx, 'update');
  const values = Object.assign({}, ctx.args.input);
  const key = keyOf(values);
  for (const k of MODEL.key) delete values[k];
  if (MODEL.updatedAt) values[MODEL.updatedAt] = util.time.nowISO8601();
  const names = {};
  const sets = [];
  const removes = [];
  const updates = {};
  let i = 0;
  for (const field of Object.keys(values)) {
    names['#u' + i] = field;
    if (values[field] === null) {
      removes.push('#u' + i);
    } else {
      updates[':u' + i] = util.dynamodb.toDynamoDB(values[field]);
      sets.push('#u' + i + ' = :u' + i);
    }
    i++;
  }
  let text = sets.length ? 'SET ' + sets.join(', ') : '';
  if (removes.length) text += (text ? ' ' : '') + 'REMOVE ' + removes.join(', ');
  const parts = [{ [MODEL.key[0]]: { attributeExists: true } }];
  if (mode !== 'all') parts.push(rulesFilter(mode));
  let rulesChecked = mode !== 'all';
  // A field with its own rules is changed only by those its rules let update it.
  for (const field of Object.keys(ctx.args.input)) {
    const R = MODEL.fieldRules[field];
    if (!R) continue;
    const own = access(ctx, 'update', R);
    if (!own) util.unauthorized();
    if (own !== 'all') {
      parts.push(rulesFilter(own));
      rulesChecked = true;
    }
  }
  if (ctx.args.condition) parts.push(ctx.args.condition);
  ctx.stash.rulesChecked = rulesChecked;
  const update = { expression: text, expressionNames: names };
  if (Object.keys(updates).length) update.expressionValues = updates;
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues(key),
    update,
    condition: expression({ and: parts }),
  };
}

export function response(ctx) {
  return result(ctx, ctx.stash.rulesChecked);
}
"#;

const DELETE: &str = r#"
export function request(ctx) {
  const mode = allowed(ctx, 'delete');
  const parts = [{ [MODEL.key[0]]: { attributeExists: true } }];
  if (mode !== 'all') parts.push(rulesFilter(mode));
  if (ctx.args.condition) parts.push(ctx.args.condition);
  ctx.stash.rulesChecked = mode !== 'all';
  return {
    operation: 'DeleteItem',
    key: util.dynamodb.toMapValues(keyOf(ctx.args.input)),
    condition: expression({ and: parts }),
  };
}

export function response(ctx) {
  return result(ctx, ctx.stash.rulesChecked);
}
"#;

const FIELD: &str = r#"
export function request(ctx) {
  // The item is already read: its field is returned without another request.
  const mode = access(ctx, 'read', MODEL.fieldRules[MODEL.field]);
  if (!mode || (mode !== 'all' && !matches(mode, ctx.source))) util.unauthorized();
  runtime.earlyReturn(ctx.source[MODEL.field]);
  return {};
}

export function response(ctx) {
  return ctx.result;
}
"#;
