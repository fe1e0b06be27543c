//! The project on disk: where it is, and Amplify's state files (`team-provider-info.json`,
//! `amplify-meta.json`, `.config/local-*.json`, `#current-cloud-backend`). Every write is
//! a temp file plus rename; state is written only after a deployment succeeded.

use std::fs;
use std::path::{Path, PathBuf};

use amplify_build::files::ProjectConfig;
use amplify_build::plan::PROVIDER;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::cli::error::{CliError, Result};
use crate::cli::state::{AmplifyMeta, EnvParameters, LocalEnvInfo, ProviderInfo, TeamProviderInfo};

/// A crate whose `amplify/` folder `cargo amplify` works on.
#[derive(Debug, Clone)]
pub struct Project {
    /// The crate root (where `Cargo.toml` and `amplify/` are).
    pub root: PathBuf,
}

impl Project {
    /// The nearest ancestor of `start` with an `amplify/` folder, else the nearest with a
    /// `Cargo.toml` (synthesis creates the folder).
    pub fn find(start: &Path) -> Result<Project> {
        let start = fs::canonicalize(start).map_err(|e| CliError::io("open", start, e))?;
        if let Some(dir) = start
            .ancestors()
            .find(|d| d.join("amplify/.config/project-config.json").is_file())
        {
            return Ok(Project {
                root: dir.to_owned(),
            });
        }
        if let Some(dir) = start.ancestors().find(|d| d.join("Cargo.toml").is_file()) {
            return Ok(Project {
                root: dir.to_owned(),
            });
        }
        Err(CliError::input(format!("no Cargo project at or above `{}`", start.display()))
            .help("run cargo amplify inside the crate that declares `#[amplify::backend]`, or pass `-C <dir>`"))
    }

    /// `amplify/`.
    pub fn amplify_dir(&self) -> PathBuf {
        self.root.join("amplify")
    }

    /// `amplify/backend/`.
    pub fn backend_dir(&self) -> PathBuf {
        self.root.join("amplify/backend")
    }

    /// `amplify/#current-cloud-backend/`.
    pub fn current_cloud_backend(&self) -> PathBuf {
        self.root.join("amplify/#current-cloud-backend")
    }

    /// `amplify/team-provider-info.json`.
    pub fn team_provider_info_path(&self) -> PathBuf {
        self.root.join("amplify/team-provider-info.json")
    }

    /// `amplify/backend/amplify-meta.json`.
    pub fn meta_path(&self) -> PathBuf {
        self.root.join("amplify/backend/amplify-meta.json")
    }

    /// `amplify/.config/local-env-info.json`.
    pub fn local_env_path(&self) -> PathBuf {
        self.root.join("amplify/.config/local-env-info.json")
    }

    /// `amplify/.config/local-aws-info.json`.
    pub fn local_aws_path(&self) -> PathBuf {
        self.root.join("amplify/.config/local-aws-info.json")
    }

    /// `amplify/.config/project-config.json` (written by synthesis).
    pub fn project_config_path(&self) -> PathBuf {
        self.root.join("amplify/.config/project-config.json")
    }

    /// `project-config.json`.
    pub fn project_config(&self) -> Result<ProjectConfig> {
        let path = self.project_config_path();
        read_json(&path)?.ok_or_else(|| {
            CliError::input(format!("`{}` does not exist", path.display())).help(
                "run `cargo build` in the crate so amplify-build synthesises the amplify/ folder",
            )
        })
    }

    /// The project name from `project-config.json`.
    pub fn project_name(&self) -> Result<String> {
        Ok(self.project_config()?.project_name)
    }

    /// The environment selected on this machine (`local-env-info.json`), if any.
    pub fn current_env(&self) -> Result<Option<String>> {
        let info: Option<LocalEnvInfo> = read_json(&self.local_env_path())?;
        Ok(info.map(|i| i.env_name).filter(|e| !e.is_empty()))
    }

    /// Makes `env` the environment selected on this machine (`local-env-info.json`).
    pub fn select_env(&self, env: &str) -> Result<()> {
        let info = LocalEnvInfo {
            project_path: self.root.display().to_string(),
            default_editor: "none".into(),
            env_name: env.to_owned(),
        };
        write_json(&self.local_env_path(), &info)
    }

    /// `team-provider-info.json` (empty when missing).
    pub fn team_provider_info(&self) -> Result<TeamProviderInfo> {
        Ok(read_json(&self.team_provider_info_path())?.unwrap_or_default())
    }

    /// The per-environment values kept for `env` (`categories` in team-provider-info.json):
    /// code keys, API-key expiries, overrides of declared values.
    pub fn kept_parameters(&self, env: &str) -> Result<EnvParameters> {
        Ok(self
            .team_provider_info()?
            .0
            .get(env)
            .map(|e| e.categories.clone())
            .unwrap_or_default())
    }

    /// The CloudFormation provider's block of one env, or a clear error naming the file.
    pub fn env_provider(&self, env: &str) -> Result<ProviderInfo> {
        let tpi = self.team_provider_info()?;
        let Some(entry) = tpi.0.get(env) else {
            let known: Vec<&str> = tpi.0.keys().map(String::as_str).collect();
            return Err(CliError::input(format!(
                "environment `{env}` does not exist in `{}`",
                self.team_provider_info_path().display()
            ))
            .help(if known.is_empty() {
                "run `cargo amplify init --env <name> --yes` to create one".to_owned()
            } else {
                format!("known environments: {}; or create it with `cargo amplify init --env {env} --yes`", known.join(", "))
            }));
        };
        entry.provider().cloned().ok_or_else(|| {
            CliError::input(format!(
                "`{}`: env `{env}` has no \"{PROVIDER}\" block",
                self.team_provider_info_path().display()
            ))
        })
    }

