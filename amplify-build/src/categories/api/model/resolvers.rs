//! The APPSYNC_JS resolvers of a model's queries and mutations, on its table. Each is one
//! file (AppSync's JS runtime takes no imports but `@aws-appsync/utils`): the model's
//! rules as data, the checks they need, and a filter-to-expression builder whose
//! placeholders never collide (`ModelTodoFilterInput` → a DynamoDB filter).
//!
//! Who may do what: a caller without a user-pool identity (the API key) is allowed the
//! `public` operations; a signed-in user the `private` ones, else the `owner` ones on
//! items whose owner field names them (`<sub>::<username>`, as Amplify stores it, or
//! either part). Reads of another owner's item and writes conditioned on ownership are
//! refused as `Unauthorized`.

use serde_json::json;

use super::{Model, ModelOperation};

/// The resolver of `field` (`getTodo`, `listTodos`, `createTodo`…) of `model`.
pub fn resolver_code(model: &Model, operation: &str) -> String {
    let ops = |list: &[ModelOperation]| list.iter().map(|o| o.name()).collect::<Vec<_>>();
    let rules = json!({
        "hasAuth": model.has_auth,
        "public": ops(&model.auth.public),
        "private": ops(&model.auth.private),
        "owner": model.owner_field(),
        "ownerOps": model.auth.owner.as_ref().map(|(_, o)| ops(o)).unwrap_or_default(),
    });
    let body = match operation {
        "get" => GET,
        "list" => LIST,
        "create" => CREATE,
        "update" => UPDATE,
        _ => DELETE,
    };
    format!(
        "import {{ util }} from '@aws-appsync/utils';\n\nconst MODEL = {rules};\n{HELPERS}{body}"
    )
}

const HELPERS: &str = r#"
/** The caller: a signed-in user (with the owner values that name them) or not. */
function caller(ctx) {
  const id = ctx.identity;
  if (id && id.sub) {
    const username = id.username || (id.claims && id.claims['cognito:username']) || id.sub;
    const owner = id.sub + '::' + username;
    return { signedIn: true, owner, names: [owner, id.sub, username] };
  }
  return { signedIn: false, names: [] };
}

/** 'all', 'owner' (only the caller's items) or null (refused) for an operation. */
function access(ctx, op) {
  if (!MODEL.hasAuth) return 'all';
  const who = caller(ctx);
  if (!who.signedIn) return MODEL.public.includes(op) ? 'all' : null;
  if (MODEL.private.includes(op)) return 'all';
  if (MODEL.owner && MODEL.ownerOps.includes(op)) return 'owner';
  return null;
}

function allowed(ctx, op) {
  const mode = access(ctx, op);
  if (!mode) util.unauthorized();
  return mode;
}

/** A filter matching the caller's items. */
function ownFilter(ctx) {
  return { or: caller(ctx).names.map((name) => ({ [MODEL.owner]: { eq: name } })) };
}

function ownedBy(ctx, item) {
  return caller(ctx).names.includes(item[MODEL.owner]);
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

/** Errors of the table reach the caller; a failed ownership condition is a refusal. */
function result(ctx, ownerChecked) {
  if (ctx.error) {
    if (ownerChecked && ctx.error.type && ctx.error.type.indexOf('ConditionalCheckFailed') >= 0) {
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
  return { operation: 'GetItem', key: util.dynamodb.toMapValues({ id: ctx.args.id }) };
}

export function response(ctx) {
  const item = result(ctx, false);
  if (item && access(ctx, 'read') === 'owner' && !ownedBy(ctx, item)) util.unauthorized();
  return item;
}
"#;

const LIST: &str = r#"
export function request(ctx) {
  const mode = allowed(ctx, 'read');
  const parts = [];
  if (ctx.args.filter) parts.push(ctx.args.filter);
  if (mode === 'owner') parts.push(ownFilter(ctx));
  const request = { operation: 'Scan', limit: ctx.args.limit || 100 };
  const filter = parts.length ? expression({ and: parts }) : null;
  if (filter) request.filter = filter;
  if (ctx.args.nextToken) request.nextToken = ctx.args.nextToken;
  return request;
}

export function response(ctx) {
  const page = result(ctx, false);
  return { items: page.items || [], nextToken: page.nextToken || null };
}
"#;

const CREATE: &str = r#"
export function request(ctx) {
  const mode = allowed(ctx, 'create');
  const values = Object.assign({}, ctx.args.input);
  const id = values.id || util.autoId();
  delete values.id;
  const now = util.time.nowISO8601();
  values.createdAt = now;
  values.updatedAt = now;
  const who = caller(ctx);
  if (MODEL.owner && who.signedIn) {
    if (values[MODEL.owner] === undefined || values[MODEL.owner] === null) {
      values[MODEL.owner] = who.owner;
    } else if (mode === 'owner' && !who.names.includes(values[MODEL.owner])) {
      util.unauthorized();
    }
  }
  const parts = [{ id: { attributeExists: false } }];
  if (ctx.args.condition) parts.push(ctx.args.condition);
  return {
    operation: 'PutItem',
    key: util.dynamodb.toMapValues({ id }),
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
  const id = values.id;
  delete values.id;
  values.updatedAt = util.time.nowISO8601();
  const names = {};
  const sets = [];
  const removes = [];
  const updates = {};
  let i = 0;
  for (const key of Object.keys(values)) {
    names['#u' + i] = key;
    if (values[key] === null) {
      removes.push('#u' + i);
    } else {
      updates[':u' + i] = util.dynamodb.toDynamoDB(values[key]);
      sets.push('#u' + i + ' = :u' + i);
    }
    i++;
  }
  let text = sets.length ? 'SET ' + sets.join(', ') : '';
  if (removes.length) text += (text ? ' ' : '') + 'REMOVE ' + removes.join(', ');
  const parts = [{ id: { attributeExists: true } }];
  if (mode === 'owner') parts.push(ownFilter(ctx));
  if (ctx.args.condition) parts.push(ctx.args.condition);
  ctx.stash.ownerChecked = mode === 'owner';
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ id }),
    update: { expression: text, expressionNames: names, expressionValues: updates },
    condition: expression({ and: parts }),
  };
}

export function response(ctx) {
  return result(ctx, ctx.stash.ownerChecked);
}
"#;

const DELETE: &str = r#"
export function request(ctx) {
  const mode = allowed(ctx, 'delete');
  const parts = [{ id: { attributeExists: true } }];
  if (mode === 'owner') parts.push(ownFilter(ctx));
  if (ctx.args.condition) parts.push(ctx.args.condition);
  ctx.stash.ownerChecked = mode === 'owner';
  return {
    operation: 'DeleteItem',
    key: util.dynamodb.toMapValues({ id: ctx.args.input.id }),
    condition: expression({ and: parts }),
  };
}

export function response(ctx) {
  return result(ctx, ctx.stash.ownerChecked);
}
"#;
