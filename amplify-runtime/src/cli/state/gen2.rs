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
    // "amplify", namespace, name, type and hash, joined by four dashes — and Gen 2 keeps
    // one character of the namespace fewer than that leaves room for, so its longest
    // names are 127 characters; ours must be the same names.
    let room =
        STACK_NAME_LENGTH_LIMIT - ("amplify".len() + name.len() + kind.len() + HASH_LENGTH + 4);
    let namespace: String = sanitize(namespace).chars().take(room - 1).collect();
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
    fn long_names_are_truncated_as_gen_2_truncates_them() {
        // The branch keeps 50 characters; the app id what is left, less one.
        let name = stack_name(&"a".repeat(200), &"b".repeat(80), BackendType::Branch);
        assert_eq!(name.len(), STACK_NAME_LENGTH_LIMIT - 1);
        assert!(
            name.starts_with(&format!(
                "amplify-{}-{}-branch-",
                "a".repeat(50),
                "b".repeat(50)
            )),
            "{name}"
        );
        // A 120-character app id with `main`: 96 characters of it, 127 in all.
        let app_id = "d".repeat(120);
        let name = stack_name(&app_id, "main", BackendType::Branch);
        assert_eq!(name.len(), 127, "{name}");
        assert!(
            name.starts_with(&format!("amplify-{}-main-branch-", "d".repeat(96))),
            "{name}"
        );
        // The hash is over the raw values, so truncation never merges two apps.
        assert_ne!(
            stack_name(&format!("{app_id}x"), "main", BackendType::Branch),
            name
        );
        // Characters other than ASCII letters and digits go; the hash still sees them.
        assert_eq!(
            stack_name("my-app", "feature/login", BackendType::Branch)[..34],
            *"amplify-myapp-featurelogin-branch-"
        );
    }
}
