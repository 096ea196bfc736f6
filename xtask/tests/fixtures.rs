//! One hand-made page per construct, each with snapshots of its page tree, its model and the
//! code generated from it. Pages named `bad-*` must give diagnostics and no panic.

mod common;

use std::path::Path;

use serde::Serialize;

#[derive(Serialize)]
struct Snapshot<'a> {
    page: &'a xtask::parse::Page,
    model: &'a xtask::model::ApiModel,
}

#[test]
fn fixture_pages() {
    insta::glob!("fixtures/*", |path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        let shown = format!("fixtures/{name}");
        let (page, diags) = common::parse_file(path, &shown, "v1.0");
        let model = xtask::model::build(vec![page.clone()], diags);
        insta::assert_yaml_snapshot!(
            "page",
            Snapshot {
                page: &page,
                model: &model
            }
        );
        insta::assert_snapshot!("generated", common::generated_text(&model));
        if name.starts_with("bad-") {
            assert!(
                !model.diagnostics.is_empty(),
                "{name} must give diagnostics"
            );
        }
    });
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn kinds(model: &xtask::model::ApiModel) -> Vec<&'static str> {
    model.diagnostics.iter().map(|d| d.kind.as_str()).collect()
}

/// How many of `kinds` are `kind`.
fn count_of(kinds: &[&str], kind: &str) -> usize {
    kinds.iter().filter(|k| **k == kind).count()
}

/// The model of the fixture page `name` alone.
fn fixture_model(name: &str) -> xtask::model::ApiModel {
    let (page, diags) = common::parse_file(&fixture(name), &format!("fixtures/{name}"), "v1.0");
    xtask::model::build(vec![page], diags)
}

#[test]
fn bad_pages_give_the_right_diagnostics() {
    let cases = [
        ("bad-broken-table.md", "broken-table"),
        ("bad-unclosed-fence.md", "unclosed-fence"),
        ("bad-invalid-annotation.md", "invalid-annotation"),
        ("bad-invalid-annotation.md", "invalid-json"),
        ("bad-no-http-block.md", "no-http-request"),
    ];
    for (file, kind) in cases {
        let path = fixture(file);
        let model = common::model_of(&[(&path, file, "v1.0")]);
        assert!(
            kinds(&model).contains(&kind),
            "{file}: expected a {kind} diagnostic, got {:?}",
            kinds(&model)
        );
        for d in &model.diagnostics {
            assert!(d.span.line >= 1, "{d}");
            assert_eq!(&*d.span.file, file);
        }
    }
}

#[test]
fn repaired_annotation_still_names_the_example() {
    let path = fixture("bad-invalid-annotation.md");
    let model = common::model_of(&[(&path, "f.md", "v1.0")]);
    let op = &model.versions["v1.0"].operations[0];
    assert_eq!(op.examples[0].name.as_deref(), Some("create_widget"));
    // The trailing comma in the body was repaired, so the example body is still JSON.
    assert_eq!(
        op.examples[0]
            .request
            .as_ref()
            .unwrap()
            .json
            .as_ref()
            .unwrap()["name"],
        "w1"
    );
}

#[test]
fn types_across_pages_resolve_and_recursion_is_boxed() {
    let resource = fixture("resource-with-base.md");
    let enum_page = fixture("enum-page.md");
    let model = common::model_of(&[
        (&resource, "resources/message.md", "v1.0"),
        (&enum_page, "resources/importance.md", "v1.0"),
    ]);
    let generated = common::generated_text(&model);
    assert!(
        generated.contains("pub importance: ::std::option::Option<crate::v1::Importance>"),
        "{generated}"
    );
    assert!(
        generated.contains(
            "pub in_reply_to: ::std::option::Option<::std::boxed::Box<crate::v1::Message>>"
        ),
        "{generated}"
    );
    assert!(
        generated.contains("pub r#type: ::std::option::Option<::std::string::String>"),
        "{generated}"
    );
    assert!(
        generated.contains("Unknown(::std::string::String)"),
        "{generated}"
    );
    insta::assert_snapshot!(generated);
}

#[test]
fn a_type_on_several_pages_is_merged_with_its_own_page_first() {
    let partial = fixture("partial-type-view.md");
    let main = fixture("resource-with-base.md");
    // The partial view sorts first, as Intune's `intune-*-user.md` pages do before `user.md`.
    let model = common::model_of(&[
        (&partial, "resources/intune-mail-message.md", "v1.0"),
        (&main, "resources/message.md", "v1.0"),
    ]);
    let ty = &model.versions["v1.0"].types["microsoft.graph.message"];
    assert_eq!(&*ty.span.file, "resources/message.md");
    assert_eq!(
        ty.description.as_deref(),
        Some("A message in a mailFolder. Inherits from outlookItem.")
    );
    let xtask::model::TypeKind::Struct { properties } = &ty.kind else {
        panic!("message is a struct");
    };
    let names: Vec<&str> = properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "subject",
            "importance",
            "toRecipients",
            "sentDateTime",
            "size",
            "type",
            "inReplyTo",
            "attachments",
            "complianceTag"
        ]
    );
    assert_eq!(
        properties[0].description.as_deref(),
        Some("The subject of the message.")
    );
    let merged: Vec<_> = model
        .diagnostics
        .iter()
        .filter(|d| d.kind.as_str() == "duplicate-type")
        .collect();
    assert_eq!(merged.len(), 1, "{merged:?}");
    assert_eq!(&*merged[0].span.file, "resources/intune-mail-message.md");
}

/// The model of page texts given as (file, text), in `v1.0`.
fn model_of_texts(pages: &[(&str, String)]) -> xtask::model::ApiModel {
    let mut parsed = Vec::new();
    let mut diags = xtask::diag::Diagnostics::default();
    for (file, text) in pages {
        let file: std::sync::Arc<str> = (*file).into();
        let (page, d) = xtask::parse::parse_page(&file, "v1.0", text);
        parsed.push(page);
        diags.extend(d);
    }
    xtask::model::build(parsed, diags)
}

/// An api page of one `POST` action with a request-body parameter table.
fn action_page(title: &str, path: &str, params: &[(&str, &str)]) -> String {
    let rows: String = params
        .iter()
        .map(|(name, ty)| format!("| {name} | {ty} | The {name}. |\n"))
        .collect();
    format!(
        "---\ntitle: \"{title}\"\ndoc_type: apiPageType\n---\n\n# {title}\n\n## HTTP request\n\n```http\nPOST {path}\n```\n\n## Request body\n\n| Parameter | Type | Description |\n|:--|:--|:--|\n{rows}\n## Response\n\nIf successful, this method returns a `204 No Content` response code.\n"
    )
}

#[test]
fn request_bodies_are_named_after_their_operations() {
    let pages = [
        (
            "api/team-clone.md",
            action_page(
                "Clone a team",
                "/teams/{id}/clone",
                &[("displayName", "String")],
            ),
        ),
        // One action name on two resources, with different bodies (Intune's `assign`).
        (
            "api/mobileapp-assign.md",
            action_page(
                "assign action",
                "/deviceAppManagement/mobileApps/{id}/assign",
                &[("mobileAppAssignments", "String collection")],
            ),
        ),
        (
            "api/policy-assign.md",
            action_page(
                "assign action",
                "/deviceManagement/deviceCompliancePolicies/{id}/assign",
                &[("assignments", "String collection")],
            ),
        ),
        // One action name in two groups.
        (
            "api/application-addkey.md",
            action_page(
                "addKey",
                "/applications/{id}/addKey",
                &[("keyCredential", "String")],
            ),
        ),
        (
            "api/serviceprincipal-addkey.md",
            action_page(
                "addKey",
                "/servicePrincipals/{id}/addKey",
                &[("keyCredential", "String"), ("proof", "String")],
            ),
        ),
    ];
    let model = model_of_texts(&pages);
    let vm = &model.versions["v1.0"];
    let body_of = |file: &str| {
        let op = vm
            .operations
            .iter()
            .find(|o| &*o.sources[0].file == file)
            .unwrap_or_else(|| panic!("no operation from {file}"));
        let Some(xtask::model::BodyModel::Parameters { type_name }) = &op.body else {
            panic!("{file}: no parameter body: {:?}", op.body);
        };
        let ty = &vm.types[type_name];
        let xtask::model::TypeKind::Struct { properties } = &ty.kind else {
            panic!("{type_name} is a struct");
        };
        let props: Vec<&str> = properties.iter().map(|p| p.name.as_str()).collect();
        (ty.short.clone(), props, op.name.clone())
    };
    // A name no other operation has: the operation's name alone.
    assert_eq!(body_of("api/team-clone.md").0, "CloneTeamRequestBody");
    // The two `assign` actions (titled `assign action`: named `assign`, in their resources'
    // groups) keep their own bodies, each named after its group and operation.
    let (app, app_props, app_op) = body_of("api/mobileapp-assign.md");
    let (policy, policy_props, policy_op) = body_of("api/policy-assign.md");
    assert_eq!((app_op.as_str(), policy_op.as_str()), ("assign", "assign"));
    assert_eq!(app, "MobileAppsAssignRequestBody");
    assert_eq!(policy, "DeviceCompliancePoliciesAssignRequestBody");
    assert_eq!(app_props, ["mobileAppAssignments"]);
    assert_eq!(policy_props, ["assignments"]);
    // `addKey` in two groups: both bodies are named with their group.
    let (application, _, _) = body_of("api/application-addkey.md");
    let (sp, sp_props, _) = body_of("api/serviceprincipal-addkey.md");
    assert_eq!(application, "ApplicationsAddKeyRequestBody");
    assert_eq!(sp, "ServicePrincipalsAddKeyRequestBody");
    assert_eq!(sp_props, ["keyCredential", "proof"]);
    // The report lists the final names.
    let report = model
        .pages
        .iter()
        .find(|p| p.file == "api/team-clone.md")
        .unwrap();
    assert!(
        report
            .types
            .contains(&"microsoft.graph.cloneTeamRequestBody".to_owned()),
        "{:?}",
        report.types
    );
}

#[test]
fn enums_in_a_resource_page_type_its_properties() {
    let path = fixture("resource-with-enum-values.md");
    let model = common::model_of(&[(&path, "resources/printerstatus.md", "v1.0")]);
    let vm = &model.versions["v1.0"];
    let xtask::model::TypeKind::Enum { members } =
        &vm.types["microsoft.graph.printerProcessingState"].kind
    else {
        panic!("printerProcessingState is an enum");
    };
    let values: Vec<&str> = members.iter().map(|m| m.value.as_str()).collect();
    assert_eq!(values, ["idle", "stopped"]);
    // The page is still its own type, typed with the enum.
    let xtask::model::TypeKind::Struct { properties } =
        &vm.types["microsoft.graph.printerStatus"].kind
    else {
        panic!("printerStatus is a struct");
    };
    assert_eq!(
        properties[0].ty,
        xtask::model::TypeRef::Named("microsoft.graph.printerProcessingState".to_owned())
    );
    // A "... values" heading over a property table is not an enum.
    assert!(!vm.types.contains_key("microsoft.graph.note"));
    assert_eq!(
        vm.types.len(),
        2,
        "{:?}",
        vm.types.keys().collect::<Vec<_>>()
    );
}

#[test]
fn note_tables_are_not_properties_and_value_columns_give_types() {
    let model = common::model_of(&[
        (
            &fixture("resource-with-note-table.md"),
            "resources/outlookcategory.md",
            "v1.0",
        ),
        (
            &fixture("action-name-value-table.md"),
            "api/driveitem-checkin.md",
            "v1.0",
        ),
    ]);
    let vm = &model.versions["v1.0"];
    let names = |ty: &str| -> Vec<(String, xtask::model::TypeRef)> {
        match &vm.types[ty].kind {
            xtask::model::TypeKind::Struct { properties } => properties
                .iter()
                .map(|p| (p.name.clone(), p.ty.clone()))
                .collect(),
            other => panic!("{ty} is {other:?}"),
        }
    };
    // The colour table under the properties is a note about `color`'s values.
    let category: Vec<String> = names("microsoft.graph.outlookCategory")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(category, ["displayName", "color"]);
    // `Name | Value | Description`: the value column gives the types; the table of
    // `checkInAs` values after it gives no parameters.
    let body = vm
        .operations
        .iter()
        .find_map(|op| match &op.body {
            Some(xtask::model::BodyModel::Parameters { type_name }) => Some(type_name.clone()),
            _ => None,
        })
        .expect("checkin has a parameter body");
    let body = names(&body);
    let params: Vec<&str> = body.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(params, ["checkInAs", "parentReference"]);
    assert_eq!(
        body[0].1,
        xtask::model::TypeRef::Prim(xtask::model::prims::Prim::String)
    );
    // `ItemReference` is read as the type it links to; without its page (not in this model)
    // it is untyped JSON with that reason, not a row without a type.
    assert!(
        !kinds(&model).contains(&"unknown-type"),
        "{:?}",
        model.diagnostics
    );
    assert!(model
        .diagnostics
        .iter()
        .any(|d| d.kind.as_str() == "unresolved-type"
            && d.message
                .to_ascii_lowercase()
                .contains("`microsoft.graph.itemreference`")));
}

