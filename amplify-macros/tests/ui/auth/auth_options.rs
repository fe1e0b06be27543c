#[amplify_runtime::backend]
mod password_too_short {
    #[auth(password(min_length = 5))]
    pub struct Users;
}

#[amplify_runtime::backend]
mod password_not_a_list {
    #[auth(password = 10)]
    pub struct Users;
}

#[amplify_runtime::backend]
mod password_flag_with_arguments {
    #[auth(password(numbers(2)))]
    pub struct Users;
}

#[amplify_runtime::backend]
mod group_twice {
    #[auth(groups = [Admins, Admins])]
    pub struct Users;
}

#[amplify_runtime::backend]
mod group_name_with_underscore {
    #[auth(groups = [team_leads])]
    pub struct Users;
}

#[amplify_runtime::backend]
mod group_as_string {
    #[auth(groups = ["Admins"])]
    pub struct Users;
}

#[amplify_runtime::backend]
mod attribute_twice {
    #[auth(required_attributes = [email, email])]
    pub struct Users;
}

#[amplify_runtime::backend]
mod unknown_attribute {
    #[auth(required_attributes = [emial])]
    pub struct Users;
}

#[amplify_runtime::backend]
mod no_sign_in {
    #[auth(sign_in = [])]
    pub struct Users;
}

#[amplify_runtime::backend]
mod identity_pool_key {
    #[auth(identity_pool(guests = true))]
    pub struct Users;
}

#[amplify_runtime::backend]
mod guest_access_not_bool {
    #[auth(identity_pool(guest_access = "yes"))]
    pub struct Users;
}

fn main() {}
