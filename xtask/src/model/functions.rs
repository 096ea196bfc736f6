//! OData function calls in request paths (`rowsAbove(count={count})`): arguments the docs
//! write as placeholders or example values, arguments a path leaves out that the page documents
//! and its examples pass, and the types of the arguments.

use super::build::parse_path;
use super::{ArgType, ExampleModel, Operation, PathTemplate, Piece, Prim};
use crate::diag::{Diagnostics, Kind};
use crate::parse::http::Start;
use crate::parse::page::{Page, ParamRow};

/// One argument of a function call as written: `count=n`, `address='<address>'`.
struct Arg<'a> {
    key: &'a str,
    value: &'a str,
}

impl Arg<'_> {
    /// A parameter of the template (`{count}`, `'{address}'`,
    /// `microsoft.graph.timeZoneStandard'{format}'`), not a value written in.
    fn is_param(&self) -> bool {
        self.value.contains('{')
    }

    /// `key={key}`, quoted as the value was; an enum literal keeps its type
    /// (`TimeZoneStandard=microsoft.graph.timeZoneStandard'{TimeZoneStandard}'`).
    fn param(&self) -> String {
        let key = self.key;
        match self.value.split_once('\'') {
            Some(("", _)) => format!("{key}='{{{key}}}'"),
            Some((cast, _))
                if cast
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_') =>
            {
                format!("{key}={cast}'{{{key}}}'")
            }
            _ => format!("{key}={{{key}}}"),
        }
    }
}

/// The URLs of the examples' requests of `method`.
fn request_urls<'a>(
    examples: &'a [ExampleModel],
    method: &'a str,
) -> impl Iterator<Item = &'a str> {
    examples
        .iter()
        .filter_map(move |e| match &e.request.as_ref()?.start {
            Start::Request { method: m, url } if m == method => Some(url.as_str()),
            _ => None,
        })
}

/// The last segment of a URL's path: `cell(row=5,column=6)` of
/// `/me/.../range/cell(row=5,column=6)?$select=x`.
pub(super) fn last_segment(url: &str) -> &str {
    let path = url.split('?').next().unwrap_or(url).trim_end_matches('/');
    path.rsplit('/').next().unwrap_or(path)
}

/// The argument a parameter is the value of, from the text right before it: `count` for
/// `.../rowsAbove(count=` or `,count=` (not for `key='`, nor outside a call).
fn argument_key(before: &str) -> Option<&str> {
    let (_, key) = before.strip_suffix('=')?.rsplit_once(['(', ','])?;
    let key = key.trim();
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric())).then_some(key)
}

/// The arguments of `inner`, the text between a call's parentheses, when every one is a
/// `name=value` pair (not an entity key such as `('AAMk...')`).
fn args(inner: &str) -> Option<Vec<Arg<'_>>> {
    inner
        .split(',')
        .map(|a| {
            let (key, value) = a.split_once('=')?;
            let (key, value) = (key.trim(), value.trim());
            let name = !key.is_empty()
                && key.starts_with(|c: char| c.is_ascii_alphabetic())
                && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            (name && !value.is_empty()).then_some(Arg { key, value })
        })
        .collect()
}

/// Each function call of a path, as the byte range of the text between its parentheses.
/// Parentheses inside a `{...}` parameter are not calls.
fn calls(raw: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = raw.as_bytes();
    let (mut depth, mut open) = (0u32, None);
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'(' if depth == 0 => open = Some(i),
            b')' if depth == 0 => {
                if let Some(o) = open.take() {
                    out.push((o + 1, i));
                }
            }
            _ => {}
        }
    }
    out
}

