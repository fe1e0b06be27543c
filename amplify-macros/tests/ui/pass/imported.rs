// Imported resources get the accessors of what their ids give, the identity pool's too.
#[amplify_runtime::backend]
pub mod backend {
    #[auth(import(user_pool_id = "us-east-1_abc", web_client_id = "web1", identity_pool_id = "us-east-1:pool"))]
    pub struct Users;

    #[bucket(import(name = "existing-bucket"))]
    pub struct Photos;
}

fn main() {
    assert!(backend::Users::user_pool_id().is_err());
    assert!(backend::Users::identity_pool_id().is_err());
    assert!(backend::Photos::bucket_name().is_err());
}
