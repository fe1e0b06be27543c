// Integers with a unit suffix are refused, not read as the bare number.
#[amplify_runtime::backend]
mod minutes {
    #[function(runtime = rust(package = "f"), timeout = 5m)]
    pub struct F;
}

#[amplify_runtime::backend]
mod megabytes {
    #[function(runtime = rust(package = "f"), memory = 512mb)]
    pub struct F;
}

#[amplify_runtime::backend]
mod gigabytes {
    #[function(runtime = rust(package = "f"), memory = 1gb)]
    pub struct F;
}

#[amplify_runtime::backend]
mod count {
    #[function(runtime = rust(package = "f"), reserved_concurrency = 5u8)]
    pub struct F;
}

#[amplify_runtime::backend]
mod float_for_string {
    #[function(runtime = python(version = 3.12, code = "fn"))]
    pub struct F;
}

fn main() {}