#[test]
fn a_returned_type_without_a_page_is_the_documented_type_of_its_examples() {
    let api = fixture("annotated-type-without-page.md");
    let resource = fixture("resource-user-activity.md");
    let model = common::model_of(&[
        (&api, "api/projectrome-get-activities.md", "v1.0"),
        (&resource, "resources/projectrome-activity.md", "v1.0"),
    ]);
    let vm = &model.versions["v1.0"];
    let op = &vm.operations[0];
    assert!(op.response.collection);
    assert_eq!(
        op.response.ty,
        Some(xtask::model::TypeRef::Named(
            "microsoft.graph.userActivity".into()
        ))
    );
    // No type is inferred for the name of the annotation.
    assert!(!vm.types.contains_key("microsoft.graph.activity"));
    assert!(vm.types.values().all(|t| !t.inferred));
    assert_eq!(
        kinds(&model)
            .iter()
            .filter(|k| k.starts_with("type-from") || k.starts_with("inferred"))
            .collect::<Vec<_>>(),
        [&"type-from-examples"]
    );

    // Alone, the api page has no documented type to go to: the type is inferred as before.
    let alone = common::model_of(&[(&api, "api/projectrome-get-activities.md", "v1.0")]);
    let vm = &alone.versions["v1.0"];
    assert!(vm.types["microsoft.graph.activity"].inferred);
    assert!(kinds(&alone).contains(&"inferred-type"));
}

#[test]
fn a_link_to_a_section_names_the_type_of_the_section() {
    let path = fixture("resource-section-links.md");
    let model = common::model_of(&[(&path, "resources/chat.md", "v1.0")]);
    let vm = &model.versions["v1.0"];
    let xtask::model::TypeKind::Struct { properties } = &vm.types["microsoft.graph.chat"].kind
    else {
        panic!("chat is a struct");
    };
    let ty = |name: &str| {
        properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.ty.clone())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let named = |n: &str| xtask::model::TypeRef::Named(n.into());
    // `chat.md#chattype-values` is the enum of that section, not the chat of the page.
    assert_eq!(ty("chatType"), named("microsoft.graph.chatType"));
    assert_eq!(ty("visibility"), named("microsoft.graph.chatVisibility"));
    assert_eq!(ty("parentChat"), named("microsoft.graph.chat"));
    assert!(matches!(
        vm.types["microsoft.graph.chatType"].kind,
        xtask::model::TypeKind::Enum { .. }
    ));
}

#[test]
fn a_body_sent_by_the_example_of_a_create_is_the_created_resource() {
    let path = fixture("create-without-body-section.md");
    let model = common::model_of(&[(&path, "api/schedule-post-shifts.md", "v1.0")]);
    let op = &model.versions["v1.0"].operations[0];
    assert_eq!(op.response.status, 201);
    // No request-body section, but the example sends JSON: a create sends what it creates.
    assert_eq!(
        op.body,
        Some(xtask::model::BodyModel::Type {
            ty: xtask::model::TypeRef::Named("microsoft.graph.shift".into())
        })
    );
    let said: Vec<&str> = model
        .diagnostics
        .iter()
        .filter(|d| d.kind.as_str() == "inferred-type")
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        said.iter().any(|m| m.starts_with(
            "the page documents no request body, but the example sends one; taken to be the returned `microsoft.graph.shift`"
        )),
        "{said:?}"
    );
}

#[test]
fn an_accepted_operation_links_what_to_follow_not_a_body() {
    let path = fixture("accepted-with-operation-link.md");
    // The operation's type, from the real docs.
    let resource = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../docs-input/v1.0/resources/teamsasyncoperation.md");
    let model = common::model_of(&[
        (&path, "api/team-archive.md", "v1.0"),
        (&resource, "resources/teamsasyncoperation.md", "v1.0"),
    ]);
    let response = &model.versions["v1.0"].operations[0].response;
    assert_eq!(response.status, 202);
    // The 202 has no body: `send` returns `()`; the linked type is what the long-running form
    // yields.
    assert_eq!(response.ty, None);
    assert!(response.long_running);
    assert_eq!(
        response.monitor,
        Some(xtask::model::TypeRef::Named(
            "microsoft.graph.teamsAsyncOperation".into()
        ))
    );
    let code = common::generated_text(&model);
    assert!(
        code.contains("pub async fn send(self) -> crate::Result<()>"),
        "{code}"
    );
    assert!(
        code.contains("crate::runtime::LongRunning<crate::models::v1::TeamsAsyncOperation>"),
        "{code}"
    );
}

#[test]
fn diagnostics_name_inferred_bodies_by_their_final_names() {
    let path = fixture("bad-invalid-annotation.md");
    let model = common::model_of(&[(&path, "api/widget-create.md", "v1.0")]);
    let vm = &model.versions["v1.0"];
    let said: Vec<&str> = model
        .diagnostics
        .iter()
        .filter(|d| d.kind.as_str() == "inferred-type")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(said.len(), 1, "{said:?}");
    // The type the diagnostic names is the one generated.
    let named = said[0].split('`').nth(1).expect("a type in backticks");
    assert!(
        vm.types.values().any(|t| t.short == named && t.inferred),
        "{named} not among {:?}",
        vm.types.values().map(|t| &t.short).collect::<Vec<_>>()
    );
}

#[test]
fn callouts_are_notes_and_the_description_is_the_first_paragraph_after_them() {
    let path = fixture("callouts-before-description.md");
    let model = common::model_of(&[(&path, "api/widget-get.md", "v1.0")]);
    let op = &model.versions["v1.0"].operations[0];
    assert_eq!(
        op.description.as_deref(),
        Some("Read the properties of a widget object.")
    );
    assert_eq!(
        op.notes,
        [
            "Note: The widget API requires an active widget license for the tenant.",
            "Important: Widgets are retired in national clouds.",
        ]
    );
    let docs = xtask::emit::docs::operation(op, "v1.0");
    assert!(
        docs.starts_with(
            "Read the properties of a widget object.\n\n> Note: The widget API requires"
        ),
        "{docs}"
    );
}

#[test]
fn a_rendered_page_keeps_its_quoted_lines_as_callouts() {
    let src = "Namespace: microsoft.graph\n>**Note:** Widgets need a license.\nRead a widget.\n\
        Permissions\nPermission type |\nPermissions |\nApplication |\nWidget.Read.All |\n\
        HTTP request\nGET /widgets/{id}\n";
    let (page, _) = xtask::parse::parse_page(&"w.txt".into(), "v1.0", src);
    assert_eq!(
        page.description.as_ref().map(|d| d.value.as_str()),
        Some("Read a widget.")
    );
    let callouts: Vec<&str> = page.callouts.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(callouts, ["Note: Widgets need a license."]);
}

#[test]
fn pages_that_disagree_on_a_body_make_it_optional() {
    let no_content = fixture("update-no-content.md");
    let returns = fixture("update-returns-resource.md");
    let widget = fixture("resource-widget.md");
    let model = common::model_of(&[
        (&returns, "api/intune-widget-update.md", "v1.0"),
        (&no_content, "api/widget-update.md", "v1.0"),
        (&widget, "resources/widget.md", "v1.0"),
    ]);
    let vm = &model.versions["v1.0"];
    assert_eq!(vm.operations.len(), 1, "one operation, merged");
    let response = &vm.operations[0].response;
    assert_eq!(
        response.ty,
        Some(xtask::model::TypeRef::Named(
            "microsoft.graph.widget".into()
        ))
    );
    assert!(response.or_no_content);
    assert_eq!(
        kinds(&model)
            .iter()
            .filter(|k| **k == "conflicting-responses")
            .count(),
        1
    );
    let code = common::generated_text(&model);
    assert!(
        code.contains("-> crate::Result<::std::option::Option<crate::models::v1::Widget>>"),
        "{code}"
    );
    // One page alone is not a conflict.
    let model = common::model_of(&[
        (&returns, "api/intune-widget-update.md", "v1.0"),
        (&widget, "resources/widget.md", "v1.0"),
    ]);
    assert!(!model.versions["v1.0"].operations[0].response.or_no_content);
}

#[test]
fn a_representation_on_request_is_sent_by_send_returning() {
    let page = fixture("update-prefer-representation.md");
    let widget = fixture("resource-widget.md");
    let model = common::model_of(&[
        (&page, "api/widget-update.md", "v1.0"),
        (&widget, "resources/widget.md", "v1.0"),
    ]);
    let response = &model.versions["v1.0"].operations[0].response;
    assert_eq!((response.status, &response.ty), (204, &None));
    assert_eq!(
        response.representation,
        Some(xtask::model::TypeRef::Named(
            "microsoft.graph.widget".into()
        ))
    );
    let code = common::generated_text(&model);
    assert!(
        code.contains("pub async fn send(self) -> crate::Result<()>"),
        "{code}"
    );
    assert!(
        code.contains(
            "pub async fn send_returning(self) -> crate::Result<crate::models::v1::Widget>"
        ),
        "{code}"
    );
    // The example asks for the representation: its case is sent with `send_returning` and is
    // not a docs error.
    let cases = xtask::conformance::extract(&model).cases;
    assert_eq!(cases.len(), 1);
    assert!(
        cases[0].representation && cases[0].finding.is_none(),
        "{cases:?}"
    );
    let prefer = ("Prefer".to_owned(), "return=representation".to_owned());
    assert!(cases[0].expect.headers.contains(&prefer));
}

#[test]
fn a_page_that_lists_the_paths_of_many_resources_does_not_absorb_their_operations() {
    let catch_all = fixture("catch-all-paths.md");
    let own = fixture("create-contact-folder.md");
    let model = common::model_of(&[
        (
            &catch_all,
            "api/singlevaluelegacyextendedproperty-post.md",
            "v1.0",
        ),
        (&own, "api/user-post-contactfolders.md", "v1.0"),
    ]);
    let ops = &model.versions["v1.0"].operations;
    let names: Vec<&str> = ops.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(ops.len(), 2, "{names:?}");
    assert!(names.contains(&"createContactFolder"), "{names:?}");
    // The same paths documented under one name (Intune's copies of a page) are one operation.
    let twice = common::model_of(&[
        (&own, "api/user-post-contactfolders.md", "v1.0"),
        (&own, "api/intune-user-post-contactfolders.md", "v1.0"),
    ]);
    assert_eq!(twice.versions["v1.0"].operations.len(), 1);
}

