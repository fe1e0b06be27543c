// One mistake per backend module.

#[amplify_runtime::backend]
mod no_channel {
    #[notifications()]
    pub struct Notices;
}

#[amplify_runtime::backend]
mod sender_not_an_address {
    #[notifications(email(from = "orders"))]
    pub struct Notices;
}

#[amplify_runtime::backend]
mod identity_of_another_domain {
    #[notifications(email(from = "orders@shop.example", identity = "other.example"))]
    pub struct Notices;
}

#[amplify_runtime::backend]
mod secret_written_in_the_declaration {
    #[notifications(push(fcm(service_json_from = "{\"type\": \"service_account\"}")))]
    pub struct Notices;
}

#[amplify_runtime::backend]
mod apns_without_key_variable {
    #[notifications(push(apns(bundle_id = "com.example.app", team_id = "ABCDE12345", key_id = "ABC123DEFG")))]
    pub struct Notices;
}

#[amplify_runtime::backend]
mod team_id_too_short {
    #[notifications(push(apns(bundle_id = "com.example.app", team_id = "ABC", key_id = "ABC123DEFG", key_from = "APNS_KEY")))]
    pub struct Notices;
}

#[amplify_runtime::backend]
mod push_without_platform {
    #[notifications(push())]
    pub struct Notices;
}

#[amplify_runtime::backend]
mod misspelt_channel {
    #[notifications(emial(from = "orders@shop.example"))]
    pub struct Notices;
}

fn main() {}
