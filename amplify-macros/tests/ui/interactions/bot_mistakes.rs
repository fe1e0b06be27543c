// One mistake per backend module.

#[amplify_runtime::backend]
mod no_intents {
    #[auth(sign_in = [email], identity_pool)]
    pub struct Users;

    #[bot(locale = "en_US")]
    pub struct Helper;
}

#[amplify_runtime::backend]
mod unknown_locale {
    #[auth(sign_in = [email], identity_pool)]
    pub struct Users;

    #[bot(locale = "en_UK", intent(name = Hello, utterances = ["hello"]))]
    pub struct Helper;
}

#[amplify_runtime::backend]
mod utterance_names_a_missing_slot {
    #[auth(sign_in = [email], identity_pool)]
    pub struct Users;

    #[bot(intent(
        name = OrderTea,
        utterances = ["order {Flavour} tea"],
        slot(name = Flavor, values = ["green"], prompt = "Which?"),
    ))]
    pub struct Helper;
}

#[amplify_runtime::backend]
mod unknown_slot_type {
    #[auth(sign_in = [email], identity_pool)]
    pub struct Users;

    #[bot(intent(
        name = Book,
        utterances = ["book for {When}"],
        slot(name = When, type = "AMAZON.Dat", prompt = "When?"),
    ))]
    pub struct Helper;
}

#[amplify_runtime::backend]
mod slot_without_prompt {
    #[auth(sign_in = [email], identity_pool)]
    pub struct Users;

    #[bot(intent(name = Book, utterances = ["book"], slot(name = When, type = "AMAZON.Date")))]
    pub struct Helper;
}

#[amplify_runtime::backend]
mod intent_without_utterances {
    #[auth(sign_in = [email], identity_pool)]
    pub struct Users;

    #[bot(intent(name = Book))]
    pub struct Helper;
}

#[amplify_runtime::backend]
mod bot_without_identity_pool {
    #[auth(sign_in = [email])]
    pub struct Users;

    #[bot(intent(name = Hello, utterances = ["hello"]))]
    pub struct Helper;
}

#[amplify_runtime::backend]
mod fulfilled_by_a_table {
    #[auth(sign_in = [email], identity_pool)]
    pub struct Users;

    #[table(partition_key = id: string)]
    pub struct Orders;

    #[bot(function = Orders, intent(name = Hello, utterances = ["hello"]))]
    pub struct Helper;
}

#[amplify_runtime::backend]
mod intent_name_with_a_space {
    #[auth(sign_in = [email], identity_pool)]
    pub struct Users;

    #[bot(intent(name = "Order tea", utterances = ["hello"]))]
    pub struct Helper;
}

fn main() {}
