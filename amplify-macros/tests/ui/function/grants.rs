// Grants that would deploy a broken or duplicated policy, or shadow a grant's variable.
#[amplify_runtime::backend]
mod empty {
    #[table(partition_key = id: string)]
    pub struct Notes;
    #[function(runtime = rust(package = "f"), grant(Notes = []))]
    pub struct F;
}

#[amplify_runtime::backend]
mod permission_twice {
    #[table(partition_key = id: string)]
    pub struct Notes;
    #[function(runtime = rust(package = "f"), grant(Notes = [read, read]))]
    pub struct F;
}

#[amplify_runtime::backend]
mod target_twice {
    #[table(partition_key = id: string)]
    pub struct Notes;
    #[function(runtime = rust(package = "f"), grant(Notes = [read], Notes = [write]))]
    pub struct F;
}

#[amplify_runtime::backend]
mod shadowed_variable {
    #[table(partition_key = id: string)]
    pub struct Notes;
    #[function(runtime = rust(package = "f"), grant(Notes = [read]), env(STORAGE_NOTES_NAME = "mine"))]
    pub struct F;
}

fn main() {}