#[test]
fn a_collection_whose_examples_all_answer_one_object_is_one_object() {
    let page = fixture("collection-sentence-single-example.md");
    let widget = fixture("resource-widget.md");
    let model = common::model_of(&[
        (&page, "api/widget-get.md", "v1.0"),
        (&widget, "resources/widget.md", "v1.0"),
    ]);
    let response = &model.versions["v1.0"].operations[0].response;
    assert!(!response.collection);
    assert!(common::diagnostics_of(&model, "api/widget-get.md")
        .iter()
        .any(|d| d.message.contains("every example answers one object")));
    // A list whose examples wrap the items in `value` stays a list.
    let list = std::fs::read_to_string(&page).unwrap().replace(
        "\"id\": \"w1\",\n  \"name\": \"one\"",
        "\"value\": [{\"id\": \"w1\"}]",
    );
    let dir = std::env::temp_dir().join(format!("xtask-single-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let listed = dir.join("widget-list.md");
    std::fs::write(&listed, list).unwrap();
    let model = common::model_of(&[
        (&listed, "api/widget-list.md", "v1.0"),
        (&widget, "resources/widget.md", "v1.0"),
    ]);
    std::fs::remove_dir_all(&dir).ok();
    assert!(model.versions["v1.0"].operations[0].response.collection);
}

/// The one operation that `pages` (api pages, in this order) and the widget's resource page give.
fn merged_with_widget(pages: &[(&Path, &str)]) -> xtask::model::Operation {
    let widget = fixture("resource-widget.md");
    let mut all: Vec<(&Path, &str, &str)> = pages.iter().map(|&(p, f)| (p, f, "v1.0")).collect();
    all.push((&widget, "resources/widget.md", "v1.0"));
    let mut model = common::model_of(&all);
    let ops = &mut model.versions.get_mut("v1.0").unwrap().operations;
    assert_eq!(ops.len(), 1);
    ops.pop().unwrap()
}

#[test]
fn the_page_that_links_the_types_own_page_documents_a_merged_operation() {
    let partial = fixture("update-partial-view.md");
    let own = fixture("update-returns-resource.md");
    let widget = fixture("resource-widget.md");
    // The partial view's page comes first (file order), as Intune's pages do.
    let op = &merged_with_widget(&[
        (&partial, "api/intune-devices-widget-update.md"),
        (&own, "api/widget-update.md"),
    ]);
    assert_eq!(
        op.description.as_deref(),
        Some("Update the properties of a widget object.")
    );
    assert_eq!(op.permissions[0].least, ["Widget.ReadWrite.All"]);
    // The notes are the main page's too (it has none): the partial view's callout is about
    // that view (Intune's licence note on its copy of `POST /users`).
    assert!(op.notes.is_empty(), "{:?}", op.notes);
    // A path both write is spelt as the main page writes it.
    assert_eq!(op.paths[0].raw, "/widgets/{widgetsId}");
    assert_eq!(&*op.paths[0].span.file, "api/widget-update.md");
    // On its own, the partial view's page keeps its callout.
    let alone = common::model_of(&[
        (&partial, "api/intune-devices-widget-update.md", "v1.0"),
        (&widget, "resources/widget.md", "v1.0"),
    ]);
    assert_eq!(
        alone.versions["v1.0"].operations[0].notes,
        ["Note: The widget API for devices requires a device license."]
    );
}

#[test]
fn a_page_whose_description_links_a_partial_view_is_a_copy() {
    // Neither page links a type in a response or a body (a delete); the copy's description
    // links a partial view of the type, the main page's a page that is not the type's.
    let partial = fixture("delete-partial-view.md");
    let own = fixture("delete-own-page.md");
    let copy_first = [
        (partial.as_path(), "api/intune-devices-widget-delete.md"),
        (own.as_path(), "api/widget-delete.md"),
    ];
    let op = &merged_with_widget(&copy_first);
    assert!(
        op.description
            .as_deref()
            .is_some_and(|d| d.starts_with("Delete a widget.")),
        "{:?}",
        op.description
    );
    assert_eq!(op.permissions[0].least, ["Widget.ReadWrite.All"]);
    assert!(op.notes.is_empty(), "{:?}", op.notes);
    // The path as the main page writes it, with the parameter its page names.
    assert_eq!(op.paths[0].raw, "/widgets/{id | widgetName}");
    let params: Vec<&str> = op.paths[0].params().map(|(name, _)| name).collect();
    assert_eq!(params, ["id"]);
    // The other order gives the same operation: the main page is not displaced by a copy.
    let op2 = &merged_with_widget(&[copy_first[1], copy_first[0]]);
    assert_eq!(op2.description, op.description);
    assert_eq!(op2.permissions, op.permissions);
    assert_eq!(op2.paths[0].raw, op.paths[0].raw);
}

#[test]
fn a_functions_parameters_documented_as_a_body_go_into_the_url() {
    let page = fixture("function-parameters-as-body.md");
    let model = common::model_of(&[(&page, "api/widget-getwidgettypes.md", "v1.0")]);
    let vm = &model.versions["v1.0"];
    let op = &vm.operations[0];
    assert_eq!(
        op.paths[0].raw,
        "/widgets/getWidgetTypes(category='{category}',limit={limit})"
    );
    assert!(op.body.is_none());
    assert!(vm.types.values().all(|t| !t.request_body), "no body type");
    assert!(kinds(&model).contains(&"function-parameters"));
    let code = common::generated_text(&model);
    assert!(!code.contains("req.json(&self.body)"), "{code}");
    // A quoted parameter is an OData string literal (its quotes doubled); a number is not, and
    // is typed as the body documented it (`limit`, an `Int32`).
    assert!(
        code.contains("getWidgetTypes(category='{}',limit={})\", crate::runtime::encode_string_literal(&self.category), &self.limit"),
        "{code}"
    );
    assert!(code.contains("limit: i32"), "{code}");
    // The example's call matches the path: its case has the parameters.
    let cases = xtask::conformance::extract(&model).cases;
    assert_eq!(cases.len(), 1, "{cases:?}");
    assert_eq!(cases[0].params, ["tools", "5"]);
}

#[test]
fn a_delete_whose_examples_send_no_body_takes_none() {
    let page = fixture("delete-with-copied-body.md");
    let model = common::model_of(&[(&page, "api/widget-delete-owners.md", "v1.0")]);
    let op = &model.versions["v1.0"].operations[0];
    assert!(op.body.is_none());
    assert!(
        common::diagnostics_of(&model, "api/widget-delete-owners.md")
            .iter()
            .any(|d| d.message.contains("its examples send none"))
    );
    let code = common::generated_text(&model);
    assert!(!code.contains("req.json(&self.body)"), "{code}");
}

#[test]
fn binary_content_is_sent_as_bytes_with_its_content_type() {
    let page = fixture("upload-binary-content.md");
    let model = common::model_of(&[(&page, "api/widget-put-content.md", "v1.0")]);
    let op = &model.versions["v1.0"].operations[0];
    assert_eq!(
        op.body,
        Some(xtask::model::BodyModel::Content {
            content_type: "text/plain".into()
        })
    );
    let code = common::generated_text(&model);
    assert!(
        code.contains("body: impl ::std::convert::Into<::bytes::Bytes>"),
        "{code}"
    );
    assert!(
        code.contains(
            r#"req.bytes(self.content_type.as_deref().unwrap_or("text/plain"), self.body);"#
        ),
        "{code}"
    );
}

#[test]
fn a_body_that_is_an_array_of_a_type_is_a_vec() {
    let page = fixture("update-with-array-body.md");
    let widget = fixture("resource-widget.md");
    let model = common::model_of(&[
        (&page, "api/widget-update-parts.md", "v1.0"),
        (&widget, "resources/widget.md", "v1.0"),
    ]);
    let op = &model.versions["v1.0"].operations[0];
    let widget_ref = xtask::model::TypeRef::Named("microsoft.graph.widget".into());
    assert_eq!(
        op.body,
        Some(xtask::model::BodyModel::Type {
            ty: xtask::model::TypeRef::Collection(Box::new(widget_ref))
        })
    );
    let code = common::generated_text(&model);
    assert!(
        code.contains("body: ::std::vec::Vec<crate::models::v1::Widget>"),
        "{code}"
    );
}

#[test]
fn an_undocumented_body_is_the_type_its_examples_annotation_names() {
    let page = fixture("create-async-annotated-body.md");
    let widget = fixture("resource-widget.md");
    let model = common::model_of(&[
        (&page, "api/factory-post-widget.md", "v1.0"),
        (&widget, "resources/widget.md", "v1.0"),
    ]);
    let vm = &model.versions["v1.0"];
    assert_eq!(
        vm.operations[0].body,
        Some(xtask::model::BodyModel::Type {
            ty: xtask::model::TypeRef::Named("microsoft.graph.widget".into())
        })
    );
    assert!(vm.types.values().all(|t| !t.inferred), "nothing inferred");
    // Without the type's page the body is inferred from the example.
    let model = common::model_of(&[(&page, "api/factory-post-widget.md", "v1.0")]);
    assert!(matches!(
        model.versions["v1.0"].operations[0].body,
        Some(xtask::model::BodyModel::Parameters { .. })
    ));
}

#[test]
fn an_accepted_answer_without_a_header_to_poll_is_not_long_running() {
    let path = fixture("accepted-acknowledgement.md");
    let model = common::model_of(&[(&path, "api/event-accept.md", "v1.0")]);
    let response = &model.versions["v1.0"].operations[0].response;
    assert_eq!((response.status, &response.ty), (202, &None));
    // `202 Accepted` only acknowledges: no `Location`, nothing to poll.
    assert!(!response.long_running);
    let code = common::generated_text(&model);
    assert!(
        code.contains("pub async fn send(self) -> crate::Result<()>"),
        "{code}"
    );
    assert!(!code.contains("send_long_running"), "{code}");
}

#[test]
fn a_table_of_response_headers_names_the_location_to_poll() {
    let path = fixture("accepted-headers-table.md");
    let (page, _) = common::parse_file(&path, "api/user-exportpersonaldata.md", "v1.0");
    assert_eq!(page.response_headers, ["Location", "Retry-After"]);
    let model = common::model_of(&[(&path, "api/user-exportpersonaldata.md", "v1.0")]);
    let response = &model.versions["v1.0"].operations[0].response;
    assert!(response.long_running);
    let code = common::generated_text(&model);
    assert!(
        code.contains("pub async fn send_long_running(self)"),
        "{code}"
    );
}

#[test]
fn a_string_argument_written_without_quotes_gets_the_quotes_the_examples_give() {
    let page = fixture("function-argument-unquoted.md");
    let model = common::model_of(&[(&page, "api/workbookrangeview-list-rows.md", "v1.0")]);
    let op = &model.versions["v1.0"].operations[0];
    let raws: Vec<&str> = op.paths.iter().map(|p| p.raw.as_str()).collect();
    // The example quotes `address`; `row` and `column` are documented as `Int32` (and not
    // quoted by any example): as declared.
    assert_eq!(
        raws,
        [
            "/workbook/worksheets/{id}/range(address='{address}')/visibleView/rows",
            "/workbook/worksheets/{id}/cell(row={row},column={column})",
        ]
    );
    let said = common::diagnostics_of(&model, "api/workbookrangeview-list-rows.md");
    assert!(
        said.iter()
            .any(|d| d.kind == xtask::diag::Kind::UnquotedString
                && d.message.contains("`address`")),
        "{said:?}"
    );
    // The value is sent as a string literal: quoted, its own quotes doubled.
    let code = common::generated_text(&model);
    assert!(
        code.contains("crate::runtime::encode_string_literal(address)"),
        "{code}"
    );
    // `row` and `column` are `Int32`s: typed, and written as they print.
    assert!(code.contains("row: i32, column: i32"), "{code}");
    assert!(
        code.contains("cell(row={},column={})\", crate::runtime::encode_segment(id), row, column)"),
        "{code}"
    );
}

#[test]
fn a_header_value_table_gives_the_content_type_to_send() {
    let page = fixture("header-value-table.md");
    let model = common::model_of(&[(&page, "api/profilephoto-update.md", "v1.0")]);
    let op = &model.versions["v1.0"].operations[0];
    assert_eq!(
        op.body,
        Some(xtask::model::BodyModel::Content {
            content_type: "image/jpeg".into()
        })
    );
    let code = common::generated_text(&model);
    assert!(code.contains(".unwrap_or(\"image/jpeg\")"), "{code}");
}

#[test]
fn a_header_required_only_for_some_queries_is_a_setter() {
    let page = fixture("conditional-required-header.md");
    let model = common::model_of(&[(&page, "api/widget-list-memberof.md", "v1.0")]);
    let op = &model.versions["v1.0"].operations[0];
    let header = op
        .headers
        .iter()
        .find(|h| h.name == "ConsistencyLevel")
        .expect("ConsistencyLevel is documented");
    // "required when using `$search`": not on every request.
    assert!(!header.required);
    assert!(header
        .description
        .as_deref()
        .is_some_and(|d| d.starts_with("eventual.")));
    let code = common::generated_text(&model);
    assert!(code.contains("pub fn consistency_level(mut self"), "{code}");
}

#[test]
fn a_table_collection_that_the_json_representation_shows_as_one_value_is_one_value() {
    let page = fixture("resource-collection-vs-representation.md");
    let model = common::model_of(&[(&page, "resources/presence.md", "v1.0")]);
    let ty = &model.versions["v1.0"].types["microsoft.graph.presence"];
    let xtask::model::TypeKind::Struct { properties } = &ty.kind else {
        panic!("presence is a struct");
    };
    let type_of = |name: &str| &properties.iter().find(|p| p.name == name).unwrap().ty;
    use xtask::model::{Prim, TypeRef};
    // `"availability": "string"`: one value, as the service sends it.
    assert_eq!(type_of("availability"), &TypeRef::Prim(Prim::String));
    // `"tags": ["string"]` agrees with the table.
    assert_eq!(
        type_of("tags"),
        &TypeRef::Collection(Box::new(TypeRef::Prim(Prim::String)))
    );
    let said = common::diagnostics_of(&model, "resources/presence.md");
    assert_eq!(
        said.iter()
            .filter(|d| d.kind == xtask::diag::Kind::RepresentationMismatch)
            .count(),
        1,
        "{said:?}"
    );
}

#[test]
fn a_typed_response_whose_example_answers_no_content_is_optional() {
    let page = fixture("update-example-no-content.md");
    let widget = fixture("resource-widget.md");
    let model = common::model_of(&[
        (&page, "api/widget-update.md", "v1.0"),
        (&widget, "resources/widget.md", "v1.0"),
    ]);
    let response = &model.versions["v1.0"].operations[0].response;
    assert!(response.ty.is_some());
    assert!(response.or_no_content);
    assert!(common::diagnostics_of(&model, "api/widget-update.md")
        .iter()
        .any(|d| d.kind == xtask::diag::Kind::ConflictingResponses));
    let code = common::generated_text(&model);
    assert!(
        code.contains("crate::Result<::std::option::Option<crate::models::v1::Widget>>"),
        "{code}"
    );
    // The same page without the example: the body is not optional.
    let own = fixture("update-returns-resource.md");
    let model = common::model_of(&[
        (&own, "api/widget-update.md", "v1.0"),
        (&widget, "resources/widget.md", "v1.0"),
    ]);
    assert!(!model.versions["v1.0"].operations[0].response.or_no_content);
}

#[test]
fn a_single_value_that_every_example_writes_as_a_list_is_a_collection() {
    let page = fixture("create-gadget-with-list.md");
    let gadget = fixture("resource-gadget.md");
    let widget = fixture("resource-widget.md");
    let model = common::model_of(&[
        (&page, "api/gadget-post.md", "v1.0"),
        (&gadget, "resources/gadget.md", "v1.0"),
        (&widget, "resources/widget.md", "v1.0"),
    ]);
    let ty = &model.versions["v1.0"].types["microsoft.graph.gadget"];
    let xtask::model::TypeKind::Struct { properties } = &ty.kind else {
        panic!("gadget is a struct");
    };
    let type_of = |name: &str| &properties.iter().find(|p| p.name == name).unwrap().ty;
    use xtask::model::TypeRef;
    let widget_ref = TypeRef::Named("microsoft.graph.widget".into());
    // Both examples have a list of `parts`: a collection, whatever the table says.
    assert_eq!(
        type_of("parts"),
        &TypeRef::Collection(Box::new(widget_ref.clone()))
    );
    // `owner` is one object in the examples, as documented.
    assert_eq!(type_of("owner"), &widget_ref);
    let said = common::diagnostics_of(&model, "api/gadget-post.md");
    assert!(
        said.iter()
            .any(|d| d.kind == xtask::diag::Kind::CollectionFromExamples
                && d.message.contains("`parts`")
                && d.message.contains("(2 examples)")),
        "{said:?}"
    );
}

#[test]
fn the_reference_a_ref_delete_removes_is_set_with_odata_id() {
    let page = fixture("delete-reference-by-id.md");
    let model = common::model_of(&[(&page, "api/widget-delete-acceptedsenders.md", "v1.0")]);
    let op = &model.versions["v1.0"].operations[0];
    // Only the example shows `$id`; without it the operation could not name what to remove.
    assert!(op.query.iter().any(|q| q.name == "$id"), "{:?}", op.query);
    let code = common::generated_text(&model);
    assert!(code.contains("pub fn odata_id(mut self"), "{code}");
    assert!(
        code.contains("self.query.push((\"$id\", value.to_string()));"),
        "{code}"
    );
}

#[test]
fn query_options_that_only_the_example_uses_are_setters() {
    let page = fixture("example-only-query-options.md");
    let model = common::model_of(&[(&page, "api/widget-list-childwidgets.md", "v1.0")]);
    let op = &model.versions["v1.0"].operations[0];
    let names: Vec<&str> = op.query.iter().map(|q| q.name.as_str()).collect();
    // A plain parameter as it is; `select` without its `$` is the OData option.
    assert_eq!(names, ["includeHiddenWidgets", "$select"]);
    let code = common::generated_text(&model);
    assert!(
        code.contains("pub fn include_hidden_widgets(mut self"),
        "{code}"
    );
    // A list option takes a list as well as a string; a plain parameter anything displayed.
    assert!(
        code.contains("pub fn select(mut self, value: impl crate::runtime::QueryList)")
            && code.contains("self.query.push((\"$select\", value.to_query()));"),
        "{code}"
    );
    assert!(
        code.contains("pub fn include_hidden_widgets(mut self, value: impl ::std::fmt::Display)"),
        "{code}"
    );
}

#[test]
fn a_functions_documented_arguments_left_out_of_its_paths_are_added() {
    let page = fixture("function-arguments-missing.md");
    let model = common::model_of(&[(&page, "api/range-cell.md", "v1.0")]);
    let op = &model.versions["v1.0"].operations[0];
    let raws: Vec<&str> = op.paths.iter().map(|p| p.raw.as_str()).collect();
    // `cell` without `(row=..,column=..)` cannot be answered: every path gets the arguments
    // the example passes, and the worksheet path's `'<address>'` becomes a parameter.
    assert_eq!(
        raws,
        [
            "/workbook/names/{name}/range/cell(row={row},column={column})",
            "/workbook/worksheets/{id}/range(address='{address}')/cell(row={row},column={column})",
        ]
    );
    let said = common::diagnostics_of(&model, "api/range-cell.md");
    let of = |kind| said.iter().filter(|d| d.kind == kind).count();
    assert_eq!(of(xtask::diag::Kind::MissingArguments), 2, "{said:?}");
    assert_eq!(of(xtask::diag::Kind::PlaceholderArgument), 1, "{said:?}");
    assert_eq!(of(xtask::diag::Kind::ExampleMismatch), 0, "{said:?}");
    // Typed as the `Path parameters` table says; the address stays text.
    let code = common::generated_text(&model);
    assert!(
        code.contains(
            "name: impl ::std::convert::Into<::std::string::String>, row: i32, column: i32"
        ),
        "{code}"
    );
    assert!(code.contains("address: ::std::string::String,"), "{code}");
    assert!(!code.contains("<address>"), "{code}");
    // The example now matches a path, and its case carries the arguments.
    let cases = xtask::conformance::extract(&model).cases;
    assert_eq!(cases.len(), 1, "{cases:?}");
    assert_eq!(cases[0].params, ["{name}", "5", "6"]);
    assert!(cases[0].finding.is_none(), "{cases:?}");
}

#[test]
fn optional_function_arguments_add_a_path_and_stay_a_query_option_where_examples_say_so() {
    let page = fixture("function-argument-placeholders.md");
    let model = common::model_of(&[(&page, "api/driveitem-delta.md", "v1.0")]);
    let op = &model.versions["v1.0"].operations[0];
    let raws: Vec<&str> = op.paths.iter().map(|p| p.raw.as_str()).collect();
    // An example also calls `delta` bare, and the token is optional: both calls are paths.
    assert_eq!(
        raws,
        [
            "/drives/{drive-id}/root/delta",
            "/drives/{drive-id}/root/delta(token='{token}')",
            "/me/drive/root/delta",
            "/me/drive/root/delta(token='{token}')",
        ]
    );
    // `?token=latest` in an example: `token` is also a query parameter.
    assert!(op.query.iter().any(|q| q.name == "token"), "{:?}", op.query);
    let cases = xtask::conformance::extract(&model).cases;
    let mut params: Vec<&[String]> = cases.iter().map(|c| c.params.as_slice()).collect();
    params.sort();
    assert_eq!(params, [&[][..], &[], &["1230919asd190410jlka".to_owned()]]);
    let latest = cases
        .iter()
        .find(|c| !c.query.is_empty())
        .expect("the latest-token case");
    assert_eq!(latest.query, [("token".to_owned(), "latest".to_owned())]);
}

#[test]
fn function_arguments_written_as_example_values_become_typed_parameters() {
    let page = fixture("function-argument-example-values.md");
    let model = common::model_of(&[(&page, "api/workbookrange-rowsabove.md", "v1.0")]);
    let op = &model.versions["v1.0"].operations[0];
    let raws: Vec<&str> = op.paths.iter().map(|p| p.raw.as_str()).collect();
    // `count=n` sent as written asks for `n` rows: a parameter. The bare path stays bare (the
    // page itself shows which calls there are), and `count` is no query parameter.
    assert_eq!(
        raws,
        [
            "/workbook/worksheets/{id}/range/rowsAbove(count={count})",
            "/workbook/worksheets/{id}/range/rowsAbove",
        ]
    );
    assert!(op.query.iter().all(|q| q.name != "count"), "{:?}", op.query);
    let said = common::diagnostics_of(&model, "api/workbookrange-rowsabove.md");
    assert!(
        said.iter()
            .any(|d| d.kind == xtask::diag::Kind::PlaceholderArgument
                && d.message.contains("`count=n`")),
        "{said:?}"
    );
    let code = common::generated_text(&model);
    assert!(code.contains("count: i32"), "{code}");
    assert!(
        code.contains("rowsAbove(count={})\", crate::runtime::encode_segment(id), count)"),
        "{code}"
    );
}

#[test]
fn function_call_typos_of_request_lines_are_mended_or_left_out() {
    let page = fixture("function-call-typos.md");
    let model = common::model_of(&[(&page, "api/workbookrange-resizedrange.md", "v1.0")]);
    let op = &model.versions["v1.0"].operations[0];
    let raws: Vec<&str> = op.paths.iter().map(|p| p.raw.as_str()).collect();
    // A space inside the call's parentheses is not the end of the path; `range(<address>)`
    // names its argument; an unclosed `(` closes before the next segment; one placeholder for
    // two arguments becomes one per argument; a `...` segment is no URL.
    let call = "resizedRange(deltaRows={deltaRows},deltaColumns={deltaColumns})";
    assert_eq!(
        raws,
        [
            format!("/workbook/worksheets/{{id}}/range(address='{{address}}')/{call}"),
            format!("/workbook/names/{{name}}/range(address='{{address}}')/{call}"),
        ]
    );
    let said = common::diagnostics_of(&model, "api/workbookrange-resizedrange.md");
    let bad: Vec<&str> = said
        .iter()
        .filter(|d| d.kind == xtask::diag::Kind::BadRequestLine)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(bad.len(), 2, "{said:?}");
    assert!(bad.iter().any(|m| m.contains("`(` open")), "{bad:?}");
    assert!(bad.iter().any(|m| m.contains("`...` segment")), "{bad:?}");
    let code = common::generated_text(&model);
    assert!(
        code.contains("delta_rows: i32, delta_columns: i32"),
        "{code}"
    );
}

#[test]
fn of_two_operations_with_one_name_the_one_on_the_shorter_path_keeps_it() {
    let nested = fixture("delta-nested.md");
    let root = fixture("delta-root.md");
    // The nested page comes first (by file name), as `educationuser-delta.md` does.
    let model = common::model_of(&[
        (&nested, "api/educationuser-delta.md", "v1.0"),
        (&root, "api/user-delta.md", "v1.0"),
    ]);
    let mut names: Vec<(&str, &str)> = model.versions["v1.0"]
        .operations
        .iter()
        .map(|o| (o.paths[0].raw.as_str(), o.name.as_str()))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("/education/users/delta", "deltaOfEducation"),
            ("/users/delta", "delta")
        ]
    );
    let said = common::diagnostics_of(&model, "api/educationuser-delta.md");
    assert!(
        said.iter()
            .any(|d| d.kind == xtask::diag::Kind::NameCollision),
        "{said:?}"
    );
}

