//! The built-in frontends: where each wants its files.

use std::path::PathBuf;

use amplify_build::files::ProjectConfig;

use super::{extra_formats, Format, Frontend};

/// `aws-exports.js` and `amplifyconfiguration.json` under `SourceDir` (default `src`).
pub struct JavaScript;
/// `awsconfiguration.json` and `amplifyconfiguration.json` under `<ResDir>/raw`.
pub struct Android;
/// `awsconfiguration.json` and `amplifyconfiguration.json` at the project root.
pub struct Ios;
/// As iOS.
pub struct Flutter;
/// `amplify_outputs.json` for the typed config, plus any `ExtraFormats`, JavaScript ones
/// under `SourceDir` and native ones under `ResDir` (both the crate root by default).
pub struct Rust;

type Setting<'a> = &'a dyn Fn(&str) -> Option<String>;

fn dir(setting: Setting<'_>, key: &str, default: &str) -> PathBuf {
    PathBuf::from(setting(key).unwrap_or_else(|| default.to_owned()))
}

fn native_files(dir: PathBuf) -> Vec<(Format, PathBuf)> {
    vec![
        (Format::AwsConfiguration, dir.join("awsconfiguration.json")),
        (
            Format::NativeAmplifyConfiguration,
            dir.join("amplifyconfiguration.json"),
        ),
    ]
}

impl Frontend for JavaScript {
    fn name(&self) -> &'static str {
        "javascript"
    }

    fn files(&self, setting: Setting<'_>, _: &ProjectConfig) -> Vec<(Format, PathBuf)> {
        let dir = dir(setting, "SourceDir", "src");
        vec![
            (Format::AwsExports, dir.join("aws-exports.js")),
            (
                Format::JsAmplifyConfiguration,
                dir.join("amplifyconfiguration.json"),
            ),
        ]
    }
}

impl Frontend for Android {
    fn name(&self) -> &'static str {
        "android"
    }

    fn files(&self, setting: Setting<'_>, _: &ProjectConfig) -> Vec<(Format, PathBuf)> {
        native_files(dir(setting, "ResDir", "app/src/main/res").join("raw"))
    }
}

impl Frontend for Ios {
    fn name(&self) -> &'static str {
        "ios"
    }

    fn files(&self, _: Setting<'_>, _: &ProjectConfig) -> Vec<(Format, PathBuf)> {
        native_files(PathBuf::new())
    }
}

impl Frontend for Flutter {
    fn name(&self) -> &'static str {
        "flutter"
    }

    fn files(&self, _: Setting<'_>, _: &ProjectConfig) -> Vec<(Format, PathBuf)> {
        native_files(PathBuf::new())
    }
}

impl Frontend for Rust {
    fn name(&self) -> &'static str {
        "rust"
    }

    fn files(&self, setting: Setting<'_>, config: &ProjectConfig) -> Vec<(Format, PathBuf)> {
        // Unknown names were refused before any file is written (`check_extra_formats`).
        extra_formats(config)
            .unwrap_or_default()
            .into_iter()
            .map(|format| {
                let dir = match format {
                    Format::AwsExports | Format::JsAmplifyConfiguration => {
                        dir(setting, "SourceDir", ".")
                    }
                    _ => dir(setting, "ResDir", "."),
                };
                (format, dir.join(format.file_name()))
            })
            .collect()
    }
}
