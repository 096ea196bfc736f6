//! Fuzz / property test of the parse and model stages on mutated real pages.
//!
//! A sample of the pages in `docs-input/` (every 40th v1.0 markdown page, sorted, plus every
//! rendered `.txt` page and every beta page) is mutated with a seeded PRNG: lines deleted,
//! duplicated, swapped and reversed, text truncated at char and byte boundaries, fragments of
//! markdown / HTTP / JSON / table syntax inserted, closing fences and comment ends removed, CRs,
//! tabs, unicode and very long lines added, pages spliced together, markdown stripped so that
//! the rendered-page reader takes over, bytes flipped (read back lossily, as `parse_all` does).
//! Each mutant goes through `parse::parse_page` and `model::build`, and the test asserts:
//!
//! - no panic (each case runs under `catch_unwind`; the failure names file, seed and mutations);
//! - no endless loop (cases run on worker threads; a case that takes longer than
//!   [`TIMEOUT`] fails the test);
//! - every diagnostic (of the parser and of the model) has a non-empty file, which is the page's
//!   file, and a line in `1..=lines of the page`;
//! - every span in the page tree and in the model (`span`, `sources`) names the page's file and
//!   a line in that range, and every `first_line` is >= 1;
//! - parsing is deterministic (every 8th case is parsed twice and must give the same tree).
//!
//! Batches of mutants (one per sampled page, same seed) are also modelled together, to exercise
//! merging across pages, and a folder of mutants (some not valid UTF-8) goes through
//! `codegen::load` and `emit::emit`, whose Rust files must parse.
//!
//! Knobs (environment): `PARSER_FUZZ_CASES` (cases per sampled page, default 32),
//! `PARSER_FUZZ_SEED` (base seed, default fixed), `PARSER_FUZZ_REPRO=<file>#<seed>` (run only
//! that case, and write the mutant to the temp dir), `PARSER_FUZZ_VERBOSE=1` (print each case
//! before it runs: for crashes that unwinding cannot catch). A failure prints the exact
//! `PARSER_FUZZ_REPRO` value to use.

mod common;

use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Once};
use std::time::{Duration, Instant};

use xtask::diag::Diagnostics;
use xtask::parse;

/// A case that runs longer than this is taken for an endless loop.
const TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_SEED: u64 = 0x005E_ED0F_D0C5;
const DEFAULT_CASES_PER_PAGE: usize = 32;
const BATCHES: usize = 6;

// ---------------------------------------------------------------------------------------------
// PRNG: splitmix64, so that the cases do not depend on any crate's algorithm.

#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`0` when `n == 0`).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn range(&mut self, lo: usize, hi_incl: usize) -> usize {
        lo + self.below(hi_incl - lo + 1)
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn mix(a: u64, b: u64) -> u64 {
    let mut r = Rng::new(a ^ b.rotate_left(32));
    r.next()
}

