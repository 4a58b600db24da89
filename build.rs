//! Rebuilds when a template is added, changed or removed (include_dir does not notice new files).

fn main() {
    println!("cargo:rerun-if-changed=templates");
}