#[test]
fn of_two_operations_with_one_name_on_paths_as_short_the_one_on_more_paths_keeps_it() {
    // The contact's page comes first, the user's has two paths: it keeps the name. The other
    // is named after its parent, without a second `Of` (not `listMemberOfOfContacts`).
    let names = names_of_list_pages(
        "List memberOf",
        &[
            ("api/orgcontact-list-memberof.md", "/contacts/{id}/memberOf"),
            (
                "api/user-list-memberof.md",
                "/me/memberOf\nGET /users/{id}/memberOf",
            ),
        ],
    );
    assert_eq!(
        names,
        [
            (
                "/contacts/{id}/memberOf".to_owned(),
                "listMemberOfContacts".to_owned()
            ),
            ("/me/memberOf".to_owned(), "listMemberOf".to_owned()),
        ]
    );
}

#[test]
fn a_colliding_name_is_told_apart_by_a_resource_the_keeper_does_not_hang_off() {
    // `/planner/plans` keeps `listPlans`; `/me/planner/plans` hangs off `planner` too, which
    // would not tell it apart: it is named after `me`.
    let names = names_of_list_pages(
        "List plans",
        &[
            ("api/planner-list-plans.md", "/planner/plans"),
            (
                "api/plannergroup-list-plans.md",
                "/groups/{id}/planner/plans",
            ),
            ("api/planneruser-list-plans.md", "/me/planner/plans"),
        ],
    );
    let names: Vec<&str> = names.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["listPlansOfGroups", "listPlansOfMe", "listPlans"]);
}

