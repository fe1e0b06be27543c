//! What the Amplify CLI reads of a synthesised folder, checked on every golden fixture:
//! `backend-config.json` with its keys sorted at every depth (the CLI rewrites it so and
//! compares each resource's entry with the last push as text), and each pool's
//! `auth/<r>/parameters.json` giving, by the CLI's own derivation, the
//! `frontendAuthConfig` we write (else the CLI rewrites it and the pool reads as changed).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

fn expected_folders() -> Vec<PathBuf> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out: Vec<PathBuf> = fs::read_dir(fixtures)
        .unwrap()
        .map(|e| e.unwrap().path().join("expected"))
        .filter(|p| p.join("backend/backend-config.json").is_file())
        .collect();
    out.sort();
    assert!(out.len() >= 5, "golden fixtures found: {out:?}");
    out
}

fn read(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The first object (by path) whose keys are out of code-unit order.
fn unsorted(value: &Value, path: &str) -> Option<String> {
    match value {
        Value::Object(map) => {
            let keys: Vec<&String> = map.keys().collect();
            if keys.windows(2).any(|w| w[0] > w[1]) {
                return Some(format!("{path}: {keys:?}"));
            }
            map.iter()
                .find_map(|(k, v)| unsorted(v, &format!("{path}/{k}")))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| unsorted(v, &format!("{path}[{i}]"))),
        _ => None,
    }
}

/// The Amplify CLI's `frontendAuthConfig` for a pool's parameters (its auth category's
/// `getFrontendConfig`, 14.2.2).
fn frontend_config(p: &Value) -> Value {
    let strings = |key: &str| -> Vec<String> {
        p[key]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
            .unwrap_or_default()
    };
    let username: Vec<String> = strings("usernameAttributes")
        .first()
        .map(|first| first.split(',').map(|s| s.trim().to_uppercase()).collect())
        .unwrap_or_default();
    let mfa_types = strings("mfaTypes");
    let mut mfa = Vec::new();
    if mfa_types.iter().any(|t| t == "SMS Text Message") {
        mfa.push("SMS");
    }
    if mfa_types.iter().any(|t| t == "TOTP") {
        mfa.push("TOTP");
    }
    let upper =
        |key: &str| -> Vec<String> { strings(key).iter().map(|s| s.to_uppercase()).collect() };
    json!({
        "socialProviders": [],
        "usernameAttributes": username,
        "signupAttributes": upper("requiredAttributes"),
        "passwordProtectionSettings": {
            "passwordPolicyMinLength": p["passwordPolicyMinLength"],
            "passwordPolicyCharacters": strings("passwordPolicyCharacters")
                .iter()
                .map(|c| c.replace(' ', "_").to_uppercase())
                .collect::<Vec<_>>(),
        },
        "mfaConfiguration": p["mfaConfiguration"],
        "mfaTypes": mfa,
        "verificationMechanisms": upper("autoVerifiedAttributes"),
    })
}

#[test]
fn backend_config_keys_are_sorted_at_every_depth() {
    for folder in expected_folders() {
        let config = read(&folder.join("backend/backend-config.json"));
        assert_eq!(unsorted(&config, ""), None, "{}", folder.display());
    }
}

#[test]
fn each_pool_s_parameters_give_the_frontend_config_we_write() {
    let mut pools = 0;
    for folder in expected_folders() {
        let config = read(&folder.join("backend/backend-config.json"));
        let Some(auth) = config["auth"].as_object() else {
            continue;
        };
        for (name, entry) in auth {
            if entry["serviceType"] == "imported" {
                continue;
            }
            let parameters = folder.join(format!("backend/auth/{name}/parameters.json"));
            let parameters = read(&parameters);
            assert_eq!(parameters["resourceName"], name.as_str());
            assert_eq!(
                frontend_config(&parameters),
                entry["frontendAuthConfig"],
                "{}: auth {name}",
                folder.display()
            );
            pools += 1;
        }
    }
    assert!(pools >= 5, "pools checked: {pools}");
}
