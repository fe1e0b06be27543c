#[amplify_runtime::backend]
mod backend {
    #[auth(sign_in = [mail])]
    pub struct Users;
}
fn main() {}