/// A list page titled `title` of `GET {request}`, answering a collection of `item`s.
fn list_page(title: &str, request: &str, item: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndoc_type: apiPageType\n---\n\n# {title}\n\n\
         Namespace: microsoft.graph\n\nGet the objects.\n\n\
         ## HTTP request\n\n```http\nGET {request}\n```\n\n## Response\n\nIf successful, \
         this method returns a `200 OK` response code and a collection of \
         [{item}](../resources/{}.md) objects in the response body.\n",
        item.to_ascii_lowercase()
    )
}

/// The (first path, name) of each operation of list pages titled `title`, one page per
/// (file, request line) in that order, sorted by path.
fn names_of_list_pages(title: &str, pages: &[(&str, &str)]) -> Vec<(String, String)> {
    let texts: Vec<(&str, String)> = pages
        .iter()
        .map(|(name, request)| (*name, list_page(title, request, "directoryObject")))
        .collect();
    let model = model_of_texts(&texts);
    let mut names: Vec<(String, String)> = model.versions["v1.0"]
        .operations
        .iter()
        .map(|o| (o.paths[0].raw.clone(), o.name.clone()))
        .collect();
    names.sort();
    names
}

/// An update page that documents `PATCH {documented}` and calls `PATCH {called}` in its example.
fn update_page(title: &str, documented: &str, called: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndoc_type: apiPageType\n---\n\n# {title}\n\n\
         Namespace: microsoft.graph\n\nUpdate the properties of a widget.\n\n\
         ## HTTP request\n\n```http\nPATCH {documented}\n```\n\n## Response\n\n\
         If successful, this method returns a `204 No Content` response code.\n\n\
         ## Example\n\n### Request\n\n<!-- {{ \"blockType\": \"request\", \"name\": \"update\" }} -->\n\
         ```http\nPATCH https://graph.microsoft.com/v1.0{called}\nContent-type: application/json\n\n\
         {{\n  \"name\": \"w\"\n}}\n```\n\n### Response\n\n\
         <!-- {{ \"blockType\": \"response\" }} -->\n```http\nHTTP/1.1 204 No Content\n```\n"
    )
}

#[test]
fn an_example_on_me_adds_the_me_form_of_a_documented_users_path() {
    let gadget = (
        "api/user-update-gadget.md",
        update_page(
            "Update gadget",
            "/users/{id | userPrincipalName}/gadget",
            "/me/gadget",
        ),
    );
    // `/me/widget` is not the `/me` form of `/users/{id}/gadget`s.
    let other = (
        "api/user-update-widget.md",
        update_page("Update widget", "/users/{id}/gadgets/{id}", "/me/widget"),
    );
    let model = model_of_texts(&[gadget.clone(), other]);
    let ops = &model.versions["v1.0"].operations;
    let raws = |name: &str| -> Vec<&str> {
        let op = ops.iter().find(|o| o.name == name).unwrap();
        op.paths.iter().map(|p| p.raw.as_str()).collect()
    };
    assert_eq!(
        raws("updateGadget"),
        ["/users/{id | userPrincipalName}/gadget", "/me/gadget"]
    );
    assert_eq!(raws("updateWidget"), ["/users/{id}/gadgets/{id}"]);
    let said = common::diagnostics_of(&model, "api/user-update-gadget.md");
    assert!(
        said.iter().any(|d| d.kind == xtask::diag::Kind::MeAlias
            && d.message.contains("`/me/gadget`")
            && d.span.line > 1),
        "{said:?}"
    );
    let code = common::generated_text(&model);
    assert!(code.contains("pub fn me() -> Self"), "{code}");
    // An operation that documents `/me/gadget` itself keeps it: the example is not added to
    // another operation as well.
    let own = (
        "api/me-update-gadget.md",
        update_page("Update my gadget", "/me/gadget", "/me/gadget"),
    );
    let model = model_of_texts(&[own, gadget]);
    let shapes: Vec<String> = model.versions["v1.0"]
        .operations
        .iter()
        .flat_map(|o| o.paths.iter().map(|p| p.shape()))
        .filter(|s| s == "/me/gadget")
        .collect();
    assert_eq!(shapes.len(), 1, "{shapes:?}");
}

#[test]
fn the_body_of_a_reference_is_the_shared_reference_type() {
    let page = fixture("add-member-reference.md");
    let model = common::model_of(&[(&page, "api/widgetgroup-post-members.md", "v1.0")]);
    let vm = &model.versions["v1.0"];
    // The page names a directoryObject; what `POST .../$ref` takes is `{"@odata.id": url}`.
    assert_eq!(
        vm.operations[0].body,
        Some(xtask::model::BodyModel::Type {
            ty: xtask::model::TypeRef::Named("microsoft.graph.reference".to_owned())
        })
    );
    let reference = &vm.types["microsoft.graph.reference"];
    let xtask::model::TypeKind::Struct { properties } = &reference.kind else {
        panic!("a struct");
    };
    let names: Vec<&str> = properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["@odata.id"]);
    let code = common::generated_text(&model);
    assert!(
        code.contains("body: crate::models::v1::Reference"),
        "{code}"
    );
    assert!(
        code.contains("out.field(\"@odata.id\", &self.odata_id);"),
        "{code}"
    );
    // The example's body is a reference: its case has no finding.
    let cases = xtask::conformance::extract(&model).cases;
    assert_eq!(cases.len(), 1, "{cases:?}");
    assert!(cases[0].finding.is_none(), "{cases:?}");
}

#[test]
fn optional_arguments_in_a_required_column_give_a_call_without_them() {
    let page = fixture("function-arguments-required-column.md");
    let model = common::model_of(&[(&page, "api/reports-getgrouparchivedwidgetjobs.md", "v1.0")]);
    let op = &model.versions["v1.0"].operations[0];
    let raws: Vec<&str> = op.paths.iter().map(|p| p.raw.as_str()).collect();
    // `groupId` is required, `startDateTime` is not (`Required? | No`): both calls, and no
    // call without the group.
    assert_eq!(
        raws,
        [
            "/reports/getGroupArchivedWidgetJobs(groupId='{groupId}')",
            "/reports/getGroupArchivedWidgetJobs(groupId='{groupId}',startDateTime={startDateTime})",
        ]
    );
    // Function parameters are no query parameters.
    assert!(
        op.query.iter().all(|q| q.name != "groupId"),
        "{:?}",
        op.query
    );
}

#[test]
fn a_list_of_a_base_type_can_be_cast_to_its_derived_types() {
    let base = fixture("cast-base-resource.md");
    let derived = fixture("cast-derived-resource.md");
    let widget = fixture("resource-widget.md");
    let list = fixture("cast-list-example.md");
    let model = common::model_of(&[
        (&base, "resources/gadget.md", "v1.0"),
        (&derived, "resources/gizmo.md", "v1.0"),
        (&widget, "resources/widget.md", "v1.0"),
        (&list, "api/lab-list-gadgets.md", "v1.0"),
    ]);
    let generated = common::generated_text(&model);
    // Every Graph type names itself; a derived type derives from its base.
    for expected in [
        "impl crate::GraphType for Gizmo {\n    const ODATA_TYPE: &'static str = \"microsoft.graph.gizmo\";",
        "impl crate::DerivedFrom<crate::v1::Gadget> for Gizmo {}",
        "pub fn cast<T: crate::models::DerivedFrom<crate::models::v1::Gadget>>(self) -> crate::runtime::Cast<T>",
    ] {
        assert!(generated.contains(expected), "{expected}\n{generated}");
    }
    assert!(!generated.contains("DerivedFrom<crate::v1::Widget>"));
    // A base type reads its items as a derived type; the others have no `downcast`.
    assert_eq!(
        generated
            .matches("pub fn downcast<T: crate::DerivedFrom<Self> + ::serde::de::DeserializeOwned>")
            .count(),
        1
    );
    let gadget = generated.find("impl Gadget {").expect("Gadget's downcast");
    assert!(generated[gadget..].contains("crate::downcast(self)"));
    assert!(!generated.contains("impl crate::DerivedFrom<crate::v1::Gizmo>"));

    // The example that casts to a derived type is a case sent with `cast::<Gizmo>()`, its
    // answer checked against the derived type; a cast to an unrelated type matches no path.
    let conf = xtask::conformance::extract(&model);
    let sends: Vec<_> = conf
        .cases
        .iter()
        .map(|c| (c.cast.as_deref(), c.count))
        .collect();
    assert_eq!(
        sends,
        [
            // `.../microsoft.graph.gizmo/$count` (cases in id order: `count_gizmos` first):
            // `cast::<Gizmo>().send_count()`, answered with a number whatever text the docs show.
            (Some("microsoft.graph.gizmo"), true),
            (Some("microsoft.graph.gizmo"), false),
        ]
    );
    assert_eq!(
        conf.cases[0].response.body,
        Some(serde_json::Value::from(xtask::conformance::COUNT))
    );
    assert_eq!(conf.cases[0].finding, None);
    assert_eq!(
        conf.cases[1].expect.path,
        "/v1.0/labs/lab-1/gadgets/microsoft.graph.gizmo"
    );
    assert_eq!(conf.cases[1].finding, None);
    assert_eq!(conf.skips.len(), 1);
    assert_eq!(conf.skips[0].reason.as_str(), "unresolvable-path");
    let messages: Vec<&str> = conf
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("microsoft.graph.widget"),
        "{messages:?}"
    );
}

#[test]
fn permissions_keep_the_columns_the_docs_give() {
    // Three columns: least and higher privileged apart.
    let split = common::model_of(&[(
        &fixture("permissions-and-clouds.md"),
        "api/permissions-and-clouds.md",
        "v1.0",
    )]);
    let generated = common::generated_text(&split);
    assert!(
        generated.contains("/// | Permission type | Least privileged | Higher privileged |"),
        "{generated}"
    );
    // Two columns (most of the docs): one list from least to most privileged, not a "higher
    // privileged" column said to be "Not supported".
    let listed = common::model_of(&[(
        &fixture("callouts-before-description.md"),
        "api/widget-get.md",
        "v1.0",
    )]);
    let perms = &listed.versions["v1.0"].operations[0].permissions;
    assert!(!perms.is_empty());
    assert!(perms.iter().all(|p| p.higher.is_none()), "{perms:?}");
    let generated = common::generated_text(&listed);
    assert!(
        generated.contains(
            "/// | Permission type | Permissions (from least to most privileged) |\n    /// |---|---|\n    /// | Delegated (work or school account) | Widget.Read.All |\n    /// | Delegated (personal Microsoft account) | Not supported |\n    /// | Application | Widget.Read.All |\n"
        ),
        "{generated}"
    );
    assert!(!generated.contains("Higher privileged"), "{generated}");
}

#[test]
fn a_segment_spelt_in_another_case_joins_its_resources_group() {
    let pages = [
        (
            "api/gadgetbay-activate.md",
            action_page(
                "activate",
                "/gadgetBays/{id}/activate",
                &[("mode", "String")],
            ),
        ),
        (
            "api/gadgetbay-reset.md",
            action_page("reset", "/gadgetBays/{id}/reset", &[("mode", "String")]),
        ),
        // One page writes the segment in lower case (Graph's paths are case-insensitive).
        (
            "api/gadgetbay-park.md",
            action_page("park", "/gadgetbays/{id}/park", &[("mode", "String")]),
        ),
    ];
    let model = model_of_texts(&pages);
    let groups: Vec<&str> = model.versions["v1.0"]
        .operations
        .iter()
        .map(|o| o.group.as_str())
        .collect();
    assert_eq!(groups, ["gadgetBays"; 3]);
    assert_eq!(kinds(&model), ["segment-case"]);
    let generated = common::generated_text(&model);
    assert!(!generated.contains("pub fn gadgetbays("), "{generated}");
    // The path stays as documented.
    assert!(generated.contains("/gadgetbays/{}/park"), "{generated}");
}

