//! The five seed pages in `docs-input/`: snapshots of each page tree and of its part of the
//! model, and the behaviour the pipeline issue asks of them.

mod common;

use xtask::model::{ApiModel, BodyModel, Operation, Prim, TypeKind, TypeRef};

const SEEDS: &[(&str, &str)] = &[
    ("beta/api/workbook-createsession.md", "beta"),
    ("v1.0/api/workbook-closesession.txt", "v1.0"),
    ("v1.0/api/workbook-refreshsession.txt", "v1.0"),
    (
        "beta/api/security-securitycopilot-workspace-post-sessions.md",
        "beta",
    ),
    ("beta/api/workbook-closesession.md", "beta"),
];

/// The model of the whole `docs-input`, loaded once per test binary.
fn docs_model() -> &'static ApiModel {
    static MODEL: std::sync::OnceLock<ApiModel> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| xtask::codegen::load(&common::root().join("docs-input")).unwrap())
}

fn op<'a>(model: &'a ApiModel, version: &str, group: &str, name: &str) -> &'a Operation {
    model.versions[version]
        .operations
        .iter()
        .find(|o| o.group == group && o.name == name)
        .unwrap_or_else(|| panic!("{version} {group}.{name} not in the model"))
}

#[test]
fn seed_page_snapshots() {
    let model = docs_model();
    for (file, version) in SEEDS {
        let shown = format!("docs-input/{file}");
        let (page, _) = common::parse_file(
            &common::root().join("docs-input").join(file),
            &shown,
            version,
        );
        let ops: Vec<&Operation> = model.versions[*version]
            .operations
            .iter()
            .filter(|o| o.sources.iter().any(|s| *s.file == *shown))
            .collect();
        let diags = common::diagnostics_of(model, &shown);
        let name = file.rsplit('/').next().unwrap();
        let snapshot_name = format!("{version}-{name}");
        insta::assert_yaml_snapshot!(format!("{snapshot_name}-page"), page);
        insta::assert_yaml_snapshot!(format!("{snapshot_name}-model"), (ops, diags));
    }
}

/// The operation without what legitimately differs between versions and pages.
fn shape(op: &Operation) -> serde_json::Value {
    let mut v = serde_json::to_value(op).unwrap();
    let o = v.as_object_mut().unwrap();
    for key in ["sources", "examples", "description", "clouds"] {
        o.remove(key);
    }
    for p in o["paths"].as_array_mut().unwrap() {
        p.as_object_mut().unwrap().remove("span");
    }
    for h in o["headers"].as_array_mut().unwrap() {
        h.as_object_mut().unwrap().remove("description");
    }
    v
}

#[test]
fn close_session_has_one_shape_in_both_forms() {
    let model = docs_model();
    let rendered = op(model, "v1.0", "workbook", "closeSession");
    let markdown = op(model, "beta", "workbook", "closeSession");
    assert_eq!(shape(rendered), shape(markdown));
    assert_eq!(rendered.paths.len(), 2);
    assert!(rendered
        .headers
        .iter()
        .any(|h| h.name == "workbook-session-id" && h.required));
    assert_eq!(rendered.response.status, 204);
    assert!(rendered.body.is_none());
    // The rendered page's cloud table: available everywhere but China.
    let clouds = rendered.clouds.as_ref().unwrap();
    assert_eq!(clouds.iter().filter(|c| c.available).count(), 3);
}

#[test]
fn incomplete_path_is_reconciled_with_the_example() {
    let model = docs_model();
    let refresh = op(model, "v1.0", "workbook", "refreshSession");
    assert_eq!(
        refresh.paths[0].raw,
        "/me/drive/items/{id}/workbook/refreshSession"
    );
    assert!(model
        .diagnostics
        .iter()
        .any(|d| d.kind.as_str() == "incomplete-path"
            && d.span.file.ends_with("workbook-refreshsession.txt")));
}

#[test]
fn create_session_has_a_body_type_and_placeholder_diagnostics() {
    let model = docs_model();
    let create = op(model, "beta", "workbook", "createSession");
    let Some(BodyModel::Parameters { type_name }) = &create.body else {
        panic!("{:?}", create.body)
    };
    let body = &model.versions["beta"].types[type_name];
    let TypeKind::Struct { properties } = &body.kind else {
        panic!()
    };
    let names: Vec<&str> = properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "persistChanges",
            "commitExplicitly",
            "deferCoauthoringMerge"
        ]
    );
    assert!(properties
        .iter()
        .all(|p| p.ty == TypeRef::Prim(Prim::Boolean) && p.description.is_none()));
    // TODO description: no description, with a diagnostic.
    assert!(create.description.is_none());
    let kinds: Vec<&str> =
        common::diagnostics_of(model, "docs-input/beta/api/workbook-createsession.md")
            .iter()
            .map(|d| d.kind.as_str())
            .collect();
    for kind in [
        "todo-placeholder",
        "placeholder-value",
        "example-mismatch",
        "type-from-other-version",
    ] {
        assert!(kinds.contains(&kind), "missing {kind} in {kinds:?}");
    }
    // The placeholder example is marked unusable.
    let req = create.examples[0].request.as_ref().unwrap();
    assert!(req.unusable.iter().any(|u| u.contains("placeholder")));
}

