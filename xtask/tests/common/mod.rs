#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use xtask::diag::{Diagnostic, Diagnostics};
use xtask::model::{self, ApiModel};
use xtask::parse::{self, Page};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Parses one file as a page of `version`, shown as `shown`.
pub fn parse_file(path: &Path, shown: &str, version: &str) -> (Page, Diagnostics) {
    let text = std::fs::read_to_string(path).unwrap();
    let file: Arc<str> = shown.into();
    parse::parse_page(&file, version, &text)
}

/// Parses and models several files together.
pub fn model_of(files: &[(&Path, &str, &str)]) -> ApiModel {
    let mut pages = Vec::new();
    let mut diags = Diagnostics::default();
    for (path, shown, version) in files {
        let (p, d) = parse_file(path, shown, version);
        pages.push(p);
        diags.extend(d);
    }
    model::build(pages, diags)
}

pub fn diagnostics_of<'a>(model: &'a ApiModel, file: &str) -> Vec<&'a Diagnostic> {
    model
        .diagnostics
        .iter()
        .filter(|d| &*d.span.file == file)
        .collect()
}

/// All generated files of a model as one text, for snapshots.
pub fn generated_text(model: &ApiModel) -> String {
    let out = xtask::emit::emit(model).unwrap();
    let mut s = String::new();
    for (name, sink) in [
        ("graph-models", &out.models),
        ("graph-requests", &out.requests),
    ] {
        for (path, text) in &sink.files {
            s.push_str(&format!("==== {name}/{}\n{text}\n", path));
        }
    }
    s
}
