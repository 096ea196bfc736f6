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

/// Reads `value`, of a base type, as the derived type `T` when its `@odata.type` names `T`
/// exactly (with or without the leading `#`, in any case). Graph answers a collection of a base
/// type (`GET /groups/{id}/members` lists `DirectoryObject`s) with each item of its own type; the
/// base type keeps the derived type's properties in `additional_properties`, from which `T` is
/// read here. `None` for an item of another type or one that `T` cannot read.
///
/// The generated base types call this from their `downcast` method:
///
/// ```
/// # #[cfg(feature = "users")] {
/// use graph_models::v1::{DirectoryObject, Group, User};
/// use serde_json::json;
///
/// // An item of `GET /groups/{id}/members`.
/// let member: DirectoryObject = serde_json::from_value(json!({
///     "@odata.type": "#microsoft.graph.user",
///     "id": "u1",
///     "jobTitle": "Retail Manager"
/// }))?;
/// assert_eq!(member.id.as_deref(), Some("u1"));
/// let user: User = member.downcast().expect("a user");
/// assert_eq!(user.id.as_deref(), Some("u1"));
/// assert_eq!(user.job_title.as_deref(), Some("Retail Manager"));
/// assert!(member.downcast::<Group>().is_none());
/// # }
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn downcast<Base, T>(value: &Base) -> Option<T>
where
    Base: serde::Serialize,
    T: DerivedFrom<Base> + serde::de::DeserializeOwned,
{
    let json = serde_json::to_value(value).ok()?;
    let named = json.get("@odata.type")?.as_str()?;
    let named = named.strip_prefix('#').unwrap_or(named);
    if !named.eq_ignore_ascii_case(T::ODATA_TYPE) {
        return None;
    }
    serde_json::from_value(json).ok()
}

/// Writes `value`, of a type derived from `Base`, as a `Base`: what a request whose body is a
/// `Base` takes. Graph creates every kind of an Intune app with `POST
/// /deviceAppManagement/mobileApps`, whose body is a `MobileApp`; the kind is the body's
/// `@odata.type`. The properties of `T` that `Base` does not have go along in the base's
/// `additional_properties`, and the `@odata.type` of `value` (which a derived type's `Default`
/// sets) stays, so the request sends all of `value`.
///
/// ```
/// # #[cfg(feature = "intune")] {
/// use graph_models::v1::{AndroidLobApp, MobileApp};
///
/// let app = AndroidLobApp {
///     display_name: Some("Contoso".to_owned()),
///     package_id: Some("com.contoso.app".to_owned()),
///     ..Default::default()
/// };
/// let body: MobileApp = graph_models::upcast(&app)?;
/// assert_eq!(body.display_name.as_deref(), Some("Contoso"));
/// let json = serde_json::to_value(&body)?;
/// assert_eq!(json["@odata.type"], "#microsoft.graph.androidLobApp");
/// assert_eq!(json["packageId"], "com.contoso.app");
/// # }
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// # Errors
///
/// When `Base` cannot read what `T` writes: a property that both declare with different types
/// in the docs.
pub fn upcast<Base, T>(value: &T) -> Result<Base, serde_json::Error>
where
    Base: serde::de::DeserializeOwned,
    T: DerivedFrom<Base> + serde::Serialize,
{
    serde_json::from_value(serde_json::to_value(value)?)
}
