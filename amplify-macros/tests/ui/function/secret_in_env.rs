#[amplify_runtime::backend]
mod backend {
    #[function(runtime = rust(package = "f"), env(DB_PASSWORD = "hunter2"))]
    pub struct F;
}
fn main() {}
