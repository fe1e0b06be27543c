#[amplify_runtime::backend]
mod backend {
    #[auth(pasword(min_length = 10))]
    pub struct Users;
}
fn main() {}
