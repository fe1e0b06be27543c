#[amplify_runtime::backend]
mod no_auth {
    #[bucket(authenticated = [read])]
    pub struct Photos;
}

#[amplify_runtime::backend]
mod no_identity_pool {
    #[auth]
    pub struct Users;
    #[bucket(authenticated = [read])]
    pub struct Photos;
}

#[amplify_runtime::backend]
mod group_without_identity_pool {
    #[auth(groups = [Admins])]
    pub struct Users;
    #[bucket(groups(Admins = [read]))]
    pub struct Photos;
}

#[amplify_runtime::backend]
mod permission_twice {
    #[auth(identity_pool)]
    pub struct Users;
    #[bucket(authenticated = [read, read])]
    pub struct Photos;
}

#[amplify_runtime::backend]
mod unknown_permission {
    #[auth(identity_pool)]
    pub struct Users;
    #[bucket(authenticated = [list])]
    pub struct Photos;
}

#[amplify_runtime::backend]
mod versioning_not_bool {
    #[bucket(versioning = 1)]
    pub struct Photos;
}

#[amplify_runtime::backend]
mod name_too_long {
    #[bucket(name = "PhotosOfEveryEventEverHeldByTheCompanyAndItsSubsidiariesWorldwide")]
    pub struct Photos;
}

fn main() {}
