use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Characters left alone in a path segment: RFC 3986 unreserved plus a few sub-delims that Graph
/// uses in keys (`'`, `(`, `)`, `=`, `,`, `:` `@`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'=')
    .remove(b',')
    .remove(b':')
    .remove(b'@');

/// Percent-encodes a path parameter as exactly one path segment: `/`, `?`, `#` and `%` are encoded.
pub fn encode_segment(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

/// Encodes the value of an OData string literal in a path (`search(q='{q}')`,
/// `getEmailActivityCounts(period='{period}')`): a `'` inside the value is doubled, as OData
/// escapes it, then the value is encoded as by [`encode_segment`].
pub fn encode_string_literal(value: &str) -> String {
    if value.contains('\'') {
        encode_segment(&value.replace('\'', "''"))
    } else {
        encode_segment(value)
    }
}

/// Encodes an item path for `root:/{item-path}:` addressing: slashes separate segments and are
/// kept, every segment is encoded as by [`encode_segment`], and a leading slash is dropped.
pub fn encode_item_path(value: &str) -> String {
    value
        .trim_start_matches('/')
        .split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// Characters left alone in a query name or value: RFC 3986 unreserved plus the sub-delims that
/// OData expressions use and that carry no meaning inside a query component. Space, `+`, `&`,
/// `=`, `#`, `%`, `'` and everything non-ASCII are encoded; a space becomes `%20`, never `+`.
/// (`'` is encoded because URL parsers encode it in `http(s)` queries anyway.)
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b':')
    .remove(b'/')
    .remove(b'@')
    .remove(b'*')
    .remove(b'!');

/// Percent-encodes a query parameter name or value: RFC 3986 unreserved characters and
/// `$ ( ) , : / @ * !` stay, everything else (space as `%20`, `+`, `&`, `=`, `#`, `%`, `'`,
/// non-ASCII) is percent-encoded.
pub fn encode_query_component(value: &str) -> String {
    utf8_percent_encode(value, QUERY).to_string()
}

/// Builds an encoded query string (without `?`) from raw name/value pairs.
pub(crate) fn encode_query(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&encode_query_component(name));
        out.push('=');
        out.push_str(&encode_query_component(value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_encodes_separators() {
        assert_eq!(encode_segment("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(encode_segment("50%"), "50%25");
        assert_eq!(encode_segment("x y"), "x%20y");
    }

    #[test]
    fn query_uses_percent_20_and_escapes_delimiters() {
        assert_eq!(
            encode_query(&[("$filter".into(), "startswith(displayName,'a b')".into())]),
            "$filter=startswith(displayName,%27a%20b%27)"
        );
        assert_eq!(encode_query_component("a+b&c=d#e%"), "a%2Bb%26c%3Dd%23e%25");
        assert_eq!(encode_query_component("é"), "%C3%A9");
    }

    #[test]
    fn string_literals_double_their_quotes() {
        assert_eq!(encode_string_literal("Bob's report"), "Bob''s%20report");
        assert_eq!(encode_string_literal("D7"), "D7");
        assert_eq!(encode_string_literal("a/b"), "a%2Fb");
    }

    #[test]
    fn item_path_keeps_slashes() {
        assert_eq!(
            encode_item_path("/Docs/Q1 plan?.xlsx"),
            "Docs/Q1%20plan%3F.xlsx"
        );
    }
}
