fn main() {
    amplify_build::Config::new()
        .category(amplify_category_queue::Queue)
        .category(amplify_category_seed::SeededTable)
        .synthesize()
        .expect("amplify backend synthesis");
}
