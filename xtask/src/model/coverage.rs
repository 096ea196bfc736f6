//! Coverage figures of a model: how much of the docs became typed, generated API.

use serde::Serialize;

use super::{ApiModel, BodyModel, TypeKind, TypeRef};

/// The coverage of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Api pages that document an HTTP request.
    pub api_pages_with_request: usize,
    /// Of those, the pages that yield at least one operation.
    pub api_pages_with_operations: usize,
    /// Resource pages (one type each, or several enums).
    pub resource_pages: usize,
    /// Resource pages that yield at least one type.
    pub resource_pages_with_types: usize,
    /// References to non-primitive types (properties, bodies, responses).
    pub type_refs: usize,
    /// Of those, the ones that resolve to a generated type (the rest are untyped JSON).
    pub type_refs_resolved: usize,
}

impl Coverage {
    pub fn of(model: &ApiModel) -> Coverage {
        let mut c = Coverage::default();
        for p in &model.pages {
            if p.kind == "api" && p.documents_request {
                c.api_pages_with_request += 1;
                c.api_pages_with_operations += usize::from(!p.operations.is_empty());
            }
            if p.kind == "resource" || p.kind == "enum" {
                c.resource_pages += 1;
                c.resource_pages_with_types += usize::from(!p.types.is_empty());
            }
        }
        let mut count = |t: &TypeRef| {
            let mut t = t;
            while let TypeRef::Collection(inner) = t {
                t = inner;
            }
            match t {
                TypeRef::Named(_) => {
                    c.type_refs += 1;
                    c.type_refs_resolved += 1;
                }
                TypeRef::Json => c.type_refs += 1,
                TypeRef::Prim(_) | TypeRef::Collection(_) => {}
            }
        };
        for vm in model.versions.values() {
            for op in &vm.operations {
                if let Some(BodyModel::Type { ty }) = &op.body {
                    count(ty);
                }
                for ty in op.response.types() {
                    count(ty);
                }
            }
            for ty in vm.types.values() {
                if let TypeKind::Struct { properties } = &ty.kind {
                    properties.iter().for_each(|p| count(&p.ty));
                }
            }
        }
        c
    }

    /// A percentage with one decimal, `100.0` for an empty total.
    pub fn percent(part: usize, total: usize) -> f64 {
        if total == 0 {
            100.0
        } else {
            (part as f64 * 1000.0 / total as f64).round() / 10.0
        }
    }
}
