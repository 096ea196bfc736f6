//! HTTP text inside the docs: request syntax lines and example messages.

use serde::Serialize;

pub const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// `METHOD path`, as written in an HTTP request block.
pub fn request_line(line: &str) -> Option<(&'static str, &str)> {
    let t = line.trim();
    let upper_end = t
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(t.len());
    let word = &t[..upper_end];
    let method = METHODS.iter().find(|m| word.eq_ignore_ascii_case(m))?;
    let rest = t[upper_end..].trim();
    if rest.is_empty() || word != *method && !word.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    Some((method, rest))
}

/// `Name: value` inside an HTTP block.
pub fn header_line(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim();
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then_some((name, value.trim()))
}

/// The start line of an example message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "start", rename_all = "snake_case")]
pub enum Start {
    Request { method: String, url: String },
    Response { status: u16, reason: String },
}

/// An example message: start line, headers and body text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub start: Start,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Line offset of the body within the block (0-based).
    pub body_offset: u32,
}

/// Reads a request or response example. Headers run to the first blank line or to the first line
/// that starts a JSON value; the rest is the body.
pub fn message(text: &str) -> Option<Message> {
    // The lines (as `str::lines` gives them) with the byte offset where each starts.
    let lines: Vec<(usize, &str)> = text
        .split_inclusive('\n')
        .scan(0, |at, raw| {
            let start = *at;
            *at += raw.len();
            let line = match raw.strip_suffix('\n') {
                Some(l) => l.strip_suffix('\r').unwrap_or(l),
                None => raw,
            };
            Some((start, line))
        })
        .collect();
    let mut rest = lines
        .iter()
        .enumerate()
        .skip_while(|(_, (_, l))| l.trim().is_empty());
    let (_, &(_, first)) = rest.next()?;
    let start = if let Some(rest) = first.trim().strip_prefix("HTTP/") {
        let mut parts = rest.split_whitespace();
        let _version = parts.next();
        let status = parts.next()?.parse().ok()?;
        Start::Response {
            status,
            reason: parts.collect::<Vec<_>>().join(" "),
        }
    } else {
        let (method, url) = request_line(first)?;
        // `GET url HTTP/1.1` keeps only the url.
        let url = url.split_whitespace().next().unwrap_or(url);
        Start::Request {
            method: method.to_owned(),
            url: url.to_owned(),
        }
    };
    let mut headers = Vec::new();
    let mut body_offset = None;
    for (i, &(_, line)) in rest {
        let t = line.trim();
        if t.is_empty() {
            body_offset = Some(i + 1);
            break;
        }
        if !t.starts_with(['{', '[']) {
            if let Some((n, v)) = header_line(t) {
                headers.push((n.to_owned(), v.to_owned()));
                continue;
            }
        }
        body_offset = Some(i);
        break;
    }
    // The body starts at its first non-blank line (its span is that line).
    let body_offset = body_offset.map(|mut off| {
        while lines.get(off).is_some_and(|(_, l)| l.trim().is_empty()) {
            off += 1;
        }
        off
    });
    // The rest of the text from there, with `\r\n` line ends made `\n`.
    let body = match body_offset.and_then(|off| lines.get(off)) {
        Some(&(at, _)) if text[at..].contains("\r\n") => {
            text[at..].replace("\r\n", "\n").trim().to_owned()
        }
        Some(&(at, _)) => text[at..].trim().to_owned(),
        None => String::new(),
    };
    Some(Message {
        start,
        headers,
        body,
        body_offset: body_offset.unwrap_or(0) as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines() {
        assert_eq!(request_line("POST /me/x"), Some(("POST", "/me/x")));
        assert_eq!(request_line("GET/users"), Some(("GET", "/users")));
        assert_eq!(request_line("Content-Type: x"), None);
        assert_eq!(request_line("Getting started"), None);
    }

    #[test]
    fn messages() {
        let m =
            message("HTTP/1.1 201 Created\nContent-Type: application/json\n\n{\"a\":1}").unwrap();
        assert_eq!(
            m.start,
            Start::Response {
                status: 201,
                reason: "Created".into()
            }
        );
        assert_eq!(m.body, "{\"a\":1}");
        let m = message("POST https://x/v1.0/me\nworkbook-session-id: {s}\n{\n}").unwrap();
        assert_eq!(
            m.headers,
            vec![("workbook-session-id".into(), "{s}".into())]
        );
        assert_eq!(m.body, "{\n}");
    }
}
