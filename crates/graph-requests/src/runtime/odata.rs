/// OData system query options, for operations whose docs say they support them.
///
/// Values are given raw (`startswith(displayName,'a b')`) and percent-encoded when sent.
///
/// ```
/// use graph_requests::runtime::ODataQuery;
/// let q = ODataQuery::new()
///     .select(["id", "displayName"])
///     .filter("startswith(displayName,'a b')")
///     .top(10)
///     .count(true);
/// assert_eq!(q.pairs()[0], ("$select", "id,displayName".to_string()));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ODataQuery {
    pairs: Vec<(&'static str, String)>,
}

impl ODataQuery {
    /// No options.
    pub fn new() -> Self {
        ODataQuery::default()
    }

    fn set(mut self, name: &'static str, value: String) -> Self {
        self.pairs.retain(|(n, _)| *n != name);
        self.pairs.push((name, value));
        self
    }

    /// `$select`: the properties to return.
    pub fn select<I, S>(self, properties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let value = join(properties);
        self.set("$select", value)
    }

    /// `$expand`: the relationships to expand.
    pub fn expand<I, S>(self, relationships: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let value = join(relationships);
        self.set("$expand", value)
    }

    /// `$filter`: an OData filter expression.
    pub fn filter(self, expression: impl Into<String>) -> Self {
        self.set("$filter", expression.into())
    }

    /// `$orderby`: e.g. `displayName desc`.
    pub fn orderby(self, expression: impl Into<String>) -> Self {
        self.set("$orderby", expression.into())
    }

    /// `$search`: Graph expects the value in double quotes, e.g. `"displayName:a b"`.
    pub fn search(self, expression: impl Into<String>) -> Self {
        self.set("$search", expression.into())
    }

    /// `$top`: the page size.
    pub fn top(self, n: u32) -> Self {
        self.set("$top", n.to_string())
    }

    /// `$skip`: items to skip.
    pub fn skip(self, n: u32) -> Self {
        self.set("$skip", n.to_string())
    }

    /// `$count`: whether to include `@odata.count`.
    pub fn count(self, count: bool) -> Self {
        self.set("$count", count.to_string())
    }

    /// Whether no option is set.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The options as raw name/value pairs, in the order they were set.
    pub fn pairs(&self) -> &[(&'static str, String)] {
        &self.pairs
    }
}

fn join<I, S>(items: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    items
        .into_iter()
        .map(|s| s.as_ref().to_owned())
        .collect::<Vec<_>>()
        .join(",")
}

/// The value of a query option that lists items separated by commas (`$select`, `$expand`,
/// `$orderby` of the generated operations): a string as written, or the items of an array, a
/// slice or a `Vec`.
///
/// ```
/// use graph_requests::runtime::QueryList;
/// assert_eq!(["id", "displayName"].to_query(), "id,displayName");
/// assert_eq!("id,displayName".to_query(), "id,displayName");
/// assert_eq!(vec![String::from("createdDateTime desc")].to_query(), "createdDateTime desc");
/// ```
pub trait QueryList {
    /// The option's value.
    fn to_query(&self) -> String;
}

impl QueryList for str {
    fn to_query(&self) -> String {
        self.to_owned()
    }
}

impl QueryList for String {
    fn to_query(&self) -> String {
        self.clone()
    }
}

impl<S: AsRef<str>> QueryList for [S] {
    fn to_query(&self) -> String {
        join(self.iter().map(AsRef::as_ref))
    }
}

impl<S: AsRef<str>, const N: usize> QueryList for [S; N] {
    fn to_query(&self) -> String {
        self.as_slice().to_query()
    }
}

impl<S: AsRef<str>> QueryList for Vec<S> {
    fn to_query(&self) -> String {
        self.as_slice().to_query()
    }
}

impl<Q: QueryList + ?Sized> QueryList for &Q {
    fn to_query(&self) -> String {
        (**self).to_query()
    }
}
