// A third-party category's attribute without its registration in build.rs.
#[amplify_runtime::backend]
mod backend {
    #[topic(fifo = true)]
    pub struct Alerts;
}

fn main() {}
