#[amplify_runtime::backend]
mod backend {
    #[auth(groups = [Admins], identity_pool)]
    pub struct Users;
    #[bucket(groups(Admin = [read]))]
    pub struct Photos;
}
fn main() {}
