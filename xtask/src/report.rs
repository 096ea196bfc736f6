//! The machine-readable report of a run: per page, what it yielded and its diagnostics.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::ApiModel;

#[derive(Serialize)]
struct Report<'a> {
    pages: usize,
    operations: BTreeMap<&'a str, usize>,
    types: BTreeMap<&'a str, usize>,
    diagnostics_by_kind: BTreeMap<&'static str, usize>,
    coverage: crate::model::coverage::Coverage,
    per_page: Vec<PageEntry<'a>>,
}

#[derive(Serialize)]
struct PageEntry<'a> {
    file: &'a str,
    version: &'a str,
    kind: &'a str,
    operations: &'a [String],
    types: &'a [String],
    diagnostics: Vec<&'a Diagnostic>,
}

/// The report as pretty JSON.
pub fn json(model: &ApiModel) -> anyhow::Result<String> {
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in &model.diagnostics {
        by_file.entry(&d.span.file).or_default().push(d);
    }
    let report = Report {
        pages: model.pages.len(),
        operations: model
            .versions
            .iter()
            .map(|(v, m)| (v.as_str(), m.operations.len()))
            .collect(),
        types: model
            .versions
            .iter()
            .map(|(v, m)| (v.as_str(), m.types.len()))
            .collect(),
        coverage: crate::model::coverage::Coverage::of(model),
        diagnostics_by_kind: crate::diag::counts(&model.diagnostics)
            .into_iter()
            .map(|(k, n)| (k.as_str(), n))
            .collect(),
        per_page: model
            .pages
            .iter()
            .map(|p| PageEntry {
                file: &p.file,
                version: &p.version,
                kind: &p.kind,
                operations: &p.operations,
                types: &p.types,
                diagnostics: by_file.remove(p.file.as_str()).unwrap_or_default(),
            })
            .collect(),
    };
    Ok(serde_json::to_string_pretty(&report)?)
}
