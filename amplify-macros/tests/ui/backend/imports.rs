#[amplify_runtime::backend]
mod function_cannot_be_imported {
    #[function(import(name = "legacy"))]
    pub struct F;
}

#[amplify_runtime::backend]
mod import_with_settings {
    #[table(import(name = "Orders"), partition_key = id: string)]
    pub struct Orders;
}

#[amplify_runtime::backend]
mod import_without_id {
    #[auth(import(web_client_id = "abc"))]
    pub struct Staff;
}

#[amplify_runtime::backend]
mod import_unknown_key {
    #[bucket(import(bucket = "files"))]
    pub struct Files;
}

#[amplify_runtime::backend]
mod access_through_imported_auth {
    #[auth(import(user_pool_id = "us-east-1_x", web_client_id = "abc"))]
    pub struct Staff;
    #[bucket(authenticated = [read])]
    pub struct Files;
}

fn main() {}