#[test]
fn query_parameters_the_docs_require_are_arguments() {
    let path = fixture("required-query-parameters.md");
    let (page, diags) = common::parse_file(&path, "fixtures/required-query-parameters.md", "v1.0");
    let model = xtask::model::build(vec![page], diags);
    let op = &model.versions["v1.0"].operations[0];
    let required: Vec<(&str, bool)> = op
        .query
        .iter()
        .map(|q| (q.name.as_str(), q.required))
        .collect();
    // Written with placeholders on every request line, or "Required." in the table; OData
    // options and "Optional." parameters stay setters.
    assert_eq!(
        required[..4],
        [
            ("startDateTime", true),
            ("endDateTime", true),
            ("timeZone", false),
            ("sortOrder", true),
        ]
    );
    assert!(required[4..]
        .iter()
        .all(|(name, req)| name.starts_with('$') && !req));
    let code = common::generated_text(&model);
    // The timestamps (`...DateTime`, typed `String` by the docs) take a `DateTimeOffset` (text or
    // a `time` value, written as RFC 3339); other text anything `Display`.
    assert!(code.contains("start_date_time: impl ::std::convert::Into<crate::models::DateTimeOffset>, end_date_time: impl ::std::convert::Into<crate::models::DateTimeOffset>, sort_order: impl ::std::fmt::Display) -> ListCalendarView"), "{code}");
    assert!(
        op.query.iter().filter(|q| q.is_timestamp()).count() == 2,
        "{:?}",
        op.query
    );
    assert!(code.contains(r#"req.query("startDateTime", self.start_date_time.as_str());"#));
    assert!(!code.contains("pub fn start_date_time("));
    assert!(code.contains("pub fn time_zone("));
}

#[test]
fn a_request_line_that_expands_this_resource_on_its_parent_is_not_a_path() {
    let page = |title: &str, block: &str| {
        api_page(
            title,
            block,
            "a `200 OK` response code and a [directoryObject](../resources/directoryobject.md) object in the response body",
        )
    };
    let model = model_of_texts(&[
        (
            "v1.0/api/user-list-manager.md",
            page(
                "List manager",
                "GET /me/manager\nGET /users/{id}/manager\n```\n\nGet the chain:\n\n```http\n\
                 GET /me?$expand=manager\nGET /users?$expand=manager($levels=n)\n\
                 GET /users/{id}/?$expand=manager($levels=n)",
            ),
        ),
        (
            "v1.0/api/extendedproperty-get.md",
            page(
                "Get extended property",
                "GET /me/mailFolders/{id}?$expand=extendedProperties($filter=id eq '{id_value}')\n\
                 GET /me/mailFolders/{id}/messages/{id}?$expand=extendedProperties($filter=id eq '{id_value}')",
            ),
        ),
    ]);
    let paths = |name: &str| op_paths(&model, name);
    assert_eq!(paths("listManager"), ["/me/manager", "/users/{id}/manager"]);
    // Every line of this page expands: they are the operation's paths.
    assert_eq!(paths("getExtendedProperty").len(), 2);
    let lines: Vec<u32> = model
        .diagnostics
        .iter()
        .filter(|d| d.kind == xtask::diag::Kind::ParentWithOptions)
        .map(|d| d.span.line)
        .collect();
    assert_eq!(lines.len(), 3, "{:#?}", model.diagnostics);
}

#[test]
fn paths_alike_but_for_parameters_are_named_by_them_and_a_trailing_slash_is_no_other_path() {
    let page =
        |title: &str, block: &str| api_page(title, block, "a `204 No Content` response code");
    let model = model_of_texts(&[
        (
            "v1.0/api/driveitem-put-content.md",
            page(
                "Upload content",
                "PUT /me/drive/items/{item-id}/content\n\
                 PUT /me/drive/items/{parent-id}:/{filename}:/content",
            ),
        ),
        (
            "v1.0/api/user-list-mailfolders.md",
            page(
                "List mailFolders",
                "GET /me/mailFolders\nGET /me/mailFolders/?includeHiddenFolders=true",
            ),
        ),
        (
            "v1.0/api/onlinemeeting-get.md",
            page(
                "Get onlineMeeting",
                "GET /me/onlineMeetings/{meetingId}\n\
                 GET /me/onlineMeetings?$filter=JoinWebUrl%20eq%20'{joinWebUrl}'",
            ),
        ),
        (
            "v1.0/api/mobileappcontent-list.md",
            page(
                "List mobileAppContents",
                "GET /deviceAppManagement/mobileApps/{id}/microsoft.graph.mobileLobApp/contentVersions\n\
                 GET /deviceAppManagement/mobileApps/{id}/microsoft.graph.managedMobileLobApp/contentVersions",
            ),
        ),
    ]);
    let paths = |name: &str| op_paths(&model, name);
    assert_eq!(paths("listMailFolders"), ["/me/mailFolders"]);
    // The filtered collection answers a list: not a path of the item's `GET`.
    assert_eq!(
        paths("getOnlineMeeting"),
        ["/me/onlineMeetings/{meetingId}"]
    );
    let code = common::generated_text(&model);
    assert!(code.contains("pub fn me_drive_items(item_id:"), "{code}");
    assert!(
        code.contains("pub fn me_drive_items_parent_id_filename(parent_id:"),
        "{code}"
    );
    // A cast segment names its variant without its namespace.
    assert!(
        code.contains("pub fn device_app_management_mobile_apps_mobile_lob_app(id:"),
        "{code}"
    );
    assert!(
        code.contains("pub fn device_app_management_mobile_apps_managed_mobile_lob_app(id:"),
        "{code}"
    );
}

#[test]
fn a_put_beside_a_patch_on_one_page_is_named_put() {
    let text = api_page(
        "Update organizationalBrandingProperties",
        "PATCH /organization/{id}/branding\nPUT /organization/{id}/branding/{property name}",
        "a `204 No Content` response code",
    );
    let model = model_of_texts(&[("v1.0/api/organizationalbrandingproperties-update.md", text)]);
    let mut names: Vec<(&str, &str)> = model.versions["v1.0"]
        .operations
        .iter()
        .map(|o| (o.method.as_str(), o.name.as_str()))
        .collect();
    names.sort();
    assert_eq!(names, [("PATCH", "updateBranding"), ("PUT", "putBranding")]);
}

/// An API page with a title, a request block (`block`, its request lines) and a response
/// sentence ("If successful, this method returns {response}.").
fn api_page(title: &str, block: &str, response: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndoc_type: apiPageType\n---\n\n# {title}\n\nDo it.\n\n\
         ## HTTP request\n\n```http\n{block}\n```\n\n## Response\n\nIf successful, this method \
         returns {response}.\n"
    )
}

/// The paths of the v1.0 operation `name` of a model.
fn op_paths<'a>(model: &'a xtask::model::ApiModel, name: &str) -> Vec<&'a str> {
    let ops = &model.versions["v1.0"].operations;
    ops.iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("{name}: {ops:#?}"))
        .paths
        .iter()
        .map(|p| p.raw.as_str())
        .collect()
}

#[test]
fn a_page_that_reads_several_resources_joins_each_resource_s_own_operation() {
    // The extended-property pages: one request per resource, each the resource's own `GET`
    // with an option. The page comes first in page order.
    let get = |title: &str, block: &str| api_page(title, block, "a `200 OK` response code");
    let model = model_of_texts(&[
        (
            "v1.0/api/a-extendedproperty-get.md",
            get(
                "Get extended property",
                "GET /me/messages/{id}?$expand=x($filter=id eq '{id_value}')\n\
                 GET /me/events/{id}?$expand=x($filter=id eq '{id_value}')\n\
                 GET /me/calendars/{id}?$expand=x($filter=id eq '{id_value}')\n\
                 GET /me/contacts/{id}?$expand=x($filter=id eq '{id_value}')",
            ),
        ),
        (
            "v1.0/api/contact-get.md",
            get("Get contact", "GET /me/contacts/{id}"),
        ),
        (
            "v1.0/api/event-get.md",
            get("Get event", "GET /me/events/{id}"),
        ),
        (
            "v1.0/api/message-get.md",
            get(
                "Get message",
                "GET /me/messages/{id}\nGET /me/messages/{id}/$value",
            ),
        ),
    ]);
    assert_eq!(
        op_paths(&model, "getMessage"),
        ["/me/messages/{id}", "/me/messages/{id}/$value"]
    );
    assert_eq!(op_paths(&model, "getEvent"), ["/me/events/{id}"]);
    assert_eq!(op_paths(&model, "getContact"), ["/me/contacts/{id}"]);
    // What no other operation has stays the page's.
    assert_eq!(
        op_paths(&model, "getExtendedProperty"),
        ["/me/calendars/{id}"]
    );
    let event = model.versions["v1.0"]
        .operations
        .iter()
        .find(|o| o.name == "getEvent")
        .unwrap();
    assert_eq!(event.sources.len(), 2, "{:?}", event.sources);
}

#[test]
fn a_body_parameter_named_like_a_path_parameter_keeps_its_setter_name() {
    let text = "---\ntitle: \"Share schedule\"\ndoc_type: apiPageType\n---\n\n# Share schedule\n\n\
                Share it.\n\n## HTTP request\n\n```http\nPOST /teams/{id}/schedule/share\n```\n\n\
                ## Request body\n\n| Parameter | Type | Description |\n|:---|:---|:---|\n\
                | id | String | The id of the shift. |\n| notifyTeam | Boolean | Notify the team. |\n\
                | shiftIds | String collection | The shifts. |\n\n\
                ## Response\n\nIf successful, this method returns a `204 No Content` response code.\n";
    let model = model_of_texts(&[("v1.0/api/schedule-share.md", text.to_owned())]);
    let code = common::generated_text(&model);
    // The path parameter is the field `id`, the body parameter the setter `.id(..)`.
    assert!(code.contains("pub fn share_schedule(&self, id: "), "{code}");
    assert!(
        code.contains(
            "pub fn id(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self"
        ),
        "{code}"
    );
    assert!(
        code.contains("self.body.id = Some(value.into());"),
        "{code}"
    );
    // Not text: the value itself.
    assert!(
        code.contains("pub fn notify_team(mut self, value: bool) -> Self"),
        "{code}"
    );
    // A list: anything that iterates over what converts into its items (`["a", "b"]`).
    assert!(code.contains("pub fn shift_ids(mut self, value: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<::std::string::String>>) -> Self"), "{code}");
    assert!(code.contains(
        "self.body.shift_ids = Some(value.into_iter().map(::std::convert::Into::into).collect());"
    ));
}

/// The v1.0 operation `name` of a model.
fn op<'a>(model: &'a xtask::model::ApiModel, name: &str) -> &'a xtask::model::Operation {
    let ops = &model.versions["v1.0"].operations;
    ops.iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("{name}: {ops:#?}"))
}

#[test]
fn requests_in_subsections_are_operations_of_their_own() {
    let (page, diags) = common::parse_file(
        &fixture("request-subsections.md"),
        "fixtures/request-subsections.md",
        "v1.0",
    );
    // The subsection without a request block gives no headers and no request lines.
    assert!(page.headers.is_empty(), "{:?}", page.headers);
    assert_eq!(page.requests.len(), 6);
    let model = xtask::model::build(vec![page], diags);
    assert!(
        !kinds(&model).contains(&"bad-request-line"),
        "{:?}",
        kinds(&model)
    );
    let content = op(&model, "getPhotoContent");
    assert_eq!(
        op_paths(&model, "getPhotoContent"),
        ["/me/photo/$value", "/users/{id}/photo/$value"]
    );
    // "binary data" of a `$value`: the raw bytes.
    assert_eq!(
        content.response.ty,
        Some(xtask::model::TypeRef::Prim(xtask::model::Prim::Stream))
    );
    let metadata = op(&model, "getPhoto");
    // `GET /me/photos` lists what the third subsection gets one of: not a path of this one.
    assert_eq!(
        op_paths(&model, "getPhoto"),
        ["/me/photo", "/users/{id}/photo"]
    );
    assert!(kinds(&model).contains(&"parent-with-options"));
    assert!(
        matches!(&metadata.response.ty, Some(xtask::model::TypeRef::Named(n)) if n.ends_with("profilePhoto")),
        "{:?}",
        metadata.response.ty
    );
    // The third subsection's response is the metadata's (`metadata`, `photo` in common).
    // One photo of a size, in the singular (`photos.getPhoto`, beside `photo.getPhoto`).
    let of_size = model.versions["v1.0"]
        .operations
        .iter()
        .find(|o| o.paths[0].raw == "/me/photos/{size}")
        .unwrap();
    assert_eq!(
        (of_size.group.as_str(), of_size.name.as_str()),
        ("photos", "getPhoto")
    );
    assert_eq!(of_size.paths.len(), 1);
    assert_eq!(of_size.response.ty, metadata.response.ty);
    // Each takes the examples that request its paths.
    let names = |o: &xtask::model::Operation| -> Vec<Option<String>> {
        o.examples.iter().map(|e| e.name.clone()).collect()
    };
    assert_eq!(names(content), [Some("get_photo".to_owned())]);
    assert_eq!(names(metadata), [Some("get_photo_metadata".to_owned())]);
}

