// Names and runtimes Lambda would refuse.
#[amplify_runtime::backend]
mod name_too_long_with_env {
    #[function(runtime = rust(package = "f"))]
    pub struct AVeryLongFunctionNameThatLambdaRefusesWithTheEnvSuffix;
}

#[amplify_runtime::backend]
mod deprecated_node {
    #[function(runtime = node(version = 20, code = "fn"))]
    pub struct F;
}

#[amplify_runtime::backend]
mod deprecated_python {
    #[function(runtime = python(version = "3.10", code = "fn"))]
    pub struct F;
}

fn main() {}
