//! The committed generated code, read back with `syn`: every file parses, carries the header,
//! and keeps the promises of the generated API (rustdoc on every public item, unknown JSON
//! properties kept, forward-compatible enums). The emitter writes text (`emit/code.rs`); this is
//! the check that the text is the Rust it means to be.

use std::path::{Path, PathBuf};

use quote::ToTokens;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Every generated file of one crate, parsed.
fn parsed(dir: &str) -> Vec<(PathBuf, syn::File)> {
    let mut files = Vec::new();
    rust_files(&root().join(dir), &mut files);
    assert!(files.len() > 10, "{dir}: only {} files", files.len());
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                text.starts_with(xtask::emit::HEADER),
                "{}: no generated-file header",
                path.display()
            );
            let file = syn::parse_file(&text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
            (path, file)
        })
        .collect()
}

fn has_doc(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn text(t: &impl ToTokens) -> String {
    t.to_token_stream().to_string()
}

/// Public items, fields, variants and inherent methods without rustdoc, as `file: name`.
fn undocumented(files: &[(PathBuf, syn::File)]) -> Vec<String> {
    let mut missing = Vec::new();
    for (path, file) in files {
        let mut miss = |what: String| missing.push(format!("{}: {what}", path.display()));
        for item in &file.items {
            match item {
                syn::Item::Struct(s) if is_pub(&s.vis) => {
                    if !has_doc(&s.attrs) {
                        miss(s.ident.to_string());
                    }
                    for f in s.fields.iter().filter(|f| is_pub(&f.vis)) {
                        if !has_doc(&f.attrs) {
                            miss(format!("{}.{}", s.ident, text(&f.ident)));
                        }
                    }
                }
                syn::Item::Enum(e) if is_pub(&e.vis) => {
                    if !has_doc(&e.attrs) {
                        miss(e.ident.to_string());
                    }
                    for v in e.variants.iter().filter(|v| !has_doc(&v.attrs)) {
                        miss(format!("{}::{}", e.ident, v.ident));
                    }
                }
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    for f in &i.items {
                        if let syn::ImplItem::Fn(f) = f {
                            if is_pub(&f.vis) && !has_doc(&f.attrs) {
                                miss(format!("{}::{}", text(&i.self_ty), f.sig.ident));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    missing
}

#[test]
fn models_parse_are_documented_and_keep_unknown_json() {
    let files = parsed("crates/graph-models/src/generated");
    assert_eq!(undocumented(&files), Vec::<String>::new());
    let (mut structs, mut enums) = (0, 0);
    for (path, file) in &files {
        for item in &file.items {
            match item {
                syn::Item::Struct(s) => {
                    structs += 1;
                    let last = s.fields.iter().last().expect("a struct has fields");
                    assert_eq!(
                        (text(&last.ident), text(&last.ty)),
                        (
                            "additional_properties".to_owned(),
                            ":: serde_json :: Map < :: std :: string :: String , :: serde_json :: Value >"
                                .to_owned()
                        ),
                        "{}: {} drops unknown properties",
                        path.display(),
                        s.ident
                    );
                    for serde_trait in ["Serialize", "Deserialize"] {
                        let kept = file.items.iter().any(|i| match i {
                            syn::Item::Impl(i) => {
                                i.trait_.as_ref().is_some_and(|(_, t, _)| {
                                    t.segments.last().is_some_and(|s| s.ident == serde_trait)
                                }) && s.ident == text(&i.self_ty)
                                    && text(i).contains("additional_properties")
                            }
                            _ => false,
                        });
                        assert!(
                            kept,
                            "{}: the {serde_trait} of {} does not keep additional_properties",
                            path.display(),
                            s.ident
                        );
                    }
                }
                syn::Item::Enum(e) => {
                    enums += 1;
                    assert!(
                        e.attrs.iter().any(|a| a.path().is_ident("non_exhaustive")),
                        "{}: {} is exhaustive",
                        path.display(),
                        e.ident
                    );
                    let unknown = e.variants.iter().last().map(text);
                    assert!(
                        unknown
                            .as_deref()
                            .is_some_and(|v| v.ends_with("Unknown (:: std :: string :: String)")),
                        "{}: {} cannot keep unknown values: {unknown:?}",
                        path.display(),
                        e.ident
                    );
                }
                _ => {}
            }
        }
    }
    assert!(
        structs > 1000 && enums > 100,
        "{structs} structs, {enums} enums"
    );
}

#[test]
fn requests_parse_and_are_documented() {
    let files = parsed("crates/graph-requests/src/generated");
    assert_eq!(undocumented(&files), Vec::<String>::new());
    let sends = files
        .iter()
        .flat_map(|(_, f)| &f.items)
        .filter_map(|i| match i {
            syn::Item::Impl(i) => Some(&i.items),
            _ => None,
        })
        .flatten()
        .filter(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "send" && f.sig.asyncness.is_some()))
        .count();
    assert!(sends > 1000, "{sends} async `send`s");
}

#[test]
fn conformance_dispatch_parses() {
    let path = root().join("crates/graph-requests/tests/conformance/generated.rs");
    let text = std::fs::read_to_string(&path).unwrap();
    let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let fns = file
        .items
        .iter()
        .filter(|i| matches!(i, syn::Item::Fn(_)))
        .count();
    assert!(fns > 1000, "{fns} functions");
}