#[test]
fn a_page_without_an_http_request_section_reads_its_requests_where_they_are() {
    let model = fixture_model("request-without-section.md");
    // Two blocks under other headings and the example written as a template; the example host
    // name is a parameter, of the same shape as the template's.
    assert_eq!(
        op_paths(&model, "getSiteResource"),
        [
            "/sites/root",
            "/sites/{hostname}",
            "/groups/{group-id}/sites/root"
        ]
    );
    let found = kinds(&model);
    assert_eq!(count_of(&found, "request-elsewhere"), 3, "{found:?}");
    assert!(found.contains(&"literal-id"), "{found:?}");
    assert!(!found.contains(&"no-http-request"), "{found:?}");
}

#[test]
fn a_page_that_creates_other_resources_on_the_way_joins_their_operations() {
    // `opentypeextension-post-opentypeextension.md`: "Create an extension in a new resource
    // instance" is each resource's own create, whose first path is not the first of its
    // operation; the resources' operations keep their paths and bodies.
    // The extension page's body is better documented (a type) than the resources' own (a
    // parameter table): were it merged in as an operation of theirs, it would win.
    let page = |title: &str, block: &str, body: &str| {
        format!(
            "---\ntitle: \"{title}\"\ndoc_type: apiPageType\n---\n\n# {title}\n\nDo it.\n\n\
             ## HTTP request\n\n```http\n{block}\n```\n\n## Request body\n\n{body}\n\n\
             ## Response\n\nIf successful, this method returns a `201 Created` response code.\n"
        )
    };
    let table =
        "| Parameter | Type | Description |\n|:--|:--|:--|\n| subject | String | The subject. |";
    let model = model_of_texts(&[
        (
            "v1.0/api/a-extension-post.md",
            page(
                "Create extension",
                "POST /users/{id}/events\nPOST /users/{id}/messages",
                "Supply a JSON representation of [openTypeExtension](../resources/opentypeextension.md).",
            ),
        ),
        (
            "v1.0/api/user-post-events.md",
            page("Create event", "POST /me/events\nPOST /users/{id}/events", table),
        ),
        (
            "v1.0/api/user-post-messages.md",
            page(
                "Create message",
                "POST /me/messages\nPOST /users/{id}/messages",
                table,
            ),
        ),
    ]);
    let names: Vec<&str> = model.versions["v1.0"]
        .operations
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(
        op_paths(&model, "createEvent"),
        ["/me/events", "/users/{id}/events"]
    );
    assert_eq!(
        op_paths(&model, "createMessage"),
        ["/me/messages", "/users/{id}/messages"]
    );
    // The report names the operations the page's requests came out as.
    let report = model
        .pages
        .iter()
        .find(|p| p.file.ends_with("a-extension-post.md"))
        .unwrap();
    assert_eq!(
        report.operations,
        ["events.createEvent", "messages.createMessage"]
    );
    for name in ["createEvent", "createMessage"] {
        let o = op(&model, name);
        assert_eq!(o.sources.len(), 2, "{:?}", o.sources);
        assert!(
            matches!(&o.body, Some(xtask::model::BodyModel::Parameters { .. })),
            "{name}: {:?}",
            o.body
        );
    }
}

#[test]
fn an_enum_property_that_says_comma_separated_holds_several_members() {
    let enum_page = std::fs::read_to_string(fixture("enum-page.md")).unwrap();
    let action = "---\ntitle: \"Flag messages\"\ndoc_type: apiPageType\n---\n\n# Flag messages\n\n\
                  ## HTTP request\n\n```http\nPOST /me/flagMessages\n```\n\n## Request body\n\n\
                  | Parameter | Type | Description |\n|:--|:--|:--|\n\
                  | levels | [importance](../resources/importance.md) | A comma-separated list of levels. |\n\
                  | level | [importance](../resources/importance.md) | One level. |\n\n\
                  ## Response\n\nIf successful, this method returns a `204 No Content` response code.\n"
        .to_owned();
    let model = model_of_texts(&[
        ("v1.0/resources/importance.md", enum_page),
        ("v1.0/api/user-flagmessages.md", action),
    ]);
    let code = common::generated_text(&model);
    assert!(
        code.contains("pub levels: ::std::option::Option<crate::Flags<crate::v1::Importance>>,"),
        "{code}"
    );
    assert!(
        code.contains("pub level: ::std::option::Option<crate::v1::Importance>,"),
        "{code}"
    );
    // The setter takes anything that makes the flags, an array of members too.
    assert!(
        code.contains("pub fn levels(mut self, value: impl ::std::convert::Into<crate::models::Flags<crate::models::v1::Importance>>) -> Self"),
        "{code}"
    );
}

#[test]
fn request_blocks_of_other_sections_are_requests_of_the_page() {
    // `drive-list.md`: one form under `HTTP request`, the others as the request block of a
    // section of their own; the example under `Example` stays an example only.
    let model = fixture_model("requests-in-sections.md");
    assert_eq!(
        op_paths(&model, "listAvailableDrives"),
        [
            "/groups/{groupId}/drives",
            "/users/{userId}/drives",
            "/me/drives"
        ]
    );
    let found = kinds(&model);
    assert_eq!(count_of(&found, "request-elsewhere"), 2, "{found:?}");
}

#[test]
fn a_parameter_name_a_path_repeats_is_named_after_its_resource() {
    let model = fixture_model("catch-all-paths.md");
    let code = common::generated_text(&model);
    // `/groups/{id}/threads/{id}/posts/{id}/reply`
    assert!(
        code.contains(
            "GroupsThreadsPostsReply { group_id, thread_id, post_id } => format!(\"/groups/{}/threads/{}/posts/{}/reply\""
        ),
        "{code}"
    );
    assert!(!code.contains("id_2"), "{code}");
}

#[test]
fn a_response_section_after_the_example_gives_the_response() {
    let model = fixture_model("response-after-example.md");
    let op = &model.versions["v1.0"].operations[0];
    assert_eq!(op.response.status, 302);
    // A redirect to a download: the operation answers the downloaded bytes.
    let code = common::generated_text(&model);
    assert!(
        code.contains("pub async fn send(self) -> crate::Result<::bytes::Bytes>"),
        "{code}"
    );
}

#[test]
fn a_parameter_is_named_after_its_collection_as_the_other_paths_spell_it() {
    let model = model_of_texts(&[
        (
            "api/calendargroup-list.md",
            list_page("List calendar groups", "/me/calendarGroups", "event"),
        ),
        (
            "api/calendar-list-events.md",
            list_page(
                "List events",
                "/me/calendargroups/{id}/calendars/{id}/events",
                "event",
            ),
        ),
    ]);
    let code = common::generated_text(&model);
    assert!(
        code.contains("calendar_group_id: impl ::std::convert::Into<::std::string::String>, calendar_id: impl"),
        "{code}"
    );
}