fn hash_str(s: &str) -> u64 {
    // FNV-1a: stable across runs and toolchains.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

// ---------------------------------------------------------------------------------------------
// Samples.

struct Sample {
    shown: Arc<str>,
    version: String,
    text: String,
}

fn samples() -> Vec<Sample> {
    let input = common::root().join("docs-input");
    let sources = xtask::codegen::discover(&input).expect("discover docs-input");
    let mut picked = Vec::new();
    let mut md_index = 0usize;
    for s in sources {
        let is_txt = s.path.extension().is_some_and(|e| e == "txt");
        let take = if is_txt || s.version == "beta" {
            true
        } else {
            // Every 40th: the 1st, the 41st, ...
            let take = md_index == 0;
            md_index = (md_index + 1) % 40;
            take
        };
        if take {
            let bytes = std::fs::read(&s.path).expect("read sample");
            picked.push(Sample {
                shown: s.display.clone(),
                version: s.version.clone(),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            });
        }
    }
    assert!(
        picked.len() >= 10,
        "too few sample pages under {}",
        input.display()
    );
    picked
}

// ---------------------------------------------------------------------------------------------
// Mutations.

/// Fragments inserted as lines or inside lines.
const FRAGMENTS: &[&str] = &[
    "```", "```http", "```json", "```\n", "~~~", "````", "| a |", "| a | b |", "|---|---|", "|", " |", "||",
    "<!-- {", "<!--", "-->", "<!-- { \"blockType\": \"request\", \"name\": \"x\" } -->",
    "<!-- {\"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.user\", \"isCollection\": true,} -->",
    "{", "}", "[", "]", "\"", "\\", "`", "``", "# ", "## ", "### ", "#", "## HTTP request", "## Request body",
    "## Response", "## Properties", "## Examples", "### Request", "## Permissions", "## JSON representation",
    "HTTP request", "Request headers", "Response", "Example 1: x", "Properties", "Permission type |",
    "Global service |", "Name |", "Type |", "Description |", "GET /users", "POST /me/events/{id}/x",
    "GET", "PATCH https://graph.microsoft.com/v1.0/users/{id | userPrincipalName}", "HTTP/1.1 200 OK",
    "HTTP/1.1", "HTTP/", "HTTP/1.1 99999 Bad", "Content-Type: application/json", ": :", "Namespace:",
    "Namespace: microsoft.graph.", "[!INCLUDE [x](y)]", "[!INCLUDE [national-cloud-support](", "[!INCLUDE",
    "[link](../resources/user.md)", "[x](", "](", "<", ">", "> ", "&amp;", "&#x;", "---", "---\ntitle: x\n---",
    "doc_type: enumPageType", "doc_type: conceptualPageType", "title: \"", "description: TODO", "TODO",
    "If successful, this method returns a `200 OK` response code and a collection of [user](../resources/user.md) objects in the response body.",
    "This method doesn't require a request body.", "In the request body, supply a JSON representation of [user](../resources/user.md).",
    "| Property | Type | Description |", "| id | String | x |", "| a | [b](c.md) collection |", "|:--|--:|",
    "*", "**", "_", "- ", "1. ", "    ", "\t", "\r", "\r\n", "\u{0}", "\u{feff}", "\u{200b}", "é", "✅", "❌",
    "𝕏", "\u{301}", "\u{202e}", "日本語", "{id}", "{", "root:/{item-path}:", "/me/drive/root:/", "$select",
    "lifecycleEventType values", "### x values", "@odata.type", "\"@odata.type\": \"#microsoft.graph.user\"",
];

/// Units repeated to make very long lines.
const LONG_UNITS: &[&str] = &[
    "a", "|", "`", "{", "[", "<", "*", "_", "\\", "é", "| a ", "<!-- ", "[a](", "> ", "- ", "\"",
    " ",
];

const UNICODE: &[char] = &[
    'é',
    '✅',
    '❌',
    '𝕏',
    '\u{301}',
    '\u{202e}',
    '\u{feff}',
    '\u{200b}',
    '\u{0}',
    '\u{7f}',
    '\u{85}',
    '\u{2028}',
    '\u{a0}',
    '日',
    '\u{10ffff}',
    '\u{fffd}',
    '\r',
    '\t',
    '\u{b}',
    '\u{c}',
];

const PUNCT: &[u8] = b"`|{}[]()<>#*_\\\"':-!~\r\t ";

fn char_boundary_at(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn random_boundary(s: &str, rng: &mut Rng) -> usize {
    char_boundary_at(s, rng.below(s.len() + 1))
}

fn lines_of(s: &str) -> Vec<String> {
    s.split_inclusive('\n').map(str::to_owned).collect()
}

fn with_newline(s: &str) -> String {
    if s.ends_with('\n') {
        s.to_owned()
    } else {
        format!("{s}\n")
    }
}

/// Applies 1..=4 random mutations; returns the mutant and a description of each mutation.
fn mutate(text: &str, rng: &mut Rng, pool: &[Sample]) -> (String, Vec<String>) {
    let mut s = text.to_owned();
    let mut what = Vec::new();
    let n = rng.range(1, 4);
    for _ in 0..n {
        let op = rng.below(24);
        let d = apply(op, &mut s, rng, pool);
        what.push(d);
    }
    (s, what)
}

fn apply(op: usize, s: &mut String, rng: &mut Rng, pool: &[Sample]) -> String {
    match op {
        0 => {
            let mut l = lines_of(s);
            let i = rng.below(l.len());
            let n = rng.range(1, 4).min(l.len() - i.min(l.len()));
            l.drain(i..i + n);
            *s = l.concat();
            format!("delete lines {}..{}", i + 1, i + n + 1)
        }
        1 => {
            let mut l = lines_of(s);
            if l.is_empty() {
                return "duplicate (empty)".into();
            }
            let i = rng.below(l.len());
            let n = rng.range(1, 6).min(l.len() - i);
            let at = rng.below(l.len() + 1);
            let copy: Vec<String> = l[i..i + n].to_vec();
            let copy_last = copy.len() - 1;
            let copy: Vec<String> = copy
                .into_iter()
                .enumerate()
                .map(|(k, x)| if k == copy_last { with_newline(&x) } else { x })
                .collect();
            l.splice(at..at, copy);
            *s = l.concat();
            format!("duplicate lines {}..{} at {}", i + 1, i + n + 1, at + 1)
        }
        2 => {
            let mut l = lines_of(s);
            if l.len() < 2 {
                return "swap (too short)".into();
            }
            let (a, b) = (rng.below(l.len()), rng.below(l.len()));
            l.swap(a, b);
            let last = l.len() - 1;
            for (k, x) in l.iter_mut().enumerate() {
                if k != last && !x.ends_with('\n') {
                    x.push('\n');
                }
            }
            *s = l.concat();
            format!("swap lines {} and {}", a + 1, b + 1)
        }
        3 => {
            let at = random_boundary(s, rng);
            s.truncate(at);
            format!("truncate at char boundary {at}")
        }
        4 => {
            let at = rng.below(s.len() + 1);
            *s = String::from_utf8_lossy(&s.as_bytes()[..at]).into_owned();
            format!("truncate at byte {at} (lossy)")
        }
        5 => {
            let f = *rng.pick(FRAGMENTS);
            let mut l = lines_of(s);
            let at = rng.below(l.len() + 1);
            if at > 0 && !l[at - 1].ends_with('\n') {
                l[at - 1].push('\n');
            }
            l.insert(at, format!("{f}\n"));
            *s = l.concat();
            format!("insert line {f:?} at line {}", at + 1)
        }
        6 => {
            let f = *rng.pick(FRAGMENTS);
            let at = random_boundary(s, rng);
            s.insert_str(at, f);
            format!("insert {f:?} at byte {at}")
        }
        7 => {
            let l = lines_of(s);
            let fences: Vec<usize> = l
                .iter()
                .enumerate()
                .filter(|(_, x)| {
                    let t = x.trim();
                    t.len() >= 3 && t.chars().all(|c| c == '`' || c == '~')
                })
                .map(|(i, _)| i)
                .collect();
            if fences.is_empty() {
                return "remove closing fence (none)".into();
            }
            let all = rng.chance(3);
            let one = *rng.pick(&fences);
            let out: Vec<String> = l
                .into_iter()
                .enumerate()
                .filter(|(i, _)| if all { !fences.contains(i) } else { *i != one })
                .map(|(_, x)| x)
                .collect();
            *s = out.concat();
            if all {
                "remove every bare fence line".into()
            } else {
                format!("remove bare fence line {}", one + 1)
            }
        }
        8 => {
            let hits: Vec<usize> = s.match_indices("-->").map(|(i, _)| i).collect();
            if hits.is_empty() {
                return "remove `-->` (none)".into();
            }
            if rng.chance(3) {
                *s = s.replace("-->", "");
                "remove every `-->`".into()
            } else {
                let at = *rng.pick(&hits);
                s.replace_range(at..at + 3, "");
                format!("remove `-->` at byte {at}")
            }
        }
        9 => match rng.below(3) {
            0 => {
                *s = s.replace('\n', "\r\n");
                "CRLF line ends".into()
            }
            1 => {
                *s = s.replace('\n', "\r");
                "CR-only line ends".into()
            }
            _ => {
                let k = rng.range(1, 20);
                for _ in 0..k {
                    let at = random_boundary(s, rng);
                    s.insert(at, '\r');
                }
                format!("insert {k} lone CRs")
            }
        },
        10 => {
            if rng.chance(2) {
                *s = lines_of(s)
                    .into_iter()
                    .map(|x| {
                        let n = x.len() - x.trim_start_matches(' ').len();
                        format!("{}{}", "\t".repeat(n.div_ceil(2)), &x[n..])
                    })
                    .collect();
                "leading spaces to tabs".into()
            } else {
                let k = rng.range(1, 30);
                for _ in 0..k {
                    let at = random_boundary(s, rng);
                    s.insert(at, '\t');
                }
                format!("insert {k} tabs")
            }
        }
        11 => {
            let unit = *rng.pick(LONG_UNITS);
            let reps = rng.range(5_000, 40_000) / unit.len();
            let mut l = lines_of(s);
            let at = rng.below(l.len() + 1);
            if at > 0 && !l[at - 1].ends_with('\n') {
                l[at - 1].push('\n');
            }
            l.insert(at, format!("{}\n", unit.repeat(reps)));
            *s = l.concat();
            format!("insert a line of {reps} x {unit:?} at line {}", at + 1)
        }
        12 => {
            let k = rng.range(1, 25);
            for _ in 0..k {
                let c = *rng.pick(UNICODE);
                let at = random_boundary(s, rng);
                s.insert(at, c);
            }
            format!("insert {k} unicode / control chars")
        }
        13 => {
            let other = &pool[rng.below(pool.len())];
            let ol = lines_of(&other.text);
            let i = rng.below(ol.len());
            let n = rng.range(1, 40).min(ol.len() - i.min(ol.len()));
            let mut l = lines_of(s);
            let at = rng.below(l.len() + 1);
            if at > 0 && !l[at - 1].ends_with('\n') {
                l[at - 1].push('\n');
            }
            let chunk: Vec<String> = ol[i..i + n].iter().map(|x| with_newline(x)).collect();
            l.splice(at..at, chunk);
            *s = l.concat();
            format!(
                "splice lines {}..{} of {} at line {}",
                i + 1,
                i + n + 1,
                other.shown,
                at + 1
            )
        }
        14 => {
            // Without markdown markers the page may be read as a rendered page.
            *s = lines_of(s)
                .into_iter()
                .filter(|x| {
                    let t = x.trim();
                    !(t.starts_with("```")
                        || t.starts_with("<!--")
                        || t == "---"
                        || t.starts_with("-->"))
                })
                .map(|x| x.trim_start_matches(['#', ' ']).to_owned())
                .collect();
            "strip markdown markers (headings, fences, comments, front matter)".into()
        }
        15 => {
            *s = lines_of(s)
                .into_iter()
                .map(|x| {
                    if x.starts_with('#') {
                        let rest = x.trim_start_matches('#');
                        format!("{}{rest}", "#".repeat(rng.range(0, 7)))
                    } else {
                        x
                    }
                })
                .collect();
            "random heading levels".into()
        }
        16 => {
            let k = rng.range(1, 40);
            let mut b = std::mem::take(s).into_bytes();
            for _ in 0..k {
                if b.is_empty() {
                    break;
                }
                let i = rng.below(b.len());
                if b[i].is_ascii() {
                    b[i] = *rng.pick(PUNCT);
                }
            }
            *s = String::from_utf8(b).expect("ascii for ascii keeps utf-8");
            format!("replace {k} ascii chars by punctuation")
        }
        17 => {
            let line = match rng.below(6) {
                0 => "> ".repeat(rng.range(50, 400)),
                1 => (0..rng.range(20, 200))
                    .map(|d| format!("{}- x\n", "  ".repeat(d)))
                    .collect(),
                2 => "[".repeat(rng.range(100, 3000)),
                3 => "{".repeat(rng.range(100, 3000)),
                4 => "*_".repeat(rng.range(100, 3000)),
                _ => "<!-- {".repeat(rng.range(10, 500)),
            };
            let mut l = lines_of(s);
            let at = rng.below(l.len() + 1);
            if at > 0 && !l[at - 1].ends_with('\n') {
                l[at - 1].push('\n');
            }
            l.insert(at, with_newline(&line));
            *s = l.concat();
            format!(
                "insert deep nesting ({} bytes) at line {}",
                line.len(),
                at + 1
            )
        }
        18 => {
            let k = rng.range(1, 20);
            let mut b = std::mem::take(s).into_bytes();
            for _ in 0..k {
                if b.is_empty() {
                    break;
                }
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            *s = String::from_utf8_lossy(&b).into_owned();
            format!("flip {k} bits (lossy)")
        }
        19 => {
            let tiny = [
                "",
                "\n",
                "---",
                "---\n",
                "---\ntitle: x",
                "```",
                "|",
                " |",
                "# ",
                "#",
                "<!--",
                "\u{feff}",
                "HTTP request\nGET",
                "## HTTP request\n```http\nGET",
                "Namespace: x\n|",
                "\r",
                "a |\nb |\nc |",
            ];
            let t = *rng.pick(&tiny);
            *s = t.to_owned();
            format!("replace the page by {t:?}")
        }
        20 => {
            let mut l = lines_of(s);
            if l.len() < 2 {
                return "reverse (too short)".into();
            }
            let i = rng.below(l.len() - 1);
            let j = rng.range(i + 1, (i + 30).min(l.len() - 1));
            for x in l.iter_mut() {
                *x = with_newline(x);
            }
            l[i..=j].reverse();
            *s = l.concat();
            format!("reverse lines {}..={}", i + 1, j + 1)
        }
        21 => {
            // Table rows: drop or add a pipe on a random table line.
            let mut l = lines_of(s);
            let rows: Vec<usize> = l
                .iter()
                .enumerate()
                .filter(|(_, x)| x.contains('|'))
                .map(|(i, _)| i)
                .collect();
            if rows.is_empty() {
                return "table cell edit (no table)".into();
            }
            let i = *rng.pick(&rows);
            let pipes: Vec<usize> = l[i].match_indices('|').map(|(k, _)| k).collect();
            let k = *rng.pick(&pipes);
            if rng.chance(2) {
                l[i].replace_range(k..k + 1, "");
                *s = l.concat();
                format!("remove a pipe on line {}", i + 1)
            } else {
                l[i].insert_str(k, "| x ");
                *s = l.concat();
                format!("add a cell on line {}", i + 1)
            }
        }
        22 => {
            // Truncate inside a code block or an annotation: where the interesting states are.
            let marks: Vec<usize> = ["```", "<!--", "{", "|"]
                .iter()
                .flat_map(|m| s.match_indices(m).map(|(i, _)| i).collect::<Vec<_>>())
                .collect();
            if marks.is_empty() {
                return "truncate at marker (none)".into();
            }
            let at = char_boundary_at(s, *rng.pick(&marks) + rng.below(8));
            s.truncate(at);
            format!("truncate near a marker at byte {at}")
        }
        _ => {
            // Move a block of lines elsewhere.
            let mut l = lines_of(s);
            if l.len() < 3 {
                return "move (too short)".into();
            }
            for x in l.iter_mut() {
                *x = with_newline(x);
            }
            let i = rng.below(l.len());
            let n = rng.range(1, 15).min(l.len() - i);
            let block: Vec<String> = l.drain(i..i + n).collect();
            let at = rng.below(l.len() + 1);
            l.splice(at..at, block);
            *s = l.concat();
            format!("move lines {}..{} to {}", i + 1, i + n + 1, at + 1)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Checks.

fn max_line(text: &str) -> u32 {
    text.bytes().filter(|b| *b == b'\n').count() as u32 + 1
}

/// Checks a `file:line` span string.
fn check_span(s: &str, lines: &HashMap<&str, u32>, at: &str, problems: &mut Vec<String>) {
    let Some((file, line)) = s.rsplit_once(':') else {
        problems.push(format!("{at}: span `{s}` is not file:line"));
        return;
    };
    let Ok(line) = line.parse::<u32>() else {
        problems.push(format!("{at}: span `{s}` has no line number"));
        return;
    };
    match lines.get(file) {
        None => problems.push(format!(
            "{at}: span `{s}` names a file that is not an input page"
        )),
        Some(max) if line < 1 || line > *max => problems.push(format!(
            "{at}: span `{s}` has line {line}, outside 1..={max}"
        )),
        Some(_) => {}
    }
}

/// Walks a serialized page or model: every `span`, every element of `sources`, every `first_line`.
fn check_tree(
    v: &serde_json::Value,
    path: &mut String,
    lines: &HashMap<&str, u32>,
    problems: &mut Vec<String>,
) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, x) in map {
                let len = path.len();
                path.push('.');
                path.push_str(k);
                match (k.as_str(), x) {
                    ("span", serde_json::Value::String(s)) => check_span(s, lines, path, problems),
                    ("sources", serde_json::Value::Array(items)) => {
                        for it in items {
                            match it.as_str() {
                                Some(s) => check_span(s, lines, path, problems),
                                None => {
                                    problems.push(format!("{path}: source is not a span string"))
                                }
                            }
                        }
                    }
                    ("first_line", x) => {
                        if !matches!(x.as_u64(), Some(n) if n >= 1) {
                            problems.push(format!("{path}: first_line {x} < 1"));
                        }
                    }
                    _ => check_tree(x, path, lines, problems),
                }
                path.truncate(len);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                check_tree(x, path, lines, problems);
                path.truncate(len);
            }
        }
        _ => {}
    }
    if problems.len() > 20 {
        problems.truncate(20);
    }
}

fn check_diags<'a>(
    what: &str,
    items: impl IntoIterator<Item = &'a xtask::diag::Diagnostic>,
    lines: &HashMap<&str, u32>,
    problems: &mut Vec<String>,
) {
    for d in items {
        if d.span.file.is_empty() {
            problems.push(format!("{what} diagnostic without a file: {d}"));
        } else if d.span.line < 1 {
            problems.push(format!("{what} diagnostic without a line (0): {d}"));
        } else {
            check_span(
                &d.span.to_string(),
                lines,
                &format!("{what} diagnostic `{d}`"),
                problems,
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cases.

#[derive(Clone, Copy, Debug)]
enum Case {
    /// One mutant of one sample page; `seed` alone determines the mutations.
    Single { sample: usize, seed: u64 },
    /// One mutant of every sample page with the same seed, modelled together.
    Batch { seed: u64 },
}

#[derive(Default, Debug, Clone)]
struct Stats {
    pages: usize,
    rendered: usize,
    parse_diags: usize,
    model_diags: usize,
    operations: usize,
    types: usize,
    bytes: usize,
}

fn case_seed(base: u64, sample: &Sample, i: usize) -> u64 {
    mix(mix(base, hash_str(&sample.shown)), i as u64)
}

fn repro(c: Case, samples: &[Sample]) -> String {
    match c {
        Case::Single { sample, seed } => format!("{}#{seed:#x}", samples[sample].shown),
        Case::Batch { seed } => format!("batch#{seed:#x}"),
    }
}

/// The mutant(s) of a case: (sample index, text, mutations).
fn mutants(c: Case, samples: &[Sample]) -> Vec<(usize, String, Vec<String>)> {
    match c {
        Case::Single { sample, seed } => {
            let mut rng = Rng::new(seed);
            let (text, what) = mutate(&samples[sample].text, &mut rng, samples);
            vec![(sample, text, what)]
        }
        Case::Batch { seed } => samples
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut rng = Rng::new(mix(seed, i as u64));
                let (text, what) = mutate(&s.text, &mut rng, samples);
                (i, text, what)
            })
            .collect(),
    }
}

fn run_case(c: Case, samples: &[Sample], determinism: bool) -> Result<Stats, String> {
    let ms = mutants(c, samples);
    let mut stats = Stats::default();
    let mut lines: HashMap<&str, u32> = HashMap::new();
    let mut pages = Vec::new();
    let mut diags = Diagnostics::default();
    let mut problems = Vec::new();
    for (i, text, _) in &ms {
        let s = &samples[*i];
        lines.insert(&s.shown, max_line(text));
    }
    for (i, text, _) in &ms {
        let s = &samples[*i];
        stats.bytes += text.len();
        let (page, d) = parse::parse_page(&s.shown, &s.version, text);
        stats.pages += 1;
        stats.parse_diags += d.items.len();
        if page.form == parse::Form::Rendered {
            stats.rendered += 1;
        }
        check_diags("parse", &d.items, &lines, &mut problems);
        let tree =
            serde_json::to_value(&page).map_err(|e| format!("page does not serialize: {e}"))?;
        check_tree(&tree, &mut "page".to_owned(), &lines, &mut problems);
        if *page.file != *s.shown {
            problems.push(format!("page file `{}` is not `{}`", page.file, s.shown));
        }
        if determinism {
            let (again, d2) = parse::parse_page(&s.shown, &s.version, text);
            let again = serde_json::to_value(&again)
                .map_err(|e| format!("page does not serialize: {e}"))?;
            if again != tree || d2.items != d.items {
                problems.push("parsing the same text twice gives different results".into());
            }
        }
        pages.push(page);
        diags.extend(d);
    }
    let model = xtask::model::build(pages, diags);
    stats.model_diags = model.diagnostics.len();
    for vm in model.versions.values() {
        stats.operations += vm.operations.len();
        stats.types += vm.types.len();
    }
    check_diags("model", &model.diagnostics, &lines, &mut problems);
    let tree =
        serde_json::to_value(&model).map_err(|e| format!("model does not serialize: {e}"))?;
    check_tree(&tree, &mut "model".to_owned(), &lines, &mut problems);
    if model.pages.len() != ms.len() {
        problems.push(format!(
            "model reports {} pages for {} inputs",
            model.pages.len(),
            ms.len()
        ));
    }
    if problems.is_empty() {
        Ok(stats)
    } else {
        problems.truncate(20);
        Err(problems.join("\n    "))
    }
}

// ---------------------------------------------------------------------------------------------
// Harness: worker threads, catch_unwind, timeout.

thread_local! {
    /// Set while a fuzz case runs: the panic hook records the panic here instead of printing it.
    static CAPTURE: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let captured = CAPTURE.with(|c| {
                let mut c = c.borrow_mut();
                match c.as_mut() {
                    Some(slot) => {
                        let msg = info
                            .payload()
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| info.payload().downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "(non-string panic payload)".into());
                        let at = info
                            .location()
                            .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
                            .unwrap_or_default();
                        *slot = Some(format!("panic: {msg}{at}"));
                        true
                    }
                    None => false,
                }
            });
            if !captured {
                previous(info);
            }
        }));
    });
}

