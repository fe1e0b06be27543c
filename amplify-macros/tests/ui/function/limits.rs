// Names Lambda would refuse. (Deprecated runtimes are refused by the build script, which
// has the build's date: tests/tests/build_script.rs.)
#[amplify_runtime::backend]
mod name_too_long_with_env {
    #[function(runtime = rust(package = "f"))]
    pub struct AVeryLongFunctionNameThatLambdaRefusesWithTheEnvSuffix;
}

fn main() {}