/// Function arguments the docs write as a placeholder or an example value where the template
/// needs a parameter: `rowsAbove(count=n)`, `range(address='<address>')`,
/// `getRecentNotebooks(includePersonalNotebooks=includePersonalNotebooks-value)`,
/// `getActivitiesByInterval(startDateTime='2017-01-01',...)`. Sent as written, the call asks
/// for the placeholder (or for the example's dates, always); each becomes a parameter named
/// after its argument, quoted as written.
pub fn placeholder_arguments(paths: &mut [PathTemplate], version: &str, diags: &mut Diagnostics) {
    for path in paths.iter_mut().filter(|p| p.raw.contains('(')) {
        let raw = &path.raw;
        let mut fixed = String::with_capacity(raw.len() + 16);
        let mut written = Vec::new();
        let mut at = 0;
        for (start, end) in calls(raw) {
            let inner = &raw[start..end];
            // `range(<address>)`: the placeholder names the argument, a string literal.
            if let Some(name) = keyless_placeholder(inner) {
                fixed.push_str(&raw[at..start]);
                fixed.push_str(&format!("{name}='{{{name}}}'"));
                written.push(format!("`{inner}`"));
                at = end;
                continue;
            }
            let Some(list) = args(inner) else {
                continue;
            };
            // One placeholder for two arguments (`resizedRange(deltaRows={n},deltaColumns={n})`)
            // would be one value for both: each is named after its argument.
            let shared = |a: &Arg| list.iter().filter(|b| b.value == a.value).count() > 1;
            if list.iter().all(|a| a.is_param() && !shared(a)) {
                continue;
            }
            fixed.push_str(&raw[at..start]);
            for (i, a) in list.iter().enumerate() {
                if i > 0 {
                    fixed.push(',');
                }
                if a.is_param() && !shared(a) {
                    fixed.push_str(&format!("{}={}", a.key, a.value));
                } else {
                    fixed.push_str(&a.param());
                    let shared = if a.is_param() { " (shared)" } else { "" };
                    written.push(format!("`{}={}`{shared}", a.key, a.value));
                }
            }
            at = end;
        }
        if written.is_empty() {
            continue;
        }
        fixed.push_str(&raw[at..]);
        let message = format!(
            "`{raw}` writes {} where the function takes an argument; read as `{fixed}`",
            written.join(", ")
        );
        reread(
            path,
            &fixed,
            version,
            Kind::PlaceholderArgument,
            message,
            diags,
        );
    }
}

/// Replaces `path` by its corrected text `raw`, with the diagnostic that says why (when the
/// corrected text reads as a path).
fn reread(
    path: &mut PathTemplate,
    raw: &str,
    version: &str,
    kind: Kind,
    message: String,
    diags: &mut Diagnostics,
) {
    let span = path.span.clone();
    if let Some(new) = parse_path(raw, &span, version, diags) {
        diags.push(&span, kind, message);
        *path = new;
    }
}

/// A function argument declared without quotes (`range(address={address})`) that the
/// examples quote (`range(address='A1:Z10')`) is an OData string literal: the template gets
/// the quotes, so the value is sent as a literal (quoted, its `'` doubled), not as a bare
/// segment the service cannot read. A parameter the page documents with another primitive type
/// (the reports' `date`, a `Date`: OData writes dates without quotes) is left as declared, even
/// where an example quotes it.
pub fn quote_string_arguments(
    page: &Page,
    paths: &mut [PathTemplate],
    examples: &[ExampleModel],
    method: &str,
    diags: &mut Diagnostics,
) {
    let version = page.version.as_str();
    let urls: Vec<String> = request_urls(examples, method)
        .map(str::to_ascii_lowercase)
        .collect();
    if urls.is_empty() {
        return;
    }
    let quoted = |arg: &str| {
        let other_primitive = documented(page, arg)
            .and_then(|q| q.ty.as_deref())
            .and_then(Prim::parse)
            .is_some_and(|p| p != Prim::String);
        let with_quote = format!("{}='", arg.to_ascii_lowercase());
        !other_primitive && urls.iter().any(|u| u.contains(&with_quote))
    };
    // Only a path with a function argument (`name={param}`) can change.
    for path in paths.iter_mut().filter(|p| p.raw.contains("={")) {
        let mut raw = String::with_capacity(path.raw.len() + 4);
        let mut rest = path.raw.as_str();
        let mut changed = Vec::new();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                break;
            };
            raw.push_str(&rest[..open]);
            let param = &rest[open..=close];
            // `name=` right before the parameter, inside a function call's parentheses.
            match argument_key(&raw).filter(|a| quoted(a)) {
                Some(a) => {
                    changed.push(a.to_owned());
                    raw.push('\'');
                    raw.push_str(param);
                    raw.push('\'');
                }
                None => raw.push_str(param),
            }
            rest = &rest[close + 1..];
        }
        if changed.is_empty() {
            continue;
        }
        raw.push_str(rest);
        let changed: Vec<String> = changed.iter().map(|a| format!("`{a}`")).collect();
        let message = format!(
            "`{}` writes {} without the quotes the examples give; read as `{raw}`",
            path.raw,
            changed.join(", "),
        );
        reread(path, &raw, version, Kind::UnquotedString, message, diags);
    }
}

/// The name of a call's only argument when it is written as a bare placeholder, `<address>`
/// or `'<address>'`, without its `name=`.
fn keyless_placeholder(inner: &str) -> Option<&str> {
    let t = inner.trim().trim_matches('\'');
    let name = t.strip_prefix('<')?.strip_suffix('>')?;
    let plain = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    plain.then_some(name)
}