#[test]
fn security_copilot_session_is_inferred_in_its_namespace() {
    let model = docs_model();
    let create = op(model, "beta", "sessions", "createSession");
    assert_eq!(create.namespace, "microsoft.graph.security.securityCopilot");
    assert_eq!(create.response.status, 201);
    let session = &model.versions["beta"].types["microsoft.graph.security.securityCopilot.session"];
    assert!(session.inferred);
    let TypeKind::Struct { properties } = &session.kind else {
        panic!()
    };
    let got: Vec<(&str, &TypeRef, bool)> = properties
        .iter()
        .map(|p| (p.name.as_str(), &p.ty, p.inferred))
        .collect();
    assert_eq!(
        got,
        [
            ("id", &TypeRef::Prim(Prim::String), true),
            (
                "createdDateTime",
                &TypeRef::Prim(Prim::DateTimeOffset),
                true
            ),
            (
                "lastModifiedDateTime",
                &TypeRef::Prim(Prim::DateTimeOffset),
                true
            ),
            ("displayName", &TypeRef::Prim(Prim::String), true),
        ]
    );
    // Global only, from the national-cloud INCLUDE.
    let clouds = create.clouds.as_ref().unwrap();
    assert_eq!(clouds.iter().filter(|c| c.available).count(), 1);
}

#[test]
fn operation_names_do_not_come_from_file_names() {
    let model = docs_model();
    // The seed files are named `000-...` to `004-...` in `../shared/seeds`; none of that may leak.
    let seeds = [
        "workbook-createsession.md",
        "workbook-closesession.txt",
        "workbook-refreshsession.txt",
        "security-securitycopilot-workspace-post-sessions.md",
        "beta/api/workbook-closesession.md",
    ];
    let mut seen = 0;
    for vm in model.versions.values() {
        for op in vm.operations.iter().filter(|op| {
            op.sources
                .iter()
                .any(|s| seeds.iter().any(|f| s.file.ends_with(f)))
        }) {
            seen += 1;
            assert!(!op.name.chars().any(|c| c.is_ascii_digit()), "{}", op.name);
        }
    }
    assert!(seen >= 5, "only {seen} seed operations");
}

#[test]
fn codegen_is_deterministic() {
    // A second, independent load and emit gives the same bytes.
    let a = xtask::emit::emit(docs_model()).unwrap();
    let b = xtask::emit::emit(&xtask::codegen::load(&common::root().join("docs-input")).unwrap())
        .unwrap();
    assert_eq!(a.models.files, b.models.files);
    assert_eq!(a.requests.files, b.requests.files);
    for text in a.models.files.values().chain(a.requests.files.values()) {
        assert!(text.starts_with("// @generated by `cargo xtask codegen`"));
    }
}

/// The committed generated code is exactly what codegen produces now (`cargo xtask codegen --check`).
#[test]
fn committed_generated_code_is_up_to_date() {
    let out = xtask::emit::emit(docs_model()).unwrap();
    let targets = xtask::codegen::Targets::under(&common::root().join("crates"));
    let stale = xtask::codegen::stale_all(&out, &targets).unwrap();
    assert!(
        stale.is_empty(),
        "stale generated files (run `cargo xtask codegen`): {stale:?}"
    );
}

#[test]
fn check_flag_fails_on_stale_output() {
    let dir = std::env::temp_dir().join(format!("xtask-check-{}", std::process::id()));
    let crates = dir.join("crates");
    let status = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(args)
            .output()
            .unwrap()
    };
    let out = crates.to_str().unwrap();
    assert!(status(&["codegen", "-q", "--out", out]).status.success());
    assert!(status(&["codegen", "-q", "--check", "--out", out])
        .status
        .success());
    let file = crates.join("graph-models/src/generated/v1/workbook_session_info.rs");
    std::fs::write(&file, "// edited by hand\n").unwrap();
    let run = status(&["codegen", "-q", "--check", "--out", out]);
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("workbook_session_info.rs"));
    std::fs::remove_dir_all(&dir).unwrap();
}
