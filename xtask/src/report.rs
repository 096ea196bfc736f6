//! The machine-readable report of a run: per page, what it yielded and its diagnostics.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::conformance::Conformance;
use crate::diag::Diagnostic;
use crate::model::ApiModel;

#[derive(Serialize)]
struct Report<'a> {
    pages: usize,
    operations: BTreeMap<&'a str, usize>,
    types: BTreeMap<&'a str, usize>,
    diagnostics_by_kind: BTreeMap<&'static str, usize>,
    coverage: crate::model::coverage::Coverage,
    #[serde(skip_serializing_if = "Option::is_none")]
    conformance: Option<ConformanceEntry<'a>>,
    per_page: Vec<PageEntry<'a>>,
}

#[derive(Serialize)]
struct ConformanceEntry<'a> {
    found: &'a BTreeMap<String, usize>,
    usable: BTreeMap<&'a str, usize>,
    skipped_by_reason: BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
struct PageSkip<'a> {
    example: &'a str,
    line: u32,
    reason: crate::conformance::SkipReason,
    detail: &'a str,
}

#[derive(Serialize)]
struct PageEntry<'a> {
    file: &'a str,
    version: &'a str,
    kind: &'a str,
    operations: &'a [String],
    types: &'a [String],
    diagnostics: Vec<&'a Diagnostic>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    conformance_skips: Vec<PageSkip<'a>>,
}

/// The report as pretty JSON; with the conformance figures and, per page, its skipped examples.
pub fn json(model: &ApiModel, conformance: Option<&Conformance>) -> anyhow::Result<String> {
    let mut skips: BTreeMap<&str, Vec<PageSkip>> = BTreeMap::new();
    for s in conformance.map_or(&[][..], |c| &c.skips) {
        skips.entry(&s.source.file).or_default().push(PageSkip {
            example: &s.id,
            line: s.source.line,
            reason: s.reason,
            detail: &s.detail,
        });
    }
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
        conformance: conformance.map(|c| ConformanceEntry {
            found: &c.found,
            usable: {
                let mut m = BTreeMap::new();
                for case in &c.cases {
                    *m.entry(case.version.as_str()).or_insert(0) += 1;
                }
                m
            },
            skipped_by_reason: c
                .skip_counts()
                .into_iter()
                .map(|(r, n)| (r.as_str(), n))
                .collect(),
        }),
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
                conformance_skips: skips.remove(p.file.as_str()).unwrap_or_default(),
            })
            .collect(),
    };
    Ok(serde_json::to_string_pretty(&report)?)
}
