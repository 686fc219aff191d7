//! Embeds every file of `content/` into the binary, so the workbook ships inside it.
//! Adding, removing or editing a content file triggers a rebuild.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let content = Path::new(&manifest).join("content");
    println!("cargo:rerun-if-changed={}", content.display());

    let mut names: Vec<String> = fs::read_dir(&content)
        .expect("content/ exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();

    let mut out = String::from(
        "/// Every content file, by name, sorted.\npub(crate) static FILES: &[(&str, &str)] = &[\n",
    );
    for name in &names {
        let path = content.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");

    let dest =
        Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_content.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
