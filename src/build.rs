//! The default dictionaries, rule packs and templates are embedded in the
//! binary; rebuild whenever anything under `dictionaries/` changes (a new
//! file included — the embedding macro alone does not notice added files).

fn main() {
    println!("cargo:rerun-if-changed=dictionaries");
}
