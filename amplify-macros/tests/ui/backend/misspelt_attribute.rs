#[amplify_runtime::backend]
mod backend {
    #[buckt(authenticated = [read])]
    pub struct Photos;
}
fn main() {}
