# Sourced by the build benchmarks: `make_crate DIR N` writes a crate (outside the
# workspace, on this checkout's crates as path dependencies; `$repo` must be set) whose
# backend has N resources.

# A crate whose backend has $1 resources: one auth, then tables (with an index),
# functions (each granted read/write on the table before it) and buckets in rotation.
make_crate() {
  local dir="$1" n="$2"
  mkdir -p "$dir/src"
  cat >"$dir/Cargo.toml" <<TOML
[package]
name = "bench-$n"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
amplify = { package = "amplify-runtime", path = "$repo/amplify-runtime" }

[build-dependencies]
amplify-build = { path = "$repo/amplify-build" }

[workspace]
TOML
  cp "$repo/Cargo.lock" "$dir/Cargo.lock"
  printf 'fn main() {\n    amplify_build::synthesize().expect("amplify backend synthesis");\n}\n' >"$dir/build.rs"
  python3 - "$n" >"$dir/src/main.rs" <<'PY'
import sys
n = int(sys.argv[1])
out = ["#[amplify::backend]", "pub mod backend {",
       "    #[auth(sign_in = [email], groups = [Admins], identity_pool)]", "    pub struct Users;"]
for i in range(1, n):
    kind = i % 3
    if kind == 1:
        out += [f"    #[table(partition_key = id: string, index(name = byOwner, partition_key = owner: string))]",
                f"    pub struct Table{i};"]
    elif kind == 2:
        out += [f"    #[function(runtime = rust(package = \"f{i}\"), memory = 256, grant(Table{i-1} = [read, write]))]",
                f"    pub struct Fn{i};"]
    else:
        out += [f"    #[bucket(authenticated = [read, write], groups(Admins = [read, write, delete]))]",
                f"    pub struct Bucket{i};"]
out += ["}", "", "fn main() {", "    let _ = backend::Users::user_pool_id();", "}"]
print("\n".join(out))
PY
}
