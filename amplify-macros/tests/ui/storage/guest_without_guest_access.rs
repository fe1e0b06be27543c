#[amplify_runtime::backend]
mod backend {
    #[auth(identity_pool)]
    pub struct Users;
    #[bucket(guest = [read])]
    pub struct Photos;
}
fn main() {}
