//! Conformance cases from hand-made example pages: which examples become cases, with which
//! values, and why the others are skipped.

mod common;

use std::path::Path;

use xtask::conformance::{self, SkipReason};

fn model() -> xtask::model::ApiModel {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance-fixtures");
    let api = dir.join("widget-update.md");
    let resource = dir.join("widget.md");
    common::model_of(&[
        (&api, "v1.0/api/widget-update.md", "v1.0"),
        (&resource, "v1.0/resources/widget.md", "v1.0"),
    ])
}

#[test]
fn examples_become_cases_or_named_skips() {
    let model = model();
    let conf = conformance::extract(&model);
    assert_eq!(conf.found["v1.0"], 6);

    let ids: Vec<&str> = conf.cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "v1.0/widget-update/update_widget_placeholders",
            "v1.0/widget-update/update_widget_wrong_type"
        ]
    );

    // Placeholders in the path are values; the matching path variant is chosen.
    let c = &conf.cases[0];
    assert_eq!(c.path, 1);
    assert_eq!(c.params, ["{id}", "{widget-id}"]);
    assert_eq!(c.query, [("$select".to_owned(), "name".to_owned())]);
    assert_eq!(c.headers, [("If-Match".to_owned(), "W/\"1\"".to_owned())]);
    assert_eq!(c.expect.path, "/v1.0/users/{id}/widgets/{widget-id}");
    assert_eq!(c.expect.method, "PATCH");
    assert_eq!(c.body.as_ref().unwrap()["name"], "w1");
    assert_eq!(c.response.status, 200);
    assert_eq!(c.response.body.as_ref().unwrap()["id"], "1");
    // A truncated response with a JSON body is still usable.
    assert_eq!(c.finding, None);

    // A wrong value type is a finding (a docs error). (An OData option that only the example
    // uses is taken as supported: the model adds the options the examples use.)
    let finding = conf.cases[1].finding.as_deref().unwrap();
    assert!(
        finding.contains("a string at `/size`, the documented type is `Int32`"),
        "{finding}"
    );
    assert!(conf
        .diagnostics
        .iter()
        .any(|d| d.kind.as_str() == "example-mismatch" && d.message.contains("/size")));

    let skips: Vec<(&str, SkipReason)> = conf
        .skips
        .iter()
        .map(|s| (s.id.as_str(), s.reason))
        .collect();
    assert_eq!(
        skips,
        [
            (
                "v1.0/widget-update/update_widget_elsewhere",
                SkipReason::UnresolvablePath
            ),
            (
                "v1.0/widget-update/update_widget_placeholder_value",
                SkipReason::PlaceholderValue
            ),
            (
                "v1.0/widget-update/update_widget_text",
                SkipReason::NonJsonBody
            ),
            (
                "v1.0/widget-update/update_widget_truncated",
                SkipReason::Truncated
            ),
        ]
    );
    // The unresolvable path is a docs error with a diagnostic at the example.
    assert!(conf.diagnostics.iter().any(|d| d
        .message
        .contains("`/groups/g1/widgets/1` matches none of the documented paths")));
    assert!(
        conf.summary()
            .contains("conformance v1.0: 6 examples, 2 usable, 4 skipped"),
        "{}",
        conf.summary()
    );
}

#[test]
fn dispatch_uses_the_generated_names() {
    let model = model();
    let out = xtask::emit::emit(&model).unwrap();
    assert_eq!(out.cases.cases.len(), 2);
    let generated = &out.conformance.files["generated.rs"];
    assert!(generated.starts_with(xtask::emit::HEADER));
    for expected in [
        ".widgets()",
        ".update_widget(",
        "graph_requests::v1::widgets::UpdateWidgetPath::users_widgets(",
        "case.param(1)?",
        "\"$select\" => b.select(v)",
        "case.header(\"If-Match\")",
        "Some(v) => b.prefer(v)",
        // The body table lists the widget's own properties: the body is a `Widget`, an argument.
        "case.header(\"If-Match\"), case.body()?);",
        "Ok(run(b.send(), json_of))",
    ] {
        assert!(
            generated.contains(expected),
            "{expected} not in\n{generated}"
        );
    }
    let cases = &out.conformance.files["cases.json"];
    assert!(cases.contains("\"id\": \"v1.0/widget-update/update_widget_placeholders\""));
    assert_eq!(cases, &pretty_document(&out.cases.cases));
    // No cases at all: still the document serde_json writes (an empty array on one line).
    let empty = xtask::emit::emit(&xtask::model::ApiModel::default()).unwrap();
    assert!(empty.cases.cases.is_empty());
    assert_eq!(
        empty.conformance.files["cases.json"],
        pretty_document(&empty.cases.cases)
    );
}

/// `cases.json` as `serde_json::to_string_pretty` writes the whole document at once (the emit
/// writes the cases on every core and joins them).
fn pretty_document(cases: &[conformance::Case]) -> String {
    #[derive(serde::Serialize)]
    struct Data<'a> {
        generated: String,
        cases: &'a [conformance::Case],
    }
    let generated = xtask::emit::HEADER
        .trim()
        .lines()
        .map(|l| l.trim_start_matches("// "))
        .collect::<Vec<_>>()
        .join(" ");
    serde_json::to_string_pretty(&Data { generated, cases }).unwrap() + "\n"
}
