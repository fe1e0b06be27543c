//! `cargo amplify pull` (outputs of the deployed stacks into `amplify-meta.json` and the
//! client files, without a push), `generate outputs` (client files from local state) and
//! `config import-cdk-outputs` (CDK stack outputs into the same configuration).

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::aws::{self, AwsSettings};
use super::error::{CliError, Result};
use super::frontend::{self, Format, Inputs};
use super::project::{provider_value, read_json, write_json, Project};
use super::stack::Stacks;

/// Runs `pull`.
pub async fn pull(project: &Project, settings: &AwsSettings, env: Option<&str>) -> Result<()> {
    let env = project.resolve_env(env)?;
    let provider = project.env_provider(&env)?;
    let stack = provider_value(&provider, "StackName")?;
    let aws = aws::connect(settings).await?;
    let (root, outputs) = Stacks::new(&aws).outputs(&stack).await?;

    // Rebuilt from the declaration and the stacks, so it also works on a fresh clone.
    let backend_config = project.backend_config()?;
    let previous = project.meta()?;
    let mut provider = provider.clone();
    for (k, v) in &root.outputs {
        provider.insert(k.clone(), json!(v));
    }
    let mut meta = Map::new();
    meta.insert("providers".into(), json!({ "awscloudformation": provider }));
    for (category, entries) in &backend_config {
        let Some(entries) = entries.as_object() else {
            continue;
        };
        if category == "parameters" {
            continue;
        }
        for (name, entry) in entries {
            let mut entry = entry.as_object().cloned().unwrap_or_default();
            if let Some(old) = previous
                .get(category)
                .and_then(|c| c.get(name))
                .and_then(Value::as_object)
            {
                for key in [
                    "providerMetadata",
                    "lastPushTimeStamp",
                    "lastPushDirHash",
                    "s3Bucket",
                    "distZipFilename",
                ] {
                    if let Some(v) = old.get(key) {
                        entry.insert(key.into(), v.clone());
                    }
                }
            }
            let logical = format!("{category}{name}");
            if let Some(values) = outputs.get(&logical) {
                let mut output = entry
                    .get("output")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                for (k, v) in values {
                    output.insert(k.clone(), json!(v));
                }
                entry.insert("output".into(), Value::Object(output));
            }
            meta.entry(category.clone())
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
                .expect("categories are objects")
                .insert(name.clone(), Value::Object(entry));
        }
    }
    write_json(&project.meta_path(), &Value::Object(meta))?;
    let written = frontend::write_frontend(project, &env)?;
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    eprintln!(
        "Pulled the outputs of `{stack}`; client configuration written: {}",
        names.join(", ")
    );
    Ok(())
}

/// Runs `generate outputs`: one format, from local state, into `out_dir`.
pub fn generate(
    project: &Project,
    env: Option<&str>,
    format: &str,
    out_dir: Option<&Path>,
) -> Result<PathBuf> {
    let env = project.resolve_env(env)?;
    let meta = project.meta()?;
    let name = project.project_name()?;
    let cdk = frontend::cdk_outputs(project)?;
    let inputs = Inputs {
        meta: &meta,
        project: &name,
        env: &env,
        cdk: &cdk,
    };
    let (format, file) = match format {
        "amplify-outputs" => (Format::AmplifyOutputs, "amplify_outputs.json"),
        "aws-exports" => (Format::AwsExports, "aws-exports.js"),
        "amplifyconfiguration" => (Format::JsAmplifyConfiguration, "amplifyconfiguration.json"),
        "awsconfiguration" => (Format::AwsConfiguration, "awsconfiguration.json"),
        "native-amplifyconfiguration" => (Format::NativeAmplifyConfiguration, "amplifyconfiguration.json"),
        other => {
            return Err(CliError::input(format!("unknown format `{other}`"))
                .help("use amplify-outputs, aws-exports, amplifyconfiguration, awsconfiguration or native-amplifyconfiguration"))
        }
    };
    let dir = out_dir
        .map(Path::to_owned)
        .unwrap_or_else(|| project.root.clone());
    let path = dir.join(file);
    frontend::write_format(&inputs, format, &path)?;
    eprintln!("Wrote {}", path.display());
    Ok(path)
}

/// Runs `config import-cdk-outputs <file>`: merges the stacks of a CDK outputs file into
/// `amplify/backend/cdk-outputs.json` and regenerates the client configuration.
pub fn import_cdk_outputs(project: &Project, env: Option<&str>, file: &Path) -> Result<()> {
    let value = read_json(file)?.ok_or_else(|| {
        CliError::input(format!("`{}` does not exist", file.display()))
            .help("pass the file written by `cdk deploy --outputs-file <file>`")
    })?;
    let stacks = frontend::validate_cdk_outputs(file, &value)?;
    let mut merged = frontend::cdk_outputs(project)?;
    for (stack, outputs) in stacks {
        merged.insert(stack, outputs);
    }
    write_json(&frontend::cdk_outputs_path(project), &Value::Object(merged))?;
    let env = project.resolve_env(env)?;
    let written = frontend::write_frontend(project, &env)?;
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    eprintln!(
        "Imported the CDK outputs of `{}`; client configuration written: {}",
        file.display(),
        names.join(", ")
    );
    Ok(())
}
