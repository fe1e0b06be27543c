//! Every diagnostic of the declaration language has a case here, with its expected
//! compiler output in a `.stderr` file. Re-accept with `TRYBUILD=overwrite`.
//!
//! Cases are grouped by topic (`auth/`, `api/`, `rest/`, `storage/`, `function/`, `backend/`…); a
//! case file may hold several backend modules, one mistake each. Schema paths in the
//! cases are relative to the crate trybuild generates under
//! `target/tests/trybuild/amplify-macros/`, the crate root the macro sees.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    for topic in [
        "auth",
        "api",
        "storage",
        "function",
        "hosting",
        "rest",
        "interactions",
        "notifications",
        "resolvers",
        "backend",
    ] {
        t.compile_fail(format!("tests/ui/{topic}/*.rs"));
    }
}
