//! Physical names kept from an existing deployment (`user_pool_name`, `bucket_name`,
//! `table_name`): what an adopted Amplify Gen 1 resource was called, so that its first
//! push by amplify-rs updates it in place instead of replacing it (a new table or bucket
//! is an empty one). Each service's naming rules are checked here, at the token, with the
//! environment suffix the name is deployed with counted in.

use super::args::Arg;
use super::diagnostics::Diagnostics;

/// The longest environment name (Amplify's rule: 2–10 lower-case letters).
const MAX_ENV: usize = 10;

/// How a service names one kind of resource.
pub struct NameRule {
    /// `a DynamoDB table name`.
    pub what: &'static str,
    /// The longest physical name the service accepts.
    pub max: usize,
    /// Characters added around the declared name on deploy besides the environment's
    /// (`-`, `__`, a bucket's stack suffix).
    pub added: usize,
    /// Whether `c` may appear in the name.
    pub allowed: fn(char) -> bool,
    /// The allowed characters, as said in an error.
    pub allowed_text: &'static str,
}

/// DynamoDB: `<name>-<env>`.
pub const TABLE: NameRule = NameRule {
    what: "a DynamoDB table name",
    max: 255,
    added: 1,
    allowed: |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'),
    allowed_text: "letters, digits, `_`, `-` and `.`",
};

/// S3, as Amplify Gen 1 names buckets: `<name><root stack suffix>-<env>` (the suffix is
/// the five characters ending the root stack's name).
pub const BUCKET: NameRule = NameRule {
    what: "an S3 bucket name",
    max: 63,
    added: 6,
    allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.'),
    allowed_text: "lower-case letters, digits, `-` and `.`",
};

/// Cognito user pools: `<name>-<env>`.
pub const USER_POOL: NameRule = NameRule {
    what: "a Cognito user pool name",
    max: 128,
    added: 1,
    allowed: |c| c.is_alphanumeric() || " +=,.@-_".contains(c),
    allowed_text: "letters, digits, spaces and `+=,.@-_`",
};

/// Cognito identity pools: `<name>__<env>`.
pub const IDENTITY_POOL: NameRule = NameRule {
    what: "a Cognito identity pool name",
    max: 128,
    added: 2,
    allowed: |c| c.is_ascii_alphanumeric() || c == '_',
    allowed_text: "letters, digits and `_`",
};

/// `key = "name"`: the name, when it follows `rule`; one error at the literal otherwise.
pub fn physical_name(cx: &Diagnostics, arg: &Arg, rule: &NameRule) -> Option<String> {
    let lit = arg.string(cx)?;
    let name = lit.value();
    let key = arg.key_text();
    let room = rule.max - rule.added - MAX_ENV;
    let problem = if name.is_empty() {
        Some("is empty".to_owned())
    } else if let Some(c) = name.chars().find(|c| !(rule.allowed)(*c)) {
        Some(format!(
            "has `{c}`, which is not allowed in {}: use {}",
            rule.what, rule.allowed_text
        ))
    } else if name.len() > room {
        Some(format!(
            "is {} characters long: with the environment it is deployed with, {} allows {room}",
            name.len(),
            rule.what
        ))
    } else if rule.what == BUCKET.what && !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        Some("must start with a lower-case letter or a digit".to_owned())
    } else {
        None
    };
    match problem {
        Some(problem) => {
            cx.error(lit.span(), format!("`{key} = \"{name}\"` {problem}"));
            None
        }
        None => Some(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_leaves_room_for_the_environment() {
        for rule in [TABLE, BUCKET, USER_POOL, IDENTITY_POOL] {
            assert!(rule.max > rule.added + MAX_ENV + 3, "{}", rule.what);
        }
        assert!((BUCKET.allowed)('a') && !(BUCKET.allowed)('A'));
        assert!((IDENTITY_POOL.allowed)('_') && !(IDENTITY_POOL.allowed)('-'));
    }
}
