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

/// The start of an example message (its first line that is not blank), without the rest.
pub fn start(text: &str) -> Option<Start> {
    start_line(text.lines().find(|l| !l.trim().is_empty())?)
}

/// `HTTP/1.1 200 OK` or `GET url [HTTP/1.1]`.
fn start_line(first: &str) -> Option<Start> {
    Some(if let Some(rest) = first.trim().strip_prefix("HTTP/") {
        let mut parts = rest.split_whitespace();
        let _version = parts.next();
        let status = parts.next()?.parse().ok()?;
        Start::Response {
            status,
            reason: parts.collect::<Vec<_>>().join(" "),
        }
    } else {
        let (method, url) = request_line(first)?;
        // `GET url HTTP/1.1` keeps only the url: it ends at white space, but not inside an OData
        // string literal (`search(q='Contoso Project')`).
        let url = url_end(url);
        Start::Request {
            method: method.to_owned(),
            url: url.to_owned(),
        }
    })
}

/// The URL at the start of `rest`: up to the first white space outside `'...'`, or, when a
/// quote is left open, up to the first white space.
pub fn url_end(rest: &str) -> &str {
    let mut quoted = false;
    for (i, c) in rest.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return &rest[..i],
            _ => {}
        }
    }
    if quoted {
        rest.split_whitespace().next().unwrap_or(rest)
    } else {
        rest
    }
}

/// Reads a request or response example. Headers run to the first blank line or to the first line
/// that starts a JSON value; the rest is the body.
pub fn message(text: &str) -> Option<Message> {
    // The lines (as `str::lines` gives them) with their numbers and the byte offset where each
    // starts, read only as far as the body's first line (bodies can be thousands of lines).
    let mut lines = text
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
        .enumerate();
    let (_, (_, first)) = lines.find(|(_, (_, l))| !l.trim().is_empty())?;
    let start = start_line(first)?;
    // Headers run to a blank line or to a line that is not a header; the body starts at its
    // first non-blank line (its span is that line).
    let mut headers = Vec::new();
    let mut body_at = None;
    let mut after_blank = false;
    let mut lines_read = 0;
    for (i, (at, line)) in lines {
        lines_read = i + 1;
        let t = line.trim();
        if t.is_empty() {
            after_blank = true;
            continue;
        }
        if !after_blank && !t.starts_with(['{', '[']) {
            if let Some((n, v)) = header_line(t) {
                headers.push((n.to_owned(), v.to_owned()));
                continue;
            }
        }
        body_at = Some((i, at));
        break;
    }
    // The rest of the text from there, with `\r\n` line ends made `\n`.
    let body = match body_at {
        Some((_, at)) if text[at..].contains("\r\n") => {
            text[at..].replace("\r\n", "\n").trim().to_owned()
        }
        Some((_, at)) => text[at..].trim().to_owned(),
        None => String::new(),
    };
    let body_offset = match body_at {
        Some((i, _)) => i,
        None if after_blank => lines_read,
        None => 0,
    };
    Some(Message {
        start,
        headers,
        body,
        body_offset: body_offset as u32,
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
    fn urls_end_at_white_space_outside_string_literals() {
        assert_eq!(url_end("/me/x HTTP/1.1"), "/me/x");
        assert_eq!(
            url_end("/me/drive/root/search(q='Contoso Project') HTTP/1.1"),
            "/me/drive/root/search(q='Contoso Project')"
        );
        // An apostrophe that opens no literal: the first white space ends the URL.
        assert_eq!(url_end("/me/it's here"), "/me/it's");
        assert_eq!(url_end("/me/x"), "/me/x");
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

    #[test]
    fn starts_are_the_starts_of_messages() {
        for text in [
            "HTTP/1.1 201 Created\nContent-Type: application/json\n\n{\"a\":1}",
            "\r\n  \nGET https://graph.microsoft.com/v1.0/me?$select=id HTTP/1.1\r\nA: b\r\n",
            "POST /me/sendMail\n\n{}",
            "HTTP/1.1 abc",
            "not a message",
            "",
        ] {
            assert_eq!(start(text), message(text).map(|m| m.start), "{text:?}");
        }
        assert_eq!(
            start("\n\nGET /me HTTP/1.1\n"),
            Some(Start::Request {
                method: "GET".into(),
                url: "/me".into()
            })
        );
    }
}
