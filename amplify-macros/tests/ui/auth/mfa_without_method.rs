#[amplify_runtime::backend]
mod backend {
    #[auth(mfa = required)]
    pub struct Users;
}
fn main() {}
