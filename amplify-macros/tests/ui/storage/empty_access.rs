#[amplify_runtime::backend]
mod backend {
    #[auth(sign_in = [email], identity_pool)]
    pub struct Users;
    #[bucket(authenticated = [])]
    pub struct Photos;
}

fn main() {}
