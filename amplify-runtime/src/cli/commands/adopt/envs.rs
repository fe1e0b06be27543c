//! The Gen 1 project's environments, carried into the adopting crate: each environment's
//! root stack and deployment bucket (`team-provider-info.json`), the project's name, and
//! the current environment. A push then updates the stacks Gen 1 deployed — with the
//! resources' physical names kept, in place — rather than creating new ones beside them.

use std::path::Path;

use crate::cli::error::Result;
use crate::cli::state::project::{read_json, write_json, Project};
use crate::cli::state::TeamProviderInfo;

use super::Adoption;

/// Writes the environments of the Gen 1 project whose `amplify/` folder is `gen1_amplify`
/// into `project`, unless it has environments of its own (then they are left alone and
/// said so). Returns the environment made current.
pub(super) fn adopt_environments(
    project: &Project,
    gen1_amplify: &Path,
    adoption: &mut Adoption,
) -> Result<Option<String>> {
    let Some(mut tpi) =
        read_json::<TeamProviderInfo>(&gen1_amplify.join("team-provider-info.json"))?
    else {
        return Ok(None);
    };
    if project.team_provider_info_path().exists() {
        adoption.left.push((
            "environments".into(),
            "not adopted: `amplify/team-provider-info.json` exists in this crate; register the Gen 1 environments with `cargo amplify env import --name <env> --stack-name <root stack>`".into(),
        ));
        return Ok(None);
    }
    // Gen 1 keeps per-resource values there (a function's last code key) that belong to
    // its own build, not to the adopted declaration.
    for entry in tpi.0.values_mut() {
        entry.categories.clear();
    }
    let Some(first) = tpi.0.keys().next().cloned() else {
        return Ok(None);
    };
    write_json(&project.team_provider_info_path(), &tpi)?;
    adoption
        .written
        .push("amplify/team-provider-info.json".into());
    let config = gen1_amplify.join(".config/project-config.json");
    if config.is_file() && !project.project_config_path().exists() {
        let text = std::fs::read(&config)
            .map_err(|e| crate::cli::error::CliError::io("read", &config, e))?;
        crate::cli::state::project::write_atomic(&project.project_config_path(), &text)?;
        adoption
            .written
            .push("amplify/.config/project-config.json".into());
    }
    project.select_env(&first)?;
    Ok(Some(first))
}
