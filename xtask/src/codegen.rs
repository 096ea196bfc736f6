//! Runs the stages over a docs folder: read pages, parse, build the model, emit, write or check.

use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostics, Kind};
use crate::model::{self, ApiModel};
use crate::parse::{self, Page};
use crate::span::Span;

/// A page file found under the input folder.
pub struct Source {
    /// Path shown in diagnostics (relative to the input folder's parent when possible).
    pub display: Arc<str>,
    pub version: String,
    pub path: PathBuf,
}

/// Finds `<version>/{api,resources}/*.{md,txt}` (also under `api-reference/`), sorted.
pub fn discover(input: &Path) -> anyhow::Result<Vec<Source>> {
    let mut roots = vec![input.to_path_buf()];
    if input.join("api-reference").is_dir() {
        roots.push(input.join("api-reference"));
    }
    let mut out = Vec::new();
    for root in roots {
        for version in ["v1.0", "beta"] {
            for kind in ["api", "resources"] {
                let dir = root.join(version).join(kind);
                let Ok(entries) = fs::read_dir(&dir) else {
                    continue;
                };
                for entry in entries {
                    let entry = entry?;
                    let path = entry.path();
                    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
                    if !matches!(ext, "md" | "txt") || !is_file(&entry) {
                        continue;
                    }
                    let rel = path.strip_prefix(input).unwrap_or(&path);
                    let display = format!(
                        "{}/{}",
                        input
                            .file_name()
                            .and_then(|n| n.to_str())
                            .unwrap_or("docs-input"),
                        rel.to_string_lossy().replace('\\', "/")
                    );
                    out.push(Source {
                        display: display.into(),
                        version: version.to_owned(),
                        path,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| a.display.cmp(&b.display));
    Ok(out)
}

/// A regular file, or a link to one. The type comes with the directory entry on most file
/// systems, so this costs no `stat` per page except for links.
fn is_file(entry: &fs::DirEntry) -> bool {
    match entry.file_type() {
        Ok(t) if t.is_symlink() => entry.path().is_file(),
        Ok(t) => t.is_file(),
        Err(_) => false,
    }
}

/// The end of a run: the model and the output are not freed one allocation at a time (some
/// 30 ms of a run, most of it on one core); the process exits and the OS takes the memory back
/// at once, as rustc does with its own arenas.
pub fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Parses every page; an unreadable file is a diagnostic, not an error.
pub fn parse_all(sources: &[Source]) -> (Vec<Page>, Diagnostics) {
    // Pages are independent: parse them on every core; results come back in source order.
    let mut diags = Diagnostics::default();
    let mut pages = Vec::with_capacity(sources.len());
    for (page, d) in sources.par_iter().map(parse_source).collect::<Vec<_>>() {
        pages.extend(page);
        diags.extend(d);
    }
    (pages, diags)
}

fn parse_source(s: &Source) -> (Option<Page>, Diagnostics) {
    match fs::read(&s.path) {
        Ok(bytes) => {
            let text = page_text(&bytes);
            let (page, d) = parse::parse_page(&s.display, &s.version, &text);
            (Some(page), d)
        }
        Err(e) => {
            let mut diags = Diagnostics::default();
            diags.push(
                &Span::new(&s.display, 1),
                Kind::Io,
                format!("cannot read: {e}"),
            );
            (None, diags)
        }
    }
}

/// The text of a page file: its bytes as they are when they are UTF-8 (checked by the standard
/// library's fast validation), else with each invalid sequence replaced by U+FFFD.
pub fn page_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.into(),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Reads and models a docs folder.
pub fn load(input: &Path) -> anyhow::Result<ApiModel> {
    let sources = discover(input)?;
    let (pages, diags) = parse_all(&sources);
    Ok(model::build(pages, diags))
}

/// Where the generated files go.
pub struct Targets {
    pub models: PathBuf,
    pub requests: PathBuf,
    /// `graph-models/Cargo.toml`: its generated block of features.
    pub models_manifest: PathBuf,
    /// `graph-requests/Cargo.toml`: its generated block of features.
    pub requests_manifest: PathBuf,
    /// The conformance cases and their dispatch, `graph-requests/tests/conformance`.
    pub conformance: PathBuf,
}

impl Targets {
    /// `<crates>/graph-models/src/generated` and `<crates>/graph-requests/src/generated`.
    pub fn under(crates: &Path) -> Self {
        Targets {
            models: crates.join("graph-models/src/generated"),
            requests: crates.join("graph-requests/src/generated"),
            models_manifest: crates.join("graph-models/Cargo.toml"),
            requests_manifest: crates.join("graph-requests/Cargo.toml"),
            conformance: crates.join("graph-requests/tests/conformance"),
        }
    }
}

/// The lines that enclose the generated features in a crate's `Cargo.toml`.
pub const FEATURES_BEGIN: &str =
    "# @generated features: begin (by `cargo xtask codegen`; do not edit by hand)";
pub const FEATURES_END: &str = "# @generated features: end";

/// The generated feature lines: one per API area, and `full` with all of them. In
/// `graph-requests` each area also turns on the same area of `graph-models`.
pub fn features_block(
    features: &std::collections::BTreeSet<String>,
    models_dep: Option<&str>,
) -> String {
    let mut s = String::new();
    for f in features {
        match models_dep {
            Some(dep) => s.push_str(&format!("{f} = [\"{dep}/{f}\"]\n")),
            None => s.push_str(&format!("{f} = []\n")),
        }
    }
    let all: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
    s.push_str(&format!("full = [{}]\n", all.join(", ")));
    s
}

/// The manifest with its generated block replaced (the block must exist once). An API area
/// named like a hand-written feature of the manifest (`time`, `client-credentials`) is an
/// error, not a manifest that cargo would refuse.
pub fn splice_features(manifest: &str, block: &str) -> anyhow::Result<String> {
    let begin = manifest
        .find(FEATURES_BEGIN)
        .ok_or_else(|| anyhow::anyhow!("no `{FEATURES_BEGIN}` line"))?;
    let end = manifest[begin..]
        .find(FEATURES_END)
        .map(|e| begin + e)
        .ok_or_else(|| anyhow::anyhow!("no `{FEATURES_END}` line"))?;
    let names = |text: &str| -> std::collections::BTreeSet<String> {
        text.lines()
            .filter_map(|l| l.split_once('=').map(|(name, _)| name.trim()))
            .filter(|n| !n.is_empty() && !n.starts_with('#'))
            .map(str::to_owned)
            .collect()
    };
    // The `[features]` table's own lines outside the block.
    let table = |text: &str| -> String {
        let mut inside = false;
        let mut own = String::new();
        for line in text.lines() {
            let l = line.trim();
            if l.starts_with('[') {
                inside = l == "[features]";
            } else if inside {
                own.push_str(l);
                own.push('\n');
            }
        }
        own
    };
    let hand = names(&table(&format!(
        "{}{}",
        &manifest[..begin],
        &manifest[end..]
    )));
    if let Some(clash) = names(block).intersection(&hand).next() {
        anyhow::bail!("the generated feature `{clash}` is also a hand-written feature of the manifest; rename one of them");
    }
    Ok(format!(
        "{}{FEATURES_BEGIN}\n{block}{}",
        &manifest[..begin],
        &manifest[end..]
    ))
}

/// The two manifests as codegen wants them: (path, wanted text).
fn manifests(
    output: &crate::emit::Output,
    targets: &Targets,
) -> anyhow::Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    for (path, dep) in [
        (&targets.models_manifest, None),
        (&targets.requests_manifest, Some("graph-models")),
    ] {
        // An `--out` folder without the crates' manifests gets the generated code only.
        let Ok(text) = fs::read_to_string(path) else {
            continue;
        };
        let wanted = splice_features(&text, &features_block(&output.features(), dep))
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        out.push((path.clone(), wanted));
    }
    Ok(out)
}

/// Everything that differs from what codegen produces now: generated files and feature blocks.
pub fn stale_all(
    output: &crate::emit::Output,
    targets: &Targets,
) -> anyhow::Result<Vec<(PathBuf, Stale)>> {
    let mut stale = self::stale(&output.models, &targets.models);
    stale.extend(self::stale(&output.requests, &targets.requests));
    for (path, wanted) in manifests(output, targets)? {
        if fs::read_to_string(&path)? != wanted {
            stale.push((path, Stale::FeaturesDiffer));
        }
    }
    Ok(stale)
}

/// Writes both crates' generated files and feature blocks.
pub fn write_all(
    output: &crate::emit::Output,
    targets: &Targets,
) -> anyhow::Result<(Written, Written)> {
    let m = write(&output.models, &targets.models)?;
    let r = write(&output.requests, &targets.requests)?;
    for (path, wanted) in manifests(output, targets)? {
        if fs::read_to_string(&path)? != wanted {
            fs::write(&path, wanted)?;
        }
    }
    Ok((m, r))
}

/// What [`write()`] did to a folder.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Files the sink holds.
    pub files: usize,
    /// Of those, files written because they were missing or differed.
    pub changed: usize,
    /// Files removed because they are not generated any more.
    pub removed: usize,
}

impl std::fmt::Display for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} files ({} changed, {} removed)",
            self.files, self.changed, self.removed
        )
    }
}

