fn main() {
    amplify_build::synthesize().expect("amplify backend synthesis");
}
