fn main() {
    amplify_build::Config::new()
        .category(amplify_category_queue::Queue)
        .synthesize()
        .expect("amplify backend synthesis");
}