/// The last segment of an example URL's path when it calls a function with named arguments:
/// (the function, its arguments).
fn example_call(url: &str) -> Option<(&str, Vec<Arg<'_>>)> {
    let (name, rest) = last_segment(url).split_once('(')?;
    let inner = rest.strip_suffix(')')?;
    Some((name, args(inner)?))
}

/// The documented parameter rows of a page (its `Path parameters`, then its query and
/// function parameters) named `key`.
fn documented<'a>(page: &'a Page, key: &str) -> Option<&'a ParamRow> {
    page.path_params
        .iter()
        .chain(&page.query)
        .find(|r| r.name.trim_matches('`').eq_ignore_ascii_case(key))
}

/// A function whose path leaves out the arguments the page documents (`range/cell` with a
/// `Path parameters` table of `row` and `column`) while its examples call it with them
/// (`cell(row=5,column=6)`): without them the service cannot answer. The arguments the
/// examples pass and the page documents are added to each path that ends with the function,
/// quoted as the examples quote them. Where the page also shows the function called without
/// arguments, or says each of them is optional (`usedRange(valuesOnly=true)`, a drive's
/// `delta(token=...)`), the path without them stays and the path with them is added.
pub fn missing_arguments(
    page: &Page,
    paths: &mut Vec<PathTemplate>,
    examples: &[ExampleModel],
    method: &str,
    diags: &mut Diagnostics,
) {
    // The arguments to add are documented ones.
    if page.path_params.is_empty() && page.query.is_empty() {
        return;
    }
    let urls: Vec<&str> = request_urls(examples, method).collect();
    let Some((function, list)) = urls.iter().find_map(|u| example_call(u)) else {
        return;
    };
    let last_of = |p: &PathTemplate| match p.pieces.last() {
        Some(Piece::Lit { text }) => text.rsplit('/').next().map(str::to_owned),
        _ => None,
    };
    let ends_with_function =
        |p: &PathTemplate| last_of(p).is_some_and(|l| l.eq_ignore_ascii_case(function));
    // Paths that already call the function (`chart/image(width={width})` beside
    // `chart/image`) say which calls there are: the bare ones are calls without arguments.
    let calls_function = |p: &PathTemplate| {
        let raw = p.raw.to_ascii_lowercase();
        raw.contains(&format!("/{}(", function.to_ascii_lowercase()))
    };
    if !paths.iter().any(ends_with_function) || paths.iter().any(calls_function) {
        return;
    }
    let rows: Option<Vec<&ParamRow>> = list.iter().map(|a| documented(page, a.key)).collect();
    let Some(rows) = rows else {
        return;
    };
    let bare = urls
        .iter()
        .any(|u| last_segment(u).eq_ignore_ascii_case(function));
    // Optional: the table's `Required?` says `No`, or the description starts "Optional.".
    let is_optional = |r: &&ParamRow| {
        r.required == Some(false)
            || r.description
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("optional")
    };
    let all_optional = bare || rows.iter().all(is_optional);
    let call = |args: &[&Arg]| args.iter().map(|a| a.param()).collect::<Vec<_>>().join(",");
    let every: Vec<&Arg> = list.iter().collect();
    // The call with the required arguments only, where some are optional and some are not
    // (`getGroupArchivedPrintJobs(groupId=...)` beside the call with its dates).
    let required: Vec<&Arg> = list
        .iter()
        .zip(&rows)
        .filter(|(_, r)| !is_optional(r))
        .map(|(a, _)| a)
        .collect();
    let shorter = (!all_optional && required.len() < every.len()).then(|| call(&required));
    let version = page.version.as_str();
    let mut out = Vec::with_capacity(paths.len() * 2);
    for p in paths.drain(..) {
        if !ends_with_function(&p) {
            out.push(p);
            continue;
        }
        let raw = format!("{}({})", p.raw, call(&every));
        let Some(with) = parse_path(&raw, &p.span, version, diags) else {
            out.push(p);
            continue;
        };
        let short = shorter
            .as_ref()
            .and_then(|c| parse_path(&format!("{}({c})", p.raw), &p.span, version, diags));
        let message = match (all_optional, short.as_ref().map(|s| s.raw.as_str())) {
            (true, _) => format!("also `{raw}`"),
            (false, Some(short)) => format!("read as `{short}` and `{raw}`"),
            (false, None) => format!("read as `{raw}`"),
        };
        diags.push(
            &p.span,
            Kind::MissingArguments,
            format!(
                "`{}` leaves out the function's documented arguments, which the examples pass; {message}",
                p.raw
            ),
        );
        if all_optional {
            out.push(p);
        }
        out.extend(short);
        out.push(with);
    }
    *paths = out;
}

