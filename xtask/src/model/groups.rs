//! Pages that document several requests in subsections of `HTTP request` (`profilephoto-get.md`:
//! `### Get the photo`, `### Get the metadata of the photo`): one operation per subsection, with
//! the response of the matching subsection of `Response` and the examples that request its
//! paths.

use super::{ExampleModel, PathTemplate};
use crate::conformance::{resolve_path, split_url};
use crate::parse::http::Start;
use crate::parse::page::{Page, ResponseSentence, Text};

/// Words of a heading that say which request it is about: lower case, without the words every
/// heading of the kind has (`Get the photo` and `Response for getting the photo` are both
/// `photo`).
fn key_words(heading: &str) -> Vec<String> {
    const COMMON: &[&str] = &[
        "a", "an", "and", "by", "for", "from", "get", "gets", "getting", "in", "is", "of", "on",
        "or", "request", "response", "the", "to", "with",
    ];
    let mut words: Vec<String> = heading
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !COMMON.contains(&w.as_str()))
        .collect();
    words.sort();
    words.dedup();
    words
}

/// The response sentence of the subsection of `Response` whose heading shares the most of the
/// request subsection's words, in proportion to the words of both (`Get the metadata of the
/// photo` takes `Response for getting the metadata of the photo`, not `Response for getting
/// the photo`); the page's first response sentence where none shares a word.
pub fn response_of<'p>(page: &'p Page, heading: &str) -> Option<&'p ResponseSentence> {
    let mine = key_words(heading);
    let mut best: Option<(f64, &ResponseSentence)> = None;
    for sentence in &page.group_responses {
        let theirs = key_words(sentence.group.as_deref().unwrap_or(""));
        let shared = mine.iter().filter(|w| theirs.contains(w)).count();
        if shared == 0 {
            continue;
        }
        let score = shared as f64 / (mine.len() + theirs.len() - shared) as f64;
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, sentence));
        }
    }
    best.map(|(_, s)| s).or(page.response.as_ref())
}

/// The index of a request line's subsection among the page's, added in page order.
pub fn index<'p>(headings: &mut Vec<Option<&'p Text>>, group: Option<&'p Text>) -> usize {
    let same = |h: &Option<&Text>| h.map(|t| &t.value) == group.map(|t| &t.value);
    headings.iter().position(same).unwrap_or_else(|| {
        headings.push(group);
        headings.len() - 1
    })
}

/// Deals the page's examples out to its operations (`ops`: method and paths of each, in order):
/// an example goes to the first operation of its method whose paths match its URL, else to the
/// first of its method, else to the first; a response without a request follows the example
/// before it.
pub fn deal(
    examples: Vec<ExampleModel>,
    ops: &[(&str, &[PathTemplate])],
) -> Vec<Vec<ExampleModel>> {
    let mut out: Vec<Vec<ExampleModel>> = ops.iter().map(|_| Vec::new()).collect();
    let mut last = 0;
    for example in examples {
        if let Some(Start::Request { method, url }) = example.request.as_ref().map(|r| &r.start) {
            let path = split_url(url).1;
            let of_method = || ops.iter().position(|(m, _)| m == method);
            last = ops
                .iter()
                .position(|(m, paths)| m == method && resolve_path(paths, path).is_some())
                .or_else(of_method)
                .unwrap_or(0);
        }
        if let Some(slot) = out.get_mut(last) {
            slot.push(example);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_words_leave_out_what_every_heading_says() {
        assert_eq!(key_words("Get the photo"), ["photo"]);
        assert_eq!(
            key_words("Response for getting the metadata of the photo"),
            ["metadata", "photo"]
        );
        assert_eq!(
            key_words("GET a resource instance, expanded"),
            ["expanded", "instance", "resource"]
        );
    }
}