enum Msg {
    Start {
        worker: usize,
        case: usize,
    },
    Done {
        case: usize,
        result: Result<Stats, String>,
        elapsed: Duration,
    },
}

struct Failure {
    case: usize,
    message: String,
}

/// Runs the cases on worker threads; returns the stats and the failures. A case that runs
/// longer than [`TIMEOUT`] ends the run with a failure (its thread is left behind).
fn run_all(cases: &[Case], samples: Arc<Vec<Sample>>) -> (Stats, Vec<Failure>, Duration) {
    install_panic_hook();
    let cases: Arc<Vec<Case>> = Arc::new(cases.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    let verbose = std::env::var_os("PARSER_FUZZ_VERBOSE").is_some();
    let (tx, rx) = mpsc::channel::<Msg>();
    for worker in 0..workers {
        let (tx, cases, next, samples) = (tx.clone(), cases.clone(), next.clone(), samples.clone());
        std::thread::Builder::new()
            .name(format!("parser-fuzz-{worker}"))
            .stack_size(16 << 20)
            .spawn(move || loop {
                let case = next.fetch_add(1, Ordering::SeqCst);
                if case >= cases.len() {
                    break;
                }
                if tx.send(Msg::Start { worker, case }).is_err() {
                    break;
                }
                if verbose {
                    // A crash that unwinding cannot catch (stack overflow, abort) still names its case.
                    eprintln!("parser fuzz: case {}", repro(cases[case], &samples));
                }
                let started = Instant::now();
                CAPTURE.with(|c| *c.borrow_mut() = Some(None));
                let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                    run_case(cases[case], &samples, case % 8 == 0)
                }));
                let captured = CAPTURE.with(|c| c.borrow_mut().take().flatten());
                let result = match outcome {
                    Ok(r) => r,
                    Err(_) => Err(captured.unwrap_or_else(|| "panic".into())),
                };
                if tx
                    .send(Msg::Done {
                        case,
                        result,
                        elapsed: started.elapsed(),
                    })
                    .is_err()
                {
                    break;
                }
            })
            .expect("spawn worker");
    }
    drop(tx);
    let mut running: HashMap<usize, (usize, Instant)> = HashMap::new();
    let mut total = Stats::default();
    let mut failures = Vec::new();
    let mut slowest = Duration::ZERO;
    loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(Msg::Start { worker, case }) => {
                running.insert(worker, (case, Instant::now()));
            }
            Ok(Msg::Done {
                case,
                result,
                elapsed,
            }) => {
                running.retain(|_, (c, _)| *c != case);
                slowest = slowest.max(elapsed);
                match result {
                    Ok(s) => {
                        total.pages += s.pages;
                        total.rendered += s.rendered;
                        total.parse_diags += s.parse_diags;
                        total.model_diags += s.model_diags;
                        total.operations += s.operations;
                        total.types += s.types;
                        total.bytes += s.bytes;
                    }
                    Err(message) => failures.push(Failure { case, message }),
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if let Some((case, since)) = running
            .values()
            .find(|(_, since)| since.elapsed() > TIMEOUT)
        {
            failures.push(Failure {
                case: *case,
                message: format!(
                    "no result after {:?}: endless loop (or pathological slowness)",
                    since.elapsed()
                ),
            });
            break;
        }
    }
    (total, failures, slowest)
}

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim();
    match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => v.parse().ok(),
    }
}

