//! Amplify Gen 2's backend identity: the root stack name of an app's branch,
//! `amplify-<appId>-<branch>-branch-<hash>`, computed exactly as Gen 2 computes it, so
//! that stacks deployed by `cargo amplify pipeline-deploy` are found by Gen 2 tooling and
//! the reverse. Changing any of it would rename every deployed stack.

use sha2::{Digest, Sha512};

/// CloudFormation's limit on stack names.
const STACK_NAME_LENGTH_LIMIT: usize = 128;
/// Gen 2 keeps at most this much of the (sanitised) branch name.
const MAX_NAME_LENGTH: usize = 50;
const HASH_LENGTH: usize = 10;

/// The kind of backend an identity names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendType {
    /// A branch of an Amplify app, deployed by a pipeline.
    Branch,
}

impl BackendType {
    fn as_str(self) -> &'static str {
        match self {
            BackendType::Branch => "branch",
        }
    }
}

/// The root stack name of `name` (a branch) of `namespace` (an app id).
pub fn stack_name(namespace: &str, name: &str, kind: BackendType) -> String {
    // Over the raw, unsanitised values, one after the other.
    let mut hasher = Sha512::new();
    hasher.update(namespace.as_bytes());
    hasher.update(name.as_bytes());
    let hash: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()[..HASH_LENGTH]
        .to_owned();
    let name: String = sanitize(name).chars().take(MAX_NAME_LENGTH).collect();
    let kind = kind.as_str();
    // "amplify", namespace, name, type and hash, joined by four dashes.
    let room =
        STACK_NAME_LENGTH_LIMIT - ("amplify".len() + name.len() + kind.len() + HASH_LENGTH + 4);
    let namespace: String = sanitize(namespace).chars().take(room).collect();
    format!("amplify-{namespace}-{name}-{kind}-{hash}")
}

/// Only ASCII letters and digits remain, so the name splits back on its dashes.
fn sanitize(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_names_match_gen_2_test_vectors() {
        assert_eq!(
            stack_name(
                "t-_e.s,@ t--T@,,  !@#$%^&*(){}:\":<>?/|\\[]   H/I. .S",
                "t-_h.i,@ ng1-&&%2@@3-   _",
                BackendType::Branch
            ),
            "amplify-testTHIS-thing123-branch-70899a9dd1"
        );
        assert_eq!(
            stack_name("testapp", "main", BackendType::Branch),
            "amplify-testapp-main-branch-1887305634"
        );
    }

    #[test]
    fn long_names_are_truncated_to_cloudformation_s_limit() {
        let name = stack_name(&"a".repeat(200), &"b".repeat(80), BackendType::Branch);
        assert_eq!(name.len(), STACK_NAME_LENGTH_LIMIT);
        assert!(
            name.contains(&format!("-{}-branch-", "b".repeat(50))),
            "{name}"
        );
    }
}