    /// `amplify-meta.json` (empty when missing).
    pub fn meta(&self) -> Result<AmplifyMeta> {
        Ok(read_json(&self.meta_path())?.unwrap_or_default())
    }

    /// `amplify-meta.json` of the last successful push (`#current-cloud-backend`).
    pub fn deployed_meta(&self) -> Result<AmplifyMeta> {
        let path = self.current_cloud_backend().join("amplify-meta.json");
        Ok(read_json(&path)?.unwrap_or_default())
    }
}

/// Reads a JSON file into `T`; `None` when it does not exist. A syntax error or a value
/// of the wrong shape names the file, line and column.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<Option<T>> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(CliError::io("read", path, e)),
    };
    let mut reader = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut reader)
        .map(Some)
        .map_err(|e| {
            // Where in the document: `dev.awscloudformation.StackName`.
            let at = match e.path().to_string() {
                p if p.is_empty() || p == "." => String::new(),
                p => format!(" at `{p}`"),
            };
            let e = e.into_inner();
            let what = if e.is_syntax() || e.is_eof() {
                "invalid JSON"
            } else {
                "unexpected content"
            };
            CliError::input(format!(
                "`{}` line {}, column {}{at}: {what}: {}",
                path.display(),
                e.line(),
                e.column(),
                strip_position(&e.to_string())
            ))
            .help(repair_help(path))
        })
}

/// How to repair a broken state file: files under `#current-cloud-backend` are a copy
/// of the last push (git-ignored), so deleting them is safe; others may be versioned.
fn repair_help(path: &Path) -> String {
    let cache = path
        .components()
        .any(|c| c.as_os_str() == "#current-cloud-backend");
    if cache {
        format!(
            "delete `{}`: it is a local copy of the last push, restored by the next push; nothing was changed",
            path.parent().unwrap_or(path).display()
        )
    } else {
        "fix the file (or restore it from version control); nothing was changed".to_owned()
    }
}

fn strip_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

/// Writes JSON through a temp file and a rename: readers and interrupted runs see the old
/// file or the new one, never half of one.
pub fn write_json<T: Serialize + ?Sized>(path: &Path, value: &T) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value).expect("state files serialise");
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

/// Atomic write of bytes (temp file in the same folder, then rename): a reader, or a
/// command interrupted half-way, sees the old file or the new one, never part of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    amplify_build::write_atomic(path, bytes).map_err(|e| CliError::io("write", path, e))
}

/// Copies a directory tree (files only), skipping `skip` names at any depth.
pub fn copy_dir(from: &Path, to: &Path, skip: &[&str]) -> Result<()> {
    fs::create_dir_all(to).map_err(|e| CliError::io("create", to, e))?;
    let mut entries: Vec<_> = fs::read_dir(from)
        .map_err(|e| CliError::io("read", from, e))?
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let src = entry.path();
        let dst = to.join(&name);
        if src.is_dir() {
            copy_dir(&src, &dst, skip)?;
        } else {
            fs::copy(&src, &dst).map_err(|e| CliError::io("copy", &src, e))?;
        }
    }
    Ok(())
}

/// Replaces directory `target` with the contents built in `staging`, by rename.
pub fn swap_dir(staging: &Path, target: &Path) -> Result<()> {
    let old = target.with_extension("old");
    let _ = fs::remove_dir_all(&old);
    if target.exists() {
        fs::rename(target, &old).map_err(|e| CliError::io("move", target, e))?;
    }
    fs::rename(staging, target).map_err(|e| CliError::io("move", staging, e))?;
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// Every file under `dir`, as sorted relative paths.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                out.push(rel.to_owned());
            }
        }
    }
    out.sort();
    out
}

/// ISO-8601 UTC with milliseconds, as Amplify writes `lastPushTimeStamp`.
pub fn timestamp_now() -> String {
    const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    time::OffsetDateTime::now_utc()
        .format(FORMAT)
        .expect("a UTC time formats")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_of_the_wrong_type_is_reported_with_its_key_path() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("team-provider-info.json");
        fs::write(
            &p,
            "{\n  \"dev\": {\n    \"awscloudformation\": {\n      \"StackName\": 42\n    }\n  }\n}\n",
        )
        .unwrap();
        let e = read_json::<TeamProviderInfo>(&p).unwrap_err();
        assert!(
            e.message.contains(
                "team-provider-info.json` line 4, column 21 at `dev.awscloudformation.StackName`: unexpected content: invalid type: integer `42`, expected a string"
            ),
            "{}",
            e.message
        );
    }

    #[test]
    fn corrupt_json_is_reported_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("team-provider-info.json");
        fs::write(&p, "{\n  \"dev\": {,\n}").unwrap();
        let e = read_json::<serde_json::Value>(&p).unwrap_err();
        assert!(
            e.message.contains("team-provider-info.json` line 2"),
            "{}",
            e.message
        );
    }

    #[test]
    fn timestamps_are_iso_8601() {
        let t = timestamp_now();
        assert_eq!(t.len(), 24, "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T', "{t}");
        assert!(t.starts_with("20"), "{t}");
    }
}