/// A documented query parameter that a path passes as a function argument
/// (`getEmailActivityUserDetail(period='{period_value}')`, whose page lists `period` as a
/// function parameter) is not also a query parameter, unless an example sends it in the query
/// string (a drive's `delta?token=latest` beside `delta(token='{token}')`).
pub fn arguments_not_query(op: &mut Operation) {
    // Only a call has arguments (most paths make none).
    if op.query.is_empty() || !op.paths.iter().any(|p| p.raw.contains('(')) {
        return;
    }
    let in_query = |name: &str| {
        op.examples
            .iter()
            .filter_map(|e| match &e.request.as_ref()?.start {
                Start::Request { url, .. } => Some(url),
                _ => None,
            })
            .flat_map(|url| super::query_pairs(url))
            .any(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    let argument = |name: &str| {
        let key = format!("{}=", name.to_ascii_lowercase());
        op.paths.iter().any(|p| {
            let raw = p.raw.to_ascii_lowercase();
            raw.match_indices(&key)
                .any(|(i, _)| raw[..i].ends_with(['(', ',']))
        })
    };
    let query = std::mem::take(&mut op.query);
    op.query = query
        .into_iter()
        .filter(|q| q.name.starts_with('$') || !argument(&q.name) || in_query(&q.name))
        .collect();
}

/// The types of a path's function arguments written without quotes, from the page's
/// documented parameters (`Int32` for `rowsAbove`'s `count`): numbers and booleans are typed,
/// the rest stays text. `ty_of` gives a documented argument's type.
pub fn argument_types(paths: &mut [PathTemplate], ty_of: impl Fn(&str) -> Option<Prim>) {
    for path in paths {
        let mut before: Option<&str> = None;
        for piece in path.pieces.iter_mut() {
            match piece {
                Piece::Lit { text } => before = Some(text.as_str()),
                Piece::Param { ty, .. } => {
                    // The documented argument is the key, not the parameter's name
                    // (`itemAt(index={n})`).
                    if let Some(key) = before.and_then(argument_key) {
                        *ty = ty_of(key).map_or(ArgType::Text, ArgType::of);
                    }
                    before = None;
                }
            }
        }
    }
}

/// [`argument_types`] from a page's documented parameters.
pub fn documented_types(page: &Page, paths: &mut [PathTemplate]) {
    argument_types(paths, |name| {
        documented(page, name)
            .and_then(|r| r.ty.as_deref())
            .and_then(Prim::parse)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_and_their_arguments() {
        let raw = "/a/range(address='{address}')/rowsAbove(count=n)/x('AAMk')";
        let found: Vec<&str> = calls(raw).iter().map(|(s, e)| &raw[*s..*e]).collect();
        assert_eq!(found, ["address='{address}'", "count=n", "'AAMk'"]);
        assert!(
            args("'AAMk'").is_none(),
            "an entity key is not a call's arguments"
        );
        let a = args("startDateTime='2017-01-01', interval=day").unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].param(), "startDateTime='{startDateTime}'");
        assert_eq!(a[1].param(), "interval={interval}");
        assert!(args("fmt=microsoft.graph.x'{f}'").unwrap()[0].is_param());
        assert_eq!(
            args("fmt=microsoft.graph.x'Iana'").unwrap()[0].param(),
            "fmt=microsoft.graph.x'{fmt}'"
        );
    }

    #[test]
    fn argument_keys_and_last_segments() {
        assert_eq!(argument_key("/range/rowsAbove(count="), Some("count"));
        assert_eq!(argument_key(",column="), Some("column"));
        assert_eq!(argument_key("/range(address='"), None, "a quoted value");
        assert_eq!(
            argument_key("/users/roleTemplateId="),
            None,
            "outside a call"
        );
        assert_eq!(last_segment("/a/b/cell(row=5)?$select=x"), "cell(row=5)");
        assert_eq!(last_segment("/me/drive/root/delta/"), "delta");
    }

    #[test]
    fn example_calls() {
        let (f, a) = example_call("/me/items/{id}/range/cell(row=5,column=6)?$select=x").unwrap();
        assert_eq!(f, "cell");
        assert_eq!(
            a.iter().map(|a| a.key).collect::<Vec<_>>(),
            ["row", "column"]
        );
        assert!(example_call("/me/events('AAMk')").is_none());
        assert!(example_call("/me/drive/root/delta").is_none());
    }
}
