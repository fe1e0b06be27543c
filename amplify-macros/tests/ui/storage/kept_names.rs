#[amplify_runtime::backend]
mod bucket_name_upper_case {
    #[bucket(bucket_name = "RefAppBucket")]
    pub struct B;
}

#[amplify_runtime::backend]
mod bucket_name_too_long {
    #[bucket(bucket_name = "a-bucket-name-so-long-that-its-suffixes-pass-sixty-three")]
    pub struct B;
}

#[amplify_runtime::backend]
mod table_name_empty {
    #[table(partition_key = id: string, table_name = "")]
    pub struct T;
}

#[amplify_runtime::backend]
mod table_name_not_a_string {
    #[table(partition_key = id: string, table_name = notes)]
    pub struct T;
}

#[amplify_runtime::backend]
mod user_pool_name_with_slash {
    #[auth(sign_in = [email], user_pool_name = "pool/one")]
    pub struct A;
}

#[amplify_runtime::backend]
mod identity_pool_name_with_dash {
    #[auth(sign_in = [email], identity_pool(name = "id-pool"))]
    pub struct A;
}

fn main() {}