#[test]
fn a_permissions_table_of_scenarios_gives_each_types_permissions_per_scenario() {
    let page = "---\ntitle: \"Get widget\"\ndoc_type: apiPageType\n---\n\n# Get widget\n\n\
         Namespace: microsoft.graph\n\nGet a widget.\n\n## Permissions\n\n\
         | Widget | Delegated (work or school account) | Delegated (personal Microsoft account) | Application |\n\
         |:--|:--|:--|:--|\n\
         | user widget | Widget.Read, Widget.ReadWrite | Widget.Read | Widget.Read.All |\n\
         | group widget | Group.Read.All | Not supported. | Not supported. |\n\n\
         ## HTTP request\n\n```http\nGET /widgets/{id}\n```\n\n## Response\n\n\
         If successful, this method returns a `200 OK` response code and a \
         [widget](../resources/widget.md) object in the response body.\n";
    let model = model_of_texts(&[("api/widget-get.md", page.to_owned())]);
    let perms: Vec<(&str, Vec<&str>)> = model.versions["v1.0"].operations[0]
        .permissions
        .iter()
        .map(|p| {
            (
                p.kind.as_str(),
                p.least.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        perms,
        [
            (
                "Delegated (work or school account), user widget",
                vec!["Widget.Read", "Widget.ReadWrite"]
            ),
            (
                "Delegated (personal Microsoft account), user widget",
                vec!["Widget.Read"]
            ),
            ("Application, user widget", vec!["Widget.Read.All"]),
            (
                "Delegated (work or school account), group widget",
                vec!["Group.Read.All"]
            ),
            (
                "Delegated (personal Microsoft account), group widget",
                vec![]
            ),
            ("Application, group widget", vec![]),
        ]
    );
    let code = common::generated_text(&model);
    assert!(
        code.contains("/// | Application, user widget | Widget.Read.All |"),
        "{code}"
    );
    assert!(!code.contains("Not documented."), "{code}");
}

/// An api page of `method path` with a request-body section (`prose`, then a table of
/// (property, type) rows) and a response sentence.
fn body_page(
    title: &str,
    request: &str,
    prose: &str,
    rows: &[(&str, &str)],
    response: &str,
) -> String {
    let rows: String = rows
        .iter()
        .map(|(name, ty)| format!("| {name} | {ty} | The {name}. Required. |\n"))
        .collect();
    format!(
        "---\ntitle: \"{title}\"\ndoc_type: apiPageType\n---\n\n# {title}\n\n\
         Namespace: microsoft.graph\n\n{title}.\n\n\
         ## HTTP request\n\n```http\n{request}\n```\n\n\
         ## Request body\n\n{prose}\n\n| Property | Type | Description |\n|:--|:--|:--|\n{rows}\n\
         ## Response\n\n{response}\n"
    )
}

#[test]
fn a_body_table_of_a_resources_properties_sends_the_resource() {
    let gizmo = (
        "resources/gizmo.md",
        "---\ntitle: \"gizmo resource type\"\ndoc_type: resourcePageType\n---\n\n\
         # gizmo resource type\n\nNamespace: microsoft.graph\n\nA gizmo.\n\n## Properties\n\n\
         | Property | Type | Description |\n|:--|:--|:--|\n| id | String | The id. |\n\
         | displayName | String | The name. |\n| size | Int32 | The size. |\n"
            .to_owned(),
    );
    let returns_gizmo = |status: &str| {
        format!(
            "If successful, this method returns a `{status}` response code and a \
             [gizmo](../resources/gizmo.md) object in the response body."
        )
    };
    let pages = [
        gizmo,
        // The prose names the resource without a link.
        (
            "api/gizmo-create.md",
            body_page(
                "Create gizmo",
                "POST /gizmos",
                "In the request body, supply a JSON representation for the gizmo object.",
                &[("displayName", "String"), ("size", "Int32")],
                &returns_gizmo("201 Created"),
            ),
        ),
        // An update that names nothing and returns nothing: the resource a GET of its path
        // returns (a name in another case is still the property).
        (
            "api/gizmo-update.md",
            body_page(
                "Update gizmo",
                "PATCH /gizmos/{id}",
                "In the request body, supply the values for relevant fields that should be updated.",
                &[("DisplayName", "String")],
                "If successful, this method returns a `204 No Content` response code.",
            ),
        ),
        (
            "api/gizmo-get.md",
            list_page("Get gizmo", "/gizmos/{id}", "gizmo")
                .replace("a collection of", "a"),
        ),
        // An action's parameters stay a type of their own, even when a resource has them.
        (
            "api/gizmo-resize.md",
            body_page(
                "Resize gizmo",
                "POST /gizmos/{id}/resize",
                "In the request body, provide a JSON object with the following parameters.",
                &[("size", "Int32")],
                "If successful, this method returns a `204 No Content` response code.",
            ),
        ),
        // A table that lists something the resource does not have stays a type of its own.
        (
            "api/gizmo-replace.md",
            body_page(
                "Replace gizmo",
                "PUT /gizmos/{id}",
                "In the request body, supply a JSON representation of the gizmo object.",
                &[("displayName", "String"), ("owner@odata.bind", "String")],
                &returns_gizmo("200 OK"),
            ),
        ),
    ];
    let model = model_of_texts(&pages);
    let vm = &model.versions["v1.0"];
    let op = |name: &str| {
        let names: Vec<&str> = vm.operations.iter().map(|o| o.name.as_str()).collect();
        vm.operations
            .iter()
            .find(|o| o.name == name)
            .unwrap_or_else(|| panic!("{name} not in {names:?}"))
    };
    let gizmo_body = Some(xtask::model::BodyModel::Type {
        ty: xtask::model::TypeRef::Named("microsoft.graph.gizmo".to_owned()),
    });
    assert_eq!(op("createGizmo").body, gizmo_body);
    let fields: Vec<&str> = op("createGizmo")
        .body_fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(fields, ["displayName", "size"]);
    assert_eq!(op("updateGizmo").body, gizmo_body);
    for name in ["resizeGizmo", "replaceGizmo"] {
        assert!(
            matches!(
                op(name).body,
                Some(xtask::model::BodyModel::Parameters { .. })
            ),
            "{name}: {:?}",
            op(name).body
        );
    }
    let bodies: Vec<&str> = vm
        .types
        .values()
        .filter(|t| t.request_body)
        .map(|t| t.short.as_str())
        .collect();
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    assert!(
        model
            .pages
            .iter()
            .all(|p| p.types.iter().all(|t| vm.types.contains_key(t))),
        "the report names only types that are generated"
    );
    let code = common::generated_text(&model);
    assert!(
        code.contains("/// - `displayName`: The displayName. Required."),
        "{code}"
    );
    assert!(code.contains("body: crate::models::v1::Gizmo)"), "{code}");
}

#[test]
fn pages_of_kinds_of_a_base_type_make_one_operation_on_the_base() {
    let resource = |name: &str, base: Option<&str>, prop: &str| {
        let inherits = base
            .map(|b| {
                format!(
                    "Inherits from [{b}](../resources/{}.md).\n\n",
                    b.to_ascii_lowercase()
                )
            })
            .unwrap_or_default();
        (
            format!("resources/{}.md", name.to_ascii_lowercase()),
            format!(
                "---\ntitle: \"{name} resource type\"\ndoc_type: resourcePageType\n---\n\n\
                 # {name} resource type\n\nNamespace: microsoft.graph\n\nA {name}.\n\n{inherits}\
                 ## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n\
                 | {prop} | String | The {prop}. |\n"
            ),
        )
    };
    let create = |kind: &str| {
        (
            format!("api/intune-{}-create.md", kind.to_ascii_lowercase()),
            body_page(
                &format!("Create {kind}"),
                "POST /gizmos",
                &format!(
                    "In the request body, supply a JSON representation for the {kind} object."
                ),
                &[("color", "String")],
                &format!(
                    "If successful, this method returns a `201 Created` response code and a \
                     [{kind}](../resources/{}.md) object in the response body.",
                    kind.to_ascii_lowercase()
                ),
            ),
        )
    };
    let pages = [
        resource("gizmo", None, "id"),
        resource("redGizmo", Some("gizmo"), "color"),
        resource("blueGizmo", Some("gizmo"), "color"),
        // A kind no page creates.
        resource("greenGizmo", Some("gizmo"), "color"),
        create("redGizmo"),
        create("blueGizmo"),
    ];
    let pages: Vec<(&str, String)> = pages.iter().map(|(f, t)| (f.as_str(), t.clone())).collect();
    let model = model_of_texts(&pages);
    let vm = &model.versions["v1.0"];
    assert_eq!(vm.operations.len(), 1, "{:?}", vm.operations);
    let op = &vm.operations[0];
    // Named after the base, not after the first page's kind (`createRedGizmo`).
    assert_eq!(op.name, "createGizmo");
    let gizmo = xtask::model::TypeRef::Named("microsoft.graph.gizmo".to_owned());
    assert_eq!(
        op.body,
        Some(xtask::model::BodyModel::Type { ty: gizmo.clone() })
    );
    assert_eq!(op.response.ty, Some(gizmo));
    assert_eq!(
        op.variants,
        ["microsoft.graph.blueGizmo", "microsoft.graph.redGizmo"]
    );
    assert!(op.body_fields.is_empty(), "the table is of one kind");
    // Every kind of the body's type is in the operation's area (cargo feature), also one that
    // no page documents the operation with: it is what `upcast` sends.
    let areas = xtask::model::areas::Areas::of(vm);
    for kind in ["blueGizmo", "greenGizmo", "redGizmo"] {
        let of_kind = &areas.types[&format!("microsoft.graph.{kind}")];
        assert!(
            of_kind.contains(&areas.operations[0]),
            "{kind}: {of_kind:?}"
        );
    }
    assert_eq!(op.description.as_deref(), Some("Create gizmo."));
    let code = common::generated_text(&model);
    assert!(
        code.contains("with: `blueGizmo`, `redGizmo`. Make one of those the body with `graph_requests::models::upcast(&value)`"),
        "{code}"
    );
}

#[test]
fn a_body_inferred_from_an_example_types_values_as_the_named_resource_does() {
    let resource = |name: &str, rows: &str| {
        (
            format!("resources/{}.md", name.to_ascii_lowercase()),
            format!(
                "---\ntitle: \"{name} resource type\"\ndoc_type: resourcePageType\n---\n\n\
                 # {name} resource type\n\nNamespace: microsoft.graph\n\nA {name}.\n\n\
                 ## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n{rows}"
            ),
        )
    };
    // The example sends `extra`, which the resource does not list: the body stays a type of its
    // own, inferred from the example; `shape` is an object there, a `gizmoShape` on the page.
    // (A `201 Created` would make the body the created resource outright.)
    let create = (
        "api/gizmo-post.md".to_owned(),
        "---\ntitle: \"Create gizmo\"\ndoc_type: apiPageType\n---\n\n# Create gizmo\n\n\
         Namespace: microsoft.graph\n\nCreate a gizmo.\n\n## HTTP request\n\n```http\nPOST /gizmos\n```\n\n\
         ## Request body\n\nProvide the new [gizmo](../resources/gizmo.md) object in the request body.\n\n\
         ## Response\n\nIf successful, this method returns a `200 OK` response code and a \
         [gizmo](../resources/gizmo.md) object in the response body.\n\n## Example\n\n### Request\n\n\
         <!-- { \"blockType\": \"request\", \"name\": \"create_gizmo\" } -->\n\
         ```http\nPOST https://graph.microsoft.com/v1.0/gizmos\nContent-type: application/json\n\n\
         {\n  \"extra\": 1,\n  \"shape\": { \"sides\": 3 }\n}\n```\n"
            .to_owned(),
    );
    let pages = [
        resource(
            "gizmo",
            "| shape | [gizmoShape](gizmoshape.md) | The shape. |\n",
        ),
        resource("gizmoShape", "| sides | Int32 | The sides. |\n"),
        create,
    ];
    let pages: Vec<(&str, String)> = pages.iter().map(|(f, t)| (f.as_str(), t.clone())).collect();
    let model = model_of_texts(&pages);
    let vm = &model.versions["v1.0"];
    let body = vm
        .types
        .values()
        .find(|t| t.request_body)
        .expect("an inferred body type");
    let xtask::model::TypeKind::Struct { properties } = &body.kind else {
        panic!("a struct");
    };
    let ty = |name: &str| &properties.iter().find(|p| p.name == name).unwrap().ty;
    assert_eq!(
        ty("shape"),
        &xtask::model::TypeRef::Named("microsoft.graph.gizmoShape".to_owned())
    );
    assert_eq!(
        ty("extra"),
        &xtask::model::TypeRef::Prim(xtask::model::Prim::Int64)
    );
}

#[test]
fn a_post_to_an_action_is_named_after_the_action_not_a_sentence_title() {
    let post = |title: &str, block: &str| api_page(title, block, "a `200 OK` response code");
    let model = model_of_texts(&[
        (
            "api/driveitem-createuploadsession.md",
            post(
                "Upload large files with an upload session",
                "POST /drives/{driveId}/items/{itemId}/createUploadSession",
            ),
        ),
        // A plural segment is a collection: its `POST` creates, named by its title.
        (
            "api/policyroot-post-gizmopolicies.md",
            post("Create gizmoPolicy", "POST /policies/gizmoPolicies"),
        ),
        // So is a segment that a type has as a property, plural or not.
        (
            "api/schedule-post-timeoff.md",
            post("Create timeOff", "POST /teams/{id}/schedule/timeOff"),
        ),
        (
            "resources/schedule.md",
            "---\ntitle: \"schedule resource type\"\ndoc_type: resourcePageType\n---\n\n\
             # schedule resource type\n\nNamespace: microsoft.graph\n\nA schedule.\n\n\
             ## Relationships\n\n| Relationship | Type | Description |\n|:--|:--|:--|\n\
             | timeOff | [timeOff](timeoff.md) collection | The time off. |\n"
                .to_owned(),
        ),
    ]);
    let ops = &model.versions["v1.0"].operations;
    let named: Vec<(&str, &str)> = ops
        .iter()
        .map(|o| (o.group.as_str(), o.name.as_str()))
        .collect();
    assert!(
        named.contains(&("items", "createUploadSession")),
        "{named:?}"
    );
    assert!(
        named.contains(&("gizmoPolicies", "createGizmoPolicy")),
        "{named:?}"
    );
    assert!(named.contains(&("timeOff", "createTimeOff")), "{named:?}");
}

#[test]
fn a_parameters_table_outside_the_body_section_is_the_body_when_no_row_is_in_the_path() {
    let page = |path: &str, rows: &str| {
        format!(
            "---\ntitle: \"Do it\"\ndoc_type: apiPageType\n---\n\n# Do it\n\nDo it.\n\n\
             ## HTTP request\n\n```http\nPOST {path}\n```\n\n\
             ## Request body\n\nNo request body is required. You can give properties, though.\n\n\
             ## Parameters\n\n| Parameter | Type | Description |\n|:--|:--|:--|\n{rows}\n\
             ## Response\n\nIf successful, this method returns a `200 OK` response code.\n"
        )
    };
    let model = model_of_texts(&[
        (
            "api/gizmo-createsession.md",
            page(
                "/gizmos/{gizmoId}/createSession",
                "| item | String | The item. |\n| deferCommit | Boolean | Wait. |\n",
            ),
        ),
        // A row that names a path parameter: the table is about the path, not a body.
        (
            "api/gizmo-resetsession.md",
            page(
                "/gizmos/{gizmoId}/resetSession",
                "| gizmoId | String | The gizmo. |\n| force | Boolean | Now. |\n",
            ),
        ),
    ]);
    let vm = &model.versions["v1.0"];
    let op = |name: &str| vm.operations.iter().find(|o| o.name == name).unwrap();
    let Some(xtask::model::BodyModel::Parameters { type_name }) = &op("createSession").body else {
        panic!("{:?}", op("createSession").body);
    };
    let xtask::model::TypeKind::Struct { properties } = &vm.types[type_name].kind else {
        panic!("a struct");
    };
    let names: Vec<&str> = properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["item", "deferCommit"]);
    assert_eq!(
        properties[1].ty,
        xtask::model::TypeRef::Prim(xtask::model::Prim::Boolean)
    );
    assert_eq!(op("resetSession").body, None);
    assert!(common::diagnostics_of(&model, "api/gizmo-createsession.md")
        .iter()
        .any(|d| d.message.contains("`Parameters` table")));
}

#[test]
fn an_operation_that_returns_an_upload_session_points_to_the_runtime_upload() {
    let session =
        "---\ntitle: \"uploadSession resource type\"\ndoc_type: resourcePageType\n---\n\n\
         # uploadSession resource type\n\nNamespace: microsoft.graph\n\nA session.\n\n\
         ## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n\
         | uploadUrl | String | Where the bytes go. |\n";
    let create = api_page(
        "gizmo: createUploadSession",
        "POST /gizmos/{id}/createUploadSession",
        "a `200 OK` response code and a new [uploadSession](../resources/uploadsession.md) object",
    );
    let model = model_of_texts(&[
        ("resources/uploadsession.md", session.to_owned()),
        ("api/gizmo-createuploadsession.md", create),
    ]);
    let op = &model.versions["v1.0"].operations[0];
    assert_eq!(
        op.response.ty,
        Some(xtask::model::TypeRef::Named(
            "microsoft.graph.uploadSession".into()
        ))
    );
    let code = common::generated_text(&model);
    assert!(
        code.contains("/// # Uploading") && code.contains("client.large_file_upload(url)"),
        "{code}"
    );
}
