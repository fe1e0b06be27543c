#[amplify_runtime::backend]
mod backend {
    #[function(runtime = rust(package = "f"), env(AWS_REGION = "eu-west-1"))]
    pub struct F;
}
fn main() {}