/// What is wrong with a file that codegen would change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stale {
    /// Its text is not what codegen makes now.
    Differs,
    /// Codegen makes it, but it is not there.
    Missing,
    /// It is in a generated folder, but codegen does not make it any more.
    NotGenerated,
    /// A manifest whose generated block of features is not what codegen makes now.
    FeaturesDiffer,
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stale::Differs => "differs",
            Stale::Missing => "missing",
            Stale::NotGenerated => "not generated any more",
            Stale::FeaturesDiffer => "generated features differ",
        })
    }
}

/// Files that differ between the sink and a folder: (path, what is wrong).
pub fn stale(sink: &crate::emit::Sink, dir: &Path) -> Vec<(PathBuf, Stale)> {
    let mut out = Vec::new();
    for (rel, text) in &sink.files {
        match fs::read_to_string(dir.join(rel)) {
            Ok(old) if &old == text => {}
            Ok(_) => out.push((dir.join(rel), Stale::Differs)),
            Err(_) => out.push((dir.join(rel), Stale::Missing)),
        }
    }
    for file in walk(dir) {
        if !sink.files.contains_key(&sink_key(dir, &file)) {
            out.push((file, Stale::NotGenerated));
        }
    }
    out
}

/// The key of `file` (under `dir`) in a sink: its path below `dir`, joined with `/`.
fn sink_key(dir: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(dir).unwrap_or(file);
    let mut parts = rel.iter().map(|p| p.to_string_lossy());
    let file = parts.next_back().unwrap_or_default();
    let folders: Vec<_> = parts.collect();
    crate::emit::rel_path(folders.iter().map(|f| f.as_ref()), &file)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Makes the folder hold exactly the sink's files. Only files that are missing or differ are
/// written, so unchanged files keep their modification time and cargo does not rebuild the
/// crates after a run that changed nothing; files not generated any more are removed, and so
/// are the folders that this leaves empty.
pub fn write(sink: &crate::emit::Sink, dir: &Path) -> anyhow::Result<Written> {
    let mut done = Written {
        files: sink.files.len(),
        ..Written::default()
    };
    for (path, what) in stale(sink, dir) {
        if what == Stale::NotGenerated {
            fs::remove_file(&path)?;
            done.removed += 1;
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, &sink.files[&sink_key(dir, &path)])?;
        done.changed += 1;
    }
    if done.removed > 0 {
        remove_empty_dirs(dir);
    }
    Ok(done)
}

/// Removes the empty folders below `dir` (deepest first).
fn remove_empty_dirs(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_empty_dirs(&path);
            // Fails, as it should, while the folder still has files.
            let _ = fs::remove_dir(&path);
        }
    }
}

