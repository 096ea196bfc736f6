//! Graph's type hierarchy in Rust's types: which Graph type a struct is, and which types it
//! derives from. The generated code implements these traits; `graph-requests` uses them to cast a
//! collection of a base type to one of its derived types (OData's type cast segment).

/// A Graph entity or complex type, named as `@odata.type` names it.
pub trait GraphType {
    /// The qualified name, e.g. `microsoft.graph.group`: the value of `@odata.type` and the path
    /// segment that casts a collection to this type.
    const ODATA_TYPE: &'static str;
}

/// `Self` derives from `Base` in Graph's type hierarchy, directly or through other types (a
/// `Group` is a `DirectoryObject`): a collection of `Base` can be cast to `Self`.
///
/// ```
/// # #[cfg(feature = "groups")] {
/// use graph_models::{v1, DerivedFrom, GraphType};
///
/// fn cast_segment<Base, T: DerivedFrom<Base>>() -> String {
///     format!("/{}", T::ODATA_TYPE)
/// }
/// assert_eq!(
///     cast_segment::<v1::DirectoryObject, v1::Group>(),
///     "/microsoft.graph.group"
/// );
/// # }
/// ```
pub trait DerivedFrom<Base>: GraphType {}
