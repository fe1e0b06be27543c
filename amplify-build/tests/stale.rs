//! Removing a resource from the declaration removes its generated folder, but never a
//! file synthesis did not write.

use std::fs;

use amplify_build::Config;

fn write_backend(dir: &std::path::Path, resources: &str) {
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::write(
        dir.join("src/lib.rs"),
        format!("#[amplify::backend]\nmod backend {{\n{resources}\n}}\n"),
    )
    .unwrap();
}

#[test]
fn undeclared_resources_lose_their_generated_folder() {
    let dir = tempfile::tempdir().unwrap();
    let table = "#[table(partition_key = id: string)] pub struct Posts;";
    let function = "#[function(runtime = rust(package = \"f\"))] pub struct Worker;";
    write_backend(dir.path(), &format!("{table}\n{function}"));
    Config::new()
        .project_name("stale")
        .synthesize_in(dir.path())
        .unwrap();
    let worker = dir.path().join("amplify/backend/function/Worker");
    assert!(worker.join("Worker-cloudformation-template.json").is_file());

    write_backend(dir.path(), table);
    let report = Config::new()
        .project_name("stale")
        .synthesize_in(dir.path())
        .unwrap();
    assert!(!worker.exists(), "the Worker folder should be gone");
    assert!(!dir.path().join("amplify/backend/function").exists());
    assert_eq!(report.removed, vec![worker]);
    let config =
        fs::read_to_string(dir.path().join("amplify/backend/backend-config.json")).unwrap();
    assert!(!config.contains("Worker"));
    assert!(dir
        .path()
        .join("amplify/backend/storage/Posts/build/parameters.json")
        .is_file());
}

#[test]
fn a_stale_folder_with_user_files_is_kept_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    write_backend(
        dir.path(),
        "#[table(partition_key = id: string)] pub struct Posts;\n#[bucket] pub struct Files;",
    );
    Config::new()
        .project_name("stale")
        .synthesize_in(dir.path())
        .unwrap();
    let files = dir.path().join("amplify/backend/storage/Files");
    fs::write(files.join("notes.txt"), "mine").unwrap();

    write_backend(
        dir.path(),
        "#[table(partition_key = id: string)] pub struct Posts;",
    );
    let report = Config::new()
        .project_name("stale")
        .synthesize_in(dir.path())
        .unwrap();
    assert_eq!(fs::read_to_string(files.join("notes.txt")).unwrap(), "mine");
    assert!(
        !files.join("build").exists(),
        "generated files are still removed"
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("storage/Files") && w.contains("did not write")),
        "{:?}",
        report.warnings
    );
}
