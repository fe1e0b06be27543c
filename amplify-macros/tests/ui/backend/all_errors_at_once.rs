#[amplify_runtime::backend]
mod backend {
    #[auth(mfa = sometimes)]
    pub struct Users;
    #[function(runtime = rust(package = "f"), memory = 64, grant(Nope = [read]))]
    pub struct F;
}
fn main() {}
