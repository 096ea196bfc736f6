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
