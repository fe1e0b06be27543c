//! Where the credentials of a run come from, checked before the SDK is asked for them, so
//! that a mistake is named by the flag or profile that made it — not reported later as
//! "no AWS credentials found".

use std::borrow::Cow;

use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};

use crate::cli::error::{CliError, Result};

/// Where the profile of a run was named.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ProfileOrigin {
    /// `--profile` (or none at all).
    #[default]
    Flag,
    /// Recorded for an environment by `configure --use-profile` (or `init --profile`).
    Recorded(String),
    /// The profile `configure --use-profile` is about to record.
    Configuring,
}

impl std::fmt::Display for ProfileOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProfileOrigin::Flag => f.write_str("given with `--profile`"),
            ProfileOrigin::Recorded(env) => write!(
                f,
                "recorded for environment `{env}` in amplify/.config/local-aws-info.json"
            ),
            ProfileOrigin::Configuring => f.write_str("given with `--use-profile`"),
        }
    }
}

/// `--role-arn` names an IAM role: `arn:<partition>:iam::<account>:role/<name>`.
pub fn check_role_arn(arn: &str) -> Result<()> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let problem = match parts.as_slice() {
        ["arn", partition, "iam", "", account, resource] => {
            if !matches!(*partition, "aws" | "aws-cn" | "aws-us-gov") {
                Some(format!("`{partition}` is not an AWS partition"))
            } else if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
                Some(format!("`{account}` is not a 12-digit account id"))
            } else if !resource.starts_with("role/") || resource.len() == "role/".len() {
                Some(format!("`{resource}` is not a role (`role/<name>`)"))
            } else {
                None
            }
        }
        ["arn", _, service, ..] if *service != "iam" => {
            Some(format!("it is an ARN of `{service}`, not of an IAM role"))
        }
        _ => Some("it is not an ARN".to_owned()),
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(CliError::input(format!(
            "`--role-arn {arn}` does not name an IAM role: {problem}"
        ))
        .help("pass the deployment role of the target account, e.g. `--role-arn arn:aws:iam::123456789012:role/amplify-deploy`")),
    }
}

/// The profile exists in the shared config or credentials file.
pub async fn check_profile(name: &str, origin: &ProfileOrigin) -> Result<()> {
    let files = EnvConfigFiles::default();
    let loaded = aws_config::profile::load(
        &Fs::real(),
        &Env::real(),
        &files,
        Some(Cow::Owned(name.to_owned())),
    )
    .await;
    let profiles = match loaded {
        Ok(set) if set.get_profile(name).is_some() => return Ok(()),
        Ok(set) => set.profiles().map(ToOwned::to_owned).collect::<Vec<_>>(),
        Err(e) => {
            return Err(CliError::input(format!(
                "cannot read the AWS config files for profile `{name}` ({origin}): {e}"
            ))
            .help("fix the file named above, or use another profile"))
        }
    };
    let known: Vec<&str> = profiles.iter().map(String::as_str).collect();
    let hint = match amplify_build::decl::diagnostics::did_you_mean(name, &known) {
        Some(close) => format!("did you mean `{close}`?"),
        None if known.is_empty() => {
            "no profile is defined; run `aws configure --profile <name>`".to_owned()
        }
        None => format!("the defined ones are {}", known.join(", ")),
    };
    Err(CliError::input(format!(
        "AWS profile `{name}` ({origin}) is not defined in ~/.aws/config or ~/.aws/credentials"
    ))
    .help(hint))
}

/// Says which credentials are used when a profile was named while keys are also set in
/// the environment: the SDK's chain takes the environment's first.
pub fn note_environment_keys_win(profile: &str, origin: &ProfileOrigin) {
    if std::env::var_os("AWS_ACCESS_KEY_ID").is_some() {
        eprintln!(
            "note: AWS_ACCESS_KEY_ID is set, so those credentials are used, not profile `{profile}` ({origin}); unset them to use the profile"
        );
    }
}
