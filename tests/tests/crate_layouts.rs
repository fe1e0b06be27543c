//! Where the backend can live, for real `cargo build`s: in a binary under `src/bin/`,
//! behind a feature (synthesised only when it is on), never twice, and resource
//! attributes outside it are reported where they are.

use amplify_tests::{exclusive, ScratchCrate};

const BUILD_RS: &str =
    "fn main() {\n    amplify_build::synthesize().expect(\"amplify backend synthesis\");\n}\n";

const BACKEND: &str = "#[amplify::backend]\npub mod backend {\n    #[table(partition_key = id: string)]\n    pub struct Notes;\n}\n";

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn table_template(krate: &ScratchCrate) -> std::path::PathBuf {
    krate
        .path()
        .join("amplify/backend/storage/Notes/build/Notes-cloudformation-template.json")
}

#[test]
fn a_backend_in_a_binary_under_src_bin_is_found() {
    let _serial = exclusive();
    let main = format!("{BACKEND}\nfn main() {{\n    let _ = backend::Notes::table_name();\n}}\n");
    let krate = ScratchCrate::custom(
        "layoutbin",
        &[("build.rs", BUILD_RS), ("src/bin/notes.rs", &main)],
        "",
    );
    let out = krate.cargo(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(table_template(&krate).is_file(), "{}", stderr(&out));
}

#[test]
fn a_backend_behind_a_feature_is_synthesised_only_with_the_feature() {
    let _serial = exclusive();
    let lib = "#[cfg(feature = \"cloud\")]\nmod cloud;\n";
    let krate = ScratchCrate::custom(
        "layoutfeature",
        &[
            ("build.rs", BUILD_RS),
            ("src/lib.rs", lib),
            ("src/cloud.rs", BACKEND),
        ],
        "[features]\ncloud = []\n",
    );
    let off = krate.cargo(&["build"]);
    assert!(off.status.success(), "{}", stderr(&off));
    assert!(
        !table_template(&krate).exists(),
        "configured out: nothing synthesised"
    );
    assert!(
        stderr(&off).contains("no #[amplify::backend] module found"),
        "{}",
        stderr(&off)
    );
    let on = krate.cargo(&["build", "--features", "cloud"]);
    assert!(on.status.success(), "{}", stderr(&on));
    assert!(table_template(&krate).is_file());
}

#[test]
fn two_backends_fail_the_build_naming_both() {
    let _serial = exclusive();
    let lib = format!(
        "{BACKEND}\n#[amplify::backend]\npub mod other {{\n    #[bucket]\n    pub struct Files;\n}}\n"
    );
    let krate = ScratchCrate::custom(
        "layouttwo",
        &[("build.rs", BUILD_RS), ("src/lib.rs", &lib)],
        "",
    );
    let out = krate.cargo(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("found two `#[amplify::backend]` modules, `backend` at ")
            && err.contains("src/lib.rs:2:9 and `other` at ")
            && err.contains("src/lib.rs:8:9; a crate declares one backend"),
        "{err}"
    );
    assert!(
        err.contains("error: layouttwo@0.1.0: amplify: found two") && !err.contains("panicked"),
        "an error of the build, not a panic: {err}"
    );
    assert!(!krate.path().join("amplify/backend").exists());
}

#[test]
fn a_resource_attribute_outside_the_backend_is_reported_where_it_is() {
    let _serial = exclusive();
    let lib = format!("{BACKEND}\n#[table(partition_key = id: string)]\npub struct Stray;\n");
    let krate = ScratchCrate::custom(
        "layoutstray",
        &[("build.rs", BUILD_RS), ("src/lib.rs", &lib)],
        "",
    );
    let out = krate.cargo(&["build"]);
    assert!(
        !out.status.success(),
        "rustc does not know the attribute there"
    );
    let err = stderr(&out);
    assert!(
        err.contains("src/lib.rs:7:1: `#[table]` declares a resource only directly inside the `#[amplify::backend]` module"),
        "{err}"
    );
    // The backend itself is still synthesised.
    assert!(table_template(&krate).is_file());
}