fn describe(c: Case, samples: &[Sample]) -> String {
    let ms = mutants(c, samples);
    let mut s = String::new();
    for (i, text, what) in ms.iter().take(if ms.len() > 1 { 200 } else { 1 }) {
        s.push_str(&format!(
            "    {} ({} bytes after mutation): {}\n",
            samples[*i].shown,
            text.len(),
            what.join("; ")
        ));
    }
    if let Case::Single { .. } = c {
        let path = std::env::temp_dir().join(format!(
            "parser-fuzz-{}.txt",
            repro(c, samples).replace(['/', '#'], "_")
        ));
        if std::fs::write(&path, &ms[0].1).is_ok() {
            s.push_str(&format!("    mutant written to {}\n", path.display()));
        }
    }
    s
}

#[test]
fn mutated_pages_parse_and_model_without_panics_or_hangs() {
    let samples = Arc::new(samples());
    let base = env_u64("PARSER_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let per_page = env_u64("PARSER_FUZZ_CASES").map_or(DEFAULT_CASES_PER_PAGE, |n| n as usize);
    let mut cases = Vec::new();
    if let Ok(only) = std::env::var("PARSER_FUZZ_REPRO") {
        let (file, seed) = only
            .rsplit_once('#')
            .expect("PARSER_FUZZ_REPRO=<file>#<seed>");
        let seed = u64::from_str_radix(seed.trim_start_matches("0x"), 16).expect("hex seed");
        if file == "batch" {
            cases.push(Case::Batch { seed });
        } else {
            let sample = samples
                .iter()
                .position(|s| &*s.shown == file)
                .expect("file is not a sampled page");
            cases.push(Case::Single { sample, seed });
        }
    } else {
        for (sample, s) in samples.iter().enumerate() {
            for i in 0..per_page {
                cases.push(Case::Single {
                    sample,
                    seed: case_seed(base, s, i),
                });
            }
        }
        for b in 0..BATCHES {
            cases.push(Case::Batch {
                seed: mix(base, 0xBA7C_0000 + b as u64),
            });
        }
    }
    let started = Instant::now();
    let (stats, failures, slowest) = run_all(&cases, samples.clone());
    eprintln!(
        "parser fuzz: {} cases ({} sampled pages, {} pages parsed, {} MB, {} read as rendered) in {:.1?}, slowest case {:.1?}; \
         {} parse and {} model diagnostics, {} operations, {} types",
        cases.len(),
        samples.len(),
        stats.pages,
        stats.bytes / 1_000_000,
        stats.rendered,
        started.elapsed(),
        slowest,
        stats.parse_diags,
        stats.model_diags,
        stats.operations,
        stats.types,
    );
    if !failures.is_empty() {
        let mut report = format!("{} of {} fuzz cases failed:\n", failures.len(), cases.len());
        for f in failures.iter().take(10) {
            let c = cases[f.case];
            report.push_str(&format!(
                "- PARSER_FUZZ_REPRO='{}' cargo test -p xtask --test parser_fuzz\n    {}\n{}",
                repro(c, &samples),
                f.message,
                describe(c, &samples)
            ));
        }
        panic!("{report}");
    }
}

/// The harness itself: the same seed gives the same mutant, different seeds differ, and every
/// mutation keeps the text valid UTF-8 (it is a `String`) without panicking on tiny inputs.
#[test]
fn mutations_are_deterministic_and_total() {
    let pool = vec![Sample {
        shown: "docs-input/v1.0/api/x.md".into(),
        version: "v1.0".into(),
        text: "# T\n\n| a |\n|---|\n| b |\n```http\nGET /x\n```\n<!-- { } -->\n".into(),
    }];
    for text in ["", "x", "é", "\n", "```", "a\nb", "| é |"] {
        for op in 0..24 {
            for seed in 0..20u64 {
                let mut s = text.to_owned();
                let mut rng = Rng::new(seed);
                apply(op, &mut s, &mut rng, &pool);
            }
        }
    }
    let (a, wa) = mutate(&pool[0].text, &mut Rng::new(7), &pool);
    let (b, wb) = mutate(&pool[0].text, &mut Rng::new(7), &pool);
    assert_eq!((a, wa), (b, wb));
    let distinct: std::collections::HashSet<String> = (0..50)
        .map(|s| mutate(&pool[0].text, &mut Rng::new(s), &pool).0)
        .collect();
    assert!(
        distinct.len() > 25,
        "mutations hardly vary: {}",
        distinct.len()
    );
}

const HOSTILE_RESOURCE: &str = r#"# hostile"thing resource type

Namespace: microsoft.graph

Text with "quotes", a \ backslash, */ and /* comment markers, {braces} and `code`.

## Properties

| Property | Type | Description |
|:---------|:-----|:------------|
| say"hi" | String | A "quoted" name. |
| back\slash | Int32 | A \ in the name. |
| {brace} | String | }{ braces. |
| type | hostileEnum | A keyword and an enum. |
| self | String | Not even a raw identifier. |
| ünïcode | Boolean | Non-ASCII. |
| r#raw | String | Looks raw already. |

## JSON representation

<!-- { "blockType": "resource", "@odata.type": "microsoft.graph.hostile"thing" } -->

```json
{ "say"hi": "x" }
```
"#;

const HOSTILE_ENUM: &str = r#"# hostileEnum enum type

Namespace: microsoft.graph

## Members

| Member | Value | Description |
|:-------|:------|:------------|
| a"b | 0 | A quote. |
| c\d | 1 | A backslash. |
| Self | 2 | A keyword. |
| | 3 | Empty. |
"#;

const HOSTILE_API: &str = r#"# Get hostile"thing

Namespace: microsoft.graph

Gets "it" \ now.

## HTTP request

```http
GET /hostile/{id"x}/items('{name\y}')?$select={a}
```

## Request headers

| Name | Description |
|:-----|:------------|
| X-"Odd" | A quoted header. |

## Response

If successful, this method returns a `200 OK` response code and a [hostile"thing](../resources/hostile.md) object.
"#;

/// A folder of mutants (some not UTF-8, a directory and a dangling symlink named like pages)
/// through `codegen::load`: no error, no panic, every diagnostic with a file and a line. Then
/// through `emit::emit`: every Rust file it writes parses (the emitter writes text, so whatever
/// names and descriptions the mutants give must still come out as valid Rust).
#[test]
fn load_and_emit_a_folder_of_mutants() {
    let samples = samples();
    let dir = std::env::temp_dir().join(format!("parser-fuzz-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let input = dir.join("docs-input");
    for sub in ["v1.0/api", "v1.0/resources", "beta/api"] {
        std::fs::create_dir_all(input.join(sub)).unwrap();
    }
    let mut rng = Rng::new(DEFAULT_SEED);
    for (i, s) in samples.iter().enumerate().take(40) {
        let (text, _) = mutate(&s.text, &mut rng, &samples);
        let rel = s.shown.strip_prefix("docs-input/").unwrap();
        let mut bytes = text.into_bytes();
        if i % 7 == 3 {
            // Invalid UTF-8: read lossily.
            let at = bytes.len() / 2;
            bytes.insert(at, 0xFF);
            bytes.insert(at, 0xC3);
        }
        std::fs::write(input.join(rel), bytes).unwrap();
    }
    // Hand-made hostile pages: names and texts with quotes, backslashes, braces, keywords and
    // comment markers, which the emitter must escape or rename.
    std::fs::write(input.join("v1.0/resources/hostile.md"), HOSTILE_RESOURCE).unwrap();
    std::fs::write(input.join("v1.0/resources/hostile-enum.md"), HOSTILE_ENUM).unwrap();
    std::fs::write(input.join("v1.0/api/hostile-get.md"), HOSTILE_API).unwrap();
    // Not pages: skipped by discovery.
    std::fs::create_dir_all(input.join("v1.0/api/folder.md")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(input.join("nowhere.md"), input.join("v1.0/api/dangling.md"))
        .unwrap();
    let model = xtask::codegen::load(&input).expect("load never fails on bad pages");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!model.pages.is_empty());
    for d in &model.diagnostics {
        assert!(
            !d.span.file.is_empty() && d.span.line >= 1,
            "diagnostic without file:line: {d}"
        );
    }
    let output = xtask::emit::emit(&model).expect("emit never fails on a model");
    let mut rust_files = 0;
    for sink in [&output.models, &output.requests, &output.conformance] {
        for (path, text) in &sink.files {
            if path.ends_with(".rs") {
                rust_files += 1;
                if let Err(e) = syn::parse_file(text) {
                    panic!("emitted {} does not parse: {e}\n{text}", path);
                }
            }
        }
    }
    assert!(rust_files > 20, "{rust_files} Rust files emitted");
}

/// Cases the fuzzer found, kept as plain regression tests.
///
/// `model/resolve.rs` `looks_like_timestamp` sliced `s[19..]` inside a multi-byte char when an
/// example value looks like a timestamp up to byte 13 (found with `PARSER_FUZZ_SEED=999
/// PARSER_FUZZ_CASES=2000`, case `docs-input/v1.0/api/intune-companyterms-termsandconditions-update.md#0x88c2ef13fb6812a9`).
#[test]
fn regression_multibyte_char_in_a_timestamp_like_example_value() {
    let page = "# Get widget\n\nNamespace: microsoft.graph\n\n## HTTP request\n\n```http\nGET /widgets/{id}\n```\n\n\
        ## Response\n\nIf successful, this method returns a `200 OK` response code and a [widget](../resources/widget.md) object in the response body.\n\n\
        ## Example\n\n### Request\n\n<!-- { \"blockType\": \"request\", \"name\": \"get_widget\" } -->\n```http\nGET https://graph.microsoft.com/v1.0/widgets/1\n```\n\n\
        ### Response\n\n<!-- { \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.widget\" } -->\n```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n\
        {\n  \"id\": \"1\",\n  \"createdDateTime\": \"2017-01-01T00:00:\u{2705}35.1329464-08:00\"\n}\n```\n";
    let file: Arc<str> = "docs-input/v1.0/api/widget-get.md".into();
    let (page, diags) = parse::parse_page(&file, "v1.0", page);
    assert_eq!(
        page.examples.len(),
        2,
        "the page must have its two examples"
    );
    let model = xtask::model::build(vec![page], diags);
    assert_eq!(model.versions["v1.0"].operations.len(), 1);
}
