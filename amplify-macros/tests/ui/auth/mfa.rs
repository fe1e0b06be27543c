#[amplify_runtime::backend]
mod off_with_methods {
    #[auth(mfa = off(totp))]
    pub struct Users;
}

#[amplify_runtime::backend]
mod empty_methods {
    #[auth(mfa = optional())]
    pub struct Users;
}

#[amplify_runtime::backend]
mod unknown_method {
    #[auth(mfa = optional(email))]
    pub struct Users;
}

#[amplify_runtime::backend]
mod not_a_mode {
    #[auth(mfa = 3)]
    pub struct Users;
}

#[amplify_runtime::backend]
mod misspelt_mode {
    #[auth(mfa = optinal(totp))]
    pub struct Users;
}

fn main() {}
