//! The same operation documented on several pages is merged; names are made unique.

use std::collections::BTreeMap;

use super::{Operation, VersionModel};
use crate::diag::{Diagnostics, Kind};

/// Merges operations with the same method whose paths share a shape.
pub fn merge_operations(vm: &mut VersionModel, diags: &mut Diagnostics) {
    let mut merged: Vec<Operation> = Vec::new();
    for op in std::mem::take(&mut vm.operations) {
        let shapes: Vec<String> = op.paths.iter().map(|p| p.shape()).collect();
        let target = merged
            .iter_mut()
            .find(|m| m.method == op.method && m.paths.iter().any(|p| shapes.contains(&p.shape())));
        match target {
            Some(m) => {
                diags.push(
                    &op.sources[0],
                    Kind::DuplicateOperation,
                    format!(
                        "`{} {}` is also documented at {}; merged",
                        op.method, op.paths[0].raw, m.sources[0]
                    ),
                );
                absorb(m, op);
            }
            None => merged.push(op),
        }
    }
    vm.operations = merged;
}

fn absorb(into: &mut Operation, from: Operation) {
    for p in from.paths {
        if !into.paths.iter().any(|q| q.shape() == p.shape()) {
            into.paths.push(p);
        }
    }
    for h in from.headers {
        match into
            .headers
            .iter_mut()
            .find(|x| x.name.eq_ignore_ascii_case(&h.name))
        {
            Some(x) => {
                x.required |= h.required;
                if x.description.is_none() {
                    x.description = h.description;
                }
            }
            None => into.headers.push(h),
        }
    }
    for q in from.query {
        if !into.query.iter().any(|x| x.name == q.name) {
            into.query.push(q);
        }
    }
    if into.body.is_none() {
        into.body = from.body;
    }
    if into.response.ty.is_none() && from.response.ty.is_some() {
        into.response = from.response;
    } else {
        into.response.long_running |= from.response.long_running;
    }
    if into.permissions.iter().all(|p| p.least.is_empty()) && !from.permissions.is_empty() {
        into.permissions = from.permissions;
    }
    if into.clouds.is_none() {
        into.clouds = from.clouds;
    }
    if into.description.is_none() {
        into.description = from.description;
    }
    into.examples.extend(from.examples);
    into.sources.extend(from.sources);
}

/// Two operations of one group with one name: later ones get a numeric suffix.
pub fn unique_names(vm: &mut VersionModel, diags: &mut Diagnostics) {
    vm.operations.sort_by(|a, b| {
        (&a.namespace, &a.group, &a.name, &a.sources[0]).cmp(&(
            &b.namespace,
            &b.group,
            &b.name,
            &b.sources[0],
        ))
    });
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    let mut taken: std::collections::BTreeSet<String> = vm
        .operations
        .iter()
        .map(|o| o.name.to_ascii_lowercase())
        .collect();
    for op in &mut vm.operations {
        let key = (
            op.namespace.clone(),
            op.group.clone(),
            op.name.to_ascii_lowercase(),
        );
        let n = seen.entry(key).or_insert(0);
        *n += 1;
        if *n > 1 {
            // Named after the resource it hangs off (`listMembersOfDirectoryRoles`), else numbered.
            let of = parent_segment(op).map(|p| format!("{}Of{}", op.name, upper_first(&p)));
            let new = match of {
                Some(of) if taken.insert(of.to_ascii_lowercase()) => of,
                _ => format!("{}{}", op.name, n),
            };
            diags.push(
                &op.sources[0],
                Kind::NameCollision,
                format!(
                    "`{}.{}` is already taken by another operation; named `{new}`",
                    op.group, op.name
                ),
            );
            op.name = new;
        }
    }
}

/// The static segment before the operation's own (group) segment in its first path, without
/// function arguments: `/groups/{id}/members` → `groups`.
fn parent_segment(op: &super::Operation) -> Option<String> {
    let path = op.paths.first()?;
    let mut segs: Vec<String> = Vec::new();
    for piece in &path.pieces {
        if let super::Piece::Lit { text } = piece {
            for seg in text.split(['/', ':']) {
                let seg = seg.split('(').next().unwrap_or("");
                let seg = seg.rsplit('.').next().unwrap_or(seg);
                if !seg.is_empty() && !seg.starts_with('$') {
                    segs.push(seg.to_owned());
                }
            }
        }
    }
    let at = segs
        .iter()
        .rposition(|s| s.eq_ignore_ascii_case(&op.group))?;
    segs[..at]
        .iter()
        .rev()
        .find(|s| s.chars().all(|c| c.is_ascii_alphanumeric()))
        .cloned()
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}
