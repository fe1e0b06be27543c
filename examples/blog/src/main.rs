//! The blog app. It prints the resources its backend declares; once deployed, it reads
//! their outputs from the typed configuration.

mod cloud;

use cloud::backend::{BlogApi, BlogAuth, Photos, PostTable, PostsFn};

fn main() {
    for (category, name) in [
        (BlogAuth::CATEGORY, BlogAuth::RESOURCE_NAME),
        (BlogApi::CATEGORY, BlogApi::RESOURCE_NAME),
        (PostTable::CATEGORY, PostTable::RESOURCE_NAME),
        (PostsFn::CATEGORY, PostsFn::RESOURCE_NAME),
        (Photos::CATEGORY, Photos::RESOURCE_NAME),
    ] {
        println!("{category:<10} {name}");
    }
}