/// The summary printed after a run (`areas`: [`crate::emit::Output::areas`]).
pub fn summary(
    model: &ApiModel,
    areas: &std::collections::BTreeMap<String, crate::model::areas::Areas>,
) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let pages = model.pages.len();
    let api = model.pages.iter().filter(|p| p.kind == "api").count();
    let with_ops = model
        .pages
        .iter()
        .filter(|p| !p.operations.is_empty())
        .count();
    let types = model
        .pages
        .iter()
        .filter(|p| p.kind == "resource" || p.kind == "enum")
        .count();
    let _ = writeln!(
        s,
        "pages: {pages} ({api} api pages, {types} resource pages, {} other; {with_ops} yield operations)",
        pages - api - types
    );
    for (version, vm) in &model.versions {
        let inferred = vm.types.values().filter(|t| t.inferred).count();
        let _ = writeln!(
            s,
            "{version}: {} operations, {} types ({inferred} inferred)",
            vm.operations.len(),
            vm.types.len()
        );
    }
    let c = crate::model::coverage::Coverage::of(model);
    let pct = crate::model::coverage::Coverage::percent;
    let _ = writeln!(
        s,
        "coverage: {}/{} api pages with a request yield operations ({}%), {}/{} resource pages yield types ({}%), {}/{} type references resolve ({}%)",
        c.api_pages_with_operations,
        c.api_pages_with_request,
        pct(c.api_pages_with_operations, c.api_pages_with_request),
        c.resource_pages_with_types,
        c.resource_pages,
        pct(c.resource_pages_with_types, c.resource_pages),
        c.type_refs_resolved,
        c.type_refs,
        pct(c.type_refs_resolved, c.type_refs),
    );
    for (version, areas) in areas {
        let mut per: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
        for a in &areas.operations {
            per.entry(a).or_default().0 += 1;
        }
        for set in areas.types.values() {
            for a in set {
                per.entry(a).or_default().1 += 1;
            }
        }
        let list: Vec<String> = per
            .iter()
            .map(|(a, (o, t))| format!("{a} ({o} ops, {t} types)"))
            .collect();
        let _ = writeln!(s, "{version} areas (cargo features): {}", list.join(", "));
    }
    let counts = crate::diag::counts(&model.diagnostics);
    let _ = writeln!(s, "diagnostics: {}", model.diagnostics.len());
    for (kind, n) in counts {
        let _ = writeln!(s, "  {kind}: {n}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_text_borrows_utf8_and_replaces_what_is_not() {
        let good = "Résumé `x`".as_bytes();
        assert!(matches!(
            page_text(good),
            std::borrow::Cow::Borrowed("Résumé `x`")
        ));
        let bad = b"a\xffb\xc3";
        assert_eq!(page_text(bad), String::from_utf8_lossy(bad));
        assert_eq!(page_text(bad), "a\u{fffd}b\u{fffd}");
    }

    #[test]
    fn an_area_named_like_a_hand_written_feature_is_refused() {
        let manifest = format!(
            "[features]\ndefault = []\ntime = [\"dep:time\"]\n{FEATURES_BEGIN}\nmail = []\n{FEATURES_END}\n\n[dependencies]\nserde = \"1\"\n"
        );
        let areas = |names: &[&str]| names.iter().map(|n| n.to_string()).collect();
        let spliced = splice_features(&manifest, &features_block(&areas(&["files", "mail"]), None));
        assert!(spliced
            .unwrap()
            .contains("files = []\nmail = []\nfull = [\"files\", \"mail\"]\n"));
        let err = splice_features(&manifest, &features_block(&areas(&["time"]), None)).unwrap_err();
        assert!(err.to_string().contains("`time`"), "{err}");
        // A dependency named like an area is no clash.
        assert!(splice_features(&manifest, &features_block(&areas(&["serde"]), None)).is_ok());
    }

    #[test]
    fn sink_keys_are_slash_joined_paths_below_the_folder() {
        use crate::emit::rel_path;
        assert_eq!(
            rel_path(["v1_0", "security"], "alert.rs"),
            "v1_0/security/alert.rs"
        );
        assert_eq!(rel_path([], "mod.rs"), "mod.rs");
        assert_eq!(
            crate::emit::ns_path("v1", &["security".to_owned()], "alert.rs"),
            "v1/security/alert.rs"
        );
        let dir = Path::new("/out/generated");
        assert_eq!(
            sink_key(dir, &dir.join("v1_0").join("mod.rs")),
            "v1_0/mod.rs"
        );
        assert_eq!(sink_key(dir, &dir.join("cases.json")), "cases.json");
    }

    #[test]
    fn write_touches_only_what_changed() {
        let dir = std::env::temp_dir().join(format!("xtask-write-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let mut sink = crate::emit::Sink::default();
        sink.files.insert("a.rs".into(), "a".into());
        sink.files.insert("m/b.rs".into(), "b".into());
        sink.files.insert("n/c.rs".into(), "c".into());
        let first = write(&sink, &dir).unwrap();
        assert_eq!((first.files, first.changed, first.removed), (3, 3, 0));
        let mtime = |p: &str| fs::metadata(dir.join(p)).unwrap().modified().unwrap();
        let before = mtime("a.rs");
        std::thread::sleep(std::time::Duration::from_millis(20));

        sink.files.insert("m/b.rs".into(), "b2".into());
        sink.files.remove("n/c.rs");
        let stale_now = stale(&sink, &dir);
        let reasons: Vec<Stale> = stale_now.iter().map(|(_, s)| *s).collect();
        assert_eq!(reasons, [Stale::Differs, Stale::NotGenerated]);
        let second = write(&sink, &dir).unwrap();
        assert_eq!((second.files, second.changed, second.removed), (2, 1, 1));
        assert_eq!(mtime("a.rs"), before, "an unchanged file is not rewritten");
        assert_eq!(fs::read_to_string(dir.join("m/b.rs")).unwrap(), "b2");
        assert!(!dir.join("n").exists(), "the emptied folder is removed");
        assert!(stale(&sink, &dir).is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }
}
