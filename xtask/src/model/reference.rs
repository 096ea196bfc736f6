//! OData references: the body of `POST .../$ref` (add a member, an owner, a policy) and
//! `PUT .../$ref` (assign a manager) is `{"@odata.id": "<the entity's URL>"}`, whatever type the
//! page names ("a JSON representation of a [directoryObject]"). One shared type, `reference`,
//! is that body.

use super::{BodyModel, Operation, Prim, Property, TypeDef, TypeKind, TypeRef, VersionModel};
use crate::span::Span;

/// The qualified name of the reference type.
pub const REFERENCE: &str = "microsoft.graph.reference";

/// Whether `op` adds or sets a reference: a `POST` or `PUT` whose every path ends in `/$ref`.
fn sets_reference(op: &Operation) -> bool {
    matches!(op.method.as_str(), "POST" | "PUT")
        && !op.paths.is_empty()
        && op
            .paths
            .iter()
            .all(|p| p.raw.trim_end_matches('/').ends_with("/$ref"))
}

/// Gives a reference-setting operation the reference body, unless an example sends something
/// else. Returns the request-body type the page's parameter table would have made, or `None`
/// where the body is the reference.
pub fn reference_body(op: &mut Operation, body_type: Option<TypeDef>) -> Option<TypeDef> {
    if !sets_reference(op) || matches!(op.body, Some(BodyModel::Content { .. })) {
        return body_type;
    }
    // The examples send a reference, where they send a body at all (the certificate-based
    // authentication page writes `.../$ref` but sends the whole configuration: its body stays).
    let sends_other = op
        .examples
        .iter()
        .filter_map(|e| e.request.as_ref()?.json.as_ref())
        .any(|json| match json.as_object() {
            Some(obj) => obj.keys().any(|k| k != "@odata.id"),
            None => true,
        });
    if sends_other {
        return body_type;
    }
    op.body = Some(BodyModel::Type {
        ty: TypeRef::Named(REFERENCE.to_owned()),
    });
    None
}

/// The reference type, added to a version whose operations send it.
pub fn add_reference_type(vm: &mut VersionModel) {
    let wanted = vm.operations.iter().find(
        |op| matches!(&op.body, Some(BodyModel::Type { ty: TypeRef::Named(n) }) if n == REFERENCE),
    );
    let Some(op) = wanted else {
        return;
    };
    if vm.types.contains_key(REFERENCE) {
        return;
    }
    let span: Span = op.sources[0].clone();
    let ty = TypeDef {
        name: REFERENCE.to_owned(),
        namespace: "microsoft.graph".to_owned(),
        short: "reference".to_owned(),
        description: Some(
            "An OData reference to an entity, the body of `POST .../$ref` and `PUT .../$ref`: the \
             entity's URL in `@odata.id` (`https://graph.microsoft.com/v1.0/directoryObjects/{id}`)."
                .to_owned(),
        ),
        base: None,
        kind: TypeKind::Struct {
            properties: vec![Property {
                name: "@odata.id".to_owned(),
                ty: TypeRef::Prim(Prim::String),
                description: Some(
                    "The URL of the entity referred to, e.g. \
                     `https://graph.microsoft.com/v1.0/directoryObjects/{id}`."
                        .to_owned(),
                ),
                inferred: false,
                navigation: false,
                flags: false,
                span: span.clone(),
            }],
        },
        inferred: false,
        request_body: false,
        copied_from: None,
        span,
    };
    vm.types.insert(REFERENCE.to_owned(), ty);
}
