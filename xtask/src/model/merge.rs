//! The same operation documented on several pages is merged; names are made unique.

use std::collections::{BTreeMap, BTreeSet};

use super::{BodyModel, Operation, PathTemplate, TypeDef, TypeKind, TypeRef, VersionModel};
use crate::diag::{Diagnostics, Kind};

/// Merges a second page's documentation of a type into the first one's.
///
/// Intune documents partial views of shared types on its own pages (`intune-devices-user.md`
/// has `user` with `id` and `managedDevices`); the type's own page (`user.md`) is the main one:
/// its description, base type, span and member order win, and the members that only the other
/// page lists are appended. Without an own page, the page with more members wins.
pub fn merge_type(first: TypeDef, second: TypeDef, diags: &mut Diagnostics) -> TypeDef {
    let (mut main, extra) = if type_rank(&second) > type_rank(&first) {
        (second, first)
    } else {
        (first, second)
    };
    diags.push(
        &extra.span,
        Kind::DuplicateType,
        format!(
            "`{}` is also documented at {}; members merged",
            main.name, main.span
        ),
    );
    main.description = main.description.or(extra.description);
    main.base = main.base.or(extra.base);
    match (&mut main.kind, extra.kind) {
        (TypeKind::Struct { properties }, TypeKind::Struct { properties: more }) => {
            for p in more {
                if !properties.iter().any(|q| q.name == p.name) {
                    properties.push(p);
                }
            }
        }
        (TypeKind::Enum { members }, TypeKind::Enum { members: more }) => {
            for m in more {
                if !members.iter().any(|n| n.value == m.value) {
                    members.push(m);
                }
            }
        }
        // A struct and an enum of one name: the main page's kind stands.
        _ => {}
    }
    main
}

/// Which documentation of a type is the main one: its own page (file named after the type),
/// then the one with more members.
fn type_rank(ty: &TypeDef) -> (bool, usize) {
    let own_page = super::resolve::stem(&ty.span.file)
        .replace('-', "")
        .eq_ignore_ascii_case(&ty.short);
    let members = match &ty.kind {
        TypeKind::Struct { properties } => properties.len(),
        TypeKind::Enum { members } => members.len(),
    };
    (own_page, members)
}

/// Merges operations with the same method whose paths share a shape.
pub fn merge_operations(vm: &mut VersionModel, diags: &mut Diagnostics) {
    let mut merged: Vec<Operation> = Vec::new();
    // The path shapes of each merged operation, kept beside it.
    let mut merged_shapes: Vec<Vec<String>> = Vec::new();
    // (method, path shape) → the merged operations that have that shape, in order.
    let mut by_shape: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    let mut queue: std::collections::VecDeque<(Operation, Turn, Vec<String>)> =
        defer_spanning(std::mem::take(&mut vm.operations)).into();
    while let Some((mut op, turn, mut shapes)) = queue.pop_front() {
        if turn != Turn::InOrder {
            // Its paths of other resources than its first path's owner go on on their own.
            if let Some(rest) = split_off_others(&mut op, &merged_shapes, &by_shape) {
                let rest_shapes = shapes_of(&rest);
                queue.push_front((rest, Turn::Piece, rest_shapes));
                shapes = shapes_of(&op);
            }
        }
        // The same operation: the same main path, or all paths of one are paths of the other
        // (one stray path shared by two pages does not merge them, nor chain merges). Both
        // need the new operation's main path, so only operations with that shape are looked at.
        let target = by_shape
            .get(&(op.method.clone(), shapes[0].clone()))
            .and_then(|candidates| {
                candidates.iter().copied().find(|&i| {
                    let theirs = &merged_shapes[i];
                    theirs[0] == shapes[0]
                        // What is left of a deferred operation joins the owner of its first path.
                        || turn != Turn::InOrder
                        || (shapes.iter().all(|s| theirs.contains(s))
                            && (merged[i].name == op.name
                                || theirs
                                    .iter()
                                    .all(|t| last_literal(t) == last_literal(&shapes[0]))))
                })
            });
        let index = match target {
            Some(i) => {
                let m = &mut merged[i];
                diags.push(
                    &op.sources[0],
                    Kind::DuplicateOperation,
                    format!(
                        "`{} {}` is also documented at {}; merged",
                        op.method, op.paths[0].raw, m.sources[0]
                    ),
                );
                let span = op.sources[0].clone();
                // A deferred operation whose first path is not its owner's first path documents
                // the owner by way of its page's example, as a piece does.
                let by_the_way = turn == Turn::Piece
                    || (turn == Turn::Deferred && merged_shapes[i][0] != shapes[0]);
                if by_the_way {
                    m.sources.extend(op.sources);
                } else if let Some(conflict) = absorb(m, op) {
                    diags.push(&span, Kind::ConflictingResponses, conflict);
                }
                merged_shapes[i] = m.paths.iter().map(|p| p.shape()).collect();
                i
            }
            None => {
                merged.push(op);
                merged_shapes.push(shapes);
                merged.len() - 1
            }
        };
        let method = &merged[index].method;
        for shape in &merged_shapes[index] {
            let list = by_shape.entry((method.clone(), shape.clone())).or_default();
            if !list.contains(&index) {
                list.push(index);
                list.sort_unstable();
            }
        }
    }
    vm.operations = merged;
    // Request-body types of parameter tables that lost to a better-documented body.
    let used: std::collections::BTreeSet<String> = vm
        .operations
        .iter()
        .filter_map(|op| match &op.body {
            Some(BodyModel::Parameters { type_name }) => Some(type_name.clone()),
            _ => None,
        })
        .collect();
    vm.types
        .retain(|name, ty| !ty.request_body || used.contains(name));
}

/// The resource a path shape addresses, for telling apart the resources of one operation: its
/// last literal segment but OData's own (`messages` of `/me/messages/{}` and of
/// `/me/messages/{}/$value`), `users` for `/me`.
fn resource_of(shape: &str) -> &str {
    let literal = shape
        .rsplit('/')
        .find(|s| !s.is_empty() && !s.starts_with('{') && !s.starts_with('$'))
        .unwrap_or("");
    match literal {
        "me" if shape.trim_matches('/') == "me" => "users",
        literal => literal,
    }
}

/// When an operation comes to the merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Turn {
    /// In page order.
    InOrder,
    /// After all others ([`defer_spanning`]): its paths are split by resource.
    Deferred,
    /// Split off a deferred operation: it documents other resources' operations by way of its
    /// page's example, so it adds its page to theirs, not its body or response.
    Piece,
}

/// The shapes of an operation's paths, in order.
fn shapes_of(op: &Operation) -> Vec<String> {
    op.paths.iter().map(PathTemplate::shape).collect()
}

/// The operations in merge order with their turn and path shapes: an operation of one page whose paths address
/// several resources (the extended-property pages: `GET /me/messages/{id}?$expand=...`,
/// `/me/events/{id}?$expand=...`, `/me/contacts/{id}?...`) and whose first path is a
/// path of another operation goes after all others, so that each of its paths can join its own
/// resource's operation ([`split_off_others`]) whatever the order of the pages. The others keep
/// their order.
fn defer_spanning(ops: Vec<Operation>) -> Vec<(Operation, Turn, Vec<String>)> {
    let shapes: Vec<Vec<String>> = ops.iter().map(shapes_of).collect();
    let spans: Vec<bool> = shapes.iter().map(|s| spans_resources(s)).collect();
    // (method, shape) of path `j` of operation `i`.
    let key = |i: usize, j: usize| (ops[i].method.as_str(), shapes[i][j].as_str());
    let has_paths = |i: &usize| !shapes[*i].is_empty();
    // The first paths of the operations that span resources, then those of them that another
    // operation has.
    let firsts: BTreeSet<(&str, &str)> = (0..ops.len())
        .filter(|&i| spans[i])
        .filter(has_paths)
        .map(|i| key(i, 0))
        .collect();
    let owned: BTreeSet<(&str, &str)> = (0..ops.len())
        .filter(|&i| !spans[i] && !firsts.is_empty())
        .flat_map(|i| (0..shapes[i].len()).map(move |j| key(i, j)))
        .filter(|k| firsts.contains(k))
        .collect();
    let late: Vec<bool> = (0..ops.len())
        .map(|i| spans[i] && has_paths(&i) && owned.contains(&key(i, 0)))
        .collect();
    let (late, kept): (Vec<_>, Vec<_>) = ops
        .into_iter()
        .zip(shapes)
        .zip(late)
        .partition(|(_, late)| *late);
    kept.into_iter()
        .map(|((op, shapes), _)| (op, Turn::InOrder, shapes))
        .chain(
            late.into_iter()
                .map(|((op, shapes), _)| (op, Turn::Deferred, shapes)),
        )
        .collect()
}

/// Whether the paths of an operation (their shapes) address more than one resource
/// ([`resource_of`]).
fn spans_resources(shapes: &[String]) -> bool {
    let Some((first, rest)) = shapes.split_first() else {
        return false;
    };
    let resource = resource_of(first);
    rest.iter().any(|s| resource_of(s) != resource)
}

/// Of a deferred operation ([`defer_spanning`]), keeps the paths that go with its first path and
/// returns the others as an operation of their own (without the examples, which stay with the
/// first path's); `None` when nothing is left over. With its first path merged so far into
/// another operation, the paths that go with it are that operation's and those of the same
/// resource that no other operation has; without, the paths that no operation has (the others
/// join theirs in turn).
fn split_off_others(
    op: &mut Operation,
    merged_shapes: &[Vec<String>],
    by_shape: &BTreeMap<(String, String), Vec<usize>>,
) -> Option<Operation> {
    let first = op.paths.first()?.shape();
    let method = op.method.clone();
    let owner = by_shape
        .get(&(method.clone(), first.clone()))
        .map(|owners| &merged_shapes[owners[0]]);
    let keep = |shape: String| match owner {
        Some(theirs) => {
            theirs.contains(&shape)
                || (resource_of(&shape) == resource_of(&first)
                    && !by_shape.contains_key(&(method.clone(), shape)))
        }
        None => !by_shape.contains_key(&(method.clone(), shape)),
    };
    let (own, others): (Vec<PathTemplate>, Vec<PathTemplate>) = std::mem::take(&mut op.paths)
        .into_iter()
        .partition(|p| keep(p.shape()));
    op.paths = own;
    if others.is_empty() {
        return None;
    }
    // The examples are not copied: they stay with the first path's.
    let examples = std::mem::take(&mut op.examples);
    let mut rest = op.clone();
    op.examples = examples;
    rest.paths = others;
    Some(rest)
}

/// How well a body is documented: a named type's JSON representation (or raw content, which
/// the page says in so many words) beats a parameter table, which beats untyped JSON and no body.
fn body_rank(body: &Option<BodyModel>) -> u8 {
    match body {
        Some(BodyModel::Type {
            ty: TypeRef::Named(_),
        }) => 3,
        Some(BodyModel::Type {
            ty: TypeRef::Collection(_) | TypeRef::Prim(_),
        }) => 3,
        Some(BodyModel::Content { .. }) => 3,
        Some(BodyModel::Parameters { .. }) => 2,
        Some(BodyModel::Type { ty: TypeRef::Json }) => 1,
        None => 0,
    }
}

/// Whether one of two pages of an operation documents `204 No Content` and the other a body of a
/// named type, and which says what (the message of a diagnostic).
fn response_conflict(a: &Operation, b: &Operation) -> Option<String> {
    let no_content = |op: &Operation| op.response.ty.is_none() && op.response.status == 204;
    let named = |op: &Operation| match (&op.response.ty, op.response.collection) {
        (Some(TypeRef::Named(n)), false) => Some(n.clone()),
        _ => None,
    };
    let (empty, typed, ty) = match (named(a), named(b)) {
        (Some(ty), None) if no_content(b) => (b, a, ty),
        (None, Some(ty)) if no_content(a) => (a, b, ty),
        _ => return None,
    };
    Some(format!(
        "`{} {}`: {} documents `204 No Content`, {} a `{ty}` body; the body is optional (`Option`)",
        a.method, a.paths[0].raw, empty.sources[0], typed.sources[0]
    ))
}

/// How much a page's documentation of an operation is its main one: linking the types to their
/// own pages, then saying nothing, then linking partial views of them.
fn main_rank(op: &Operation) -> u8 {
    match op.links_own_type_pages {
        Some(true) => 2,
        None => 1,
        Some(false) => 0,
    }
}

/// The last segment of a path shape that is not a parameter: what the path addresses
/// (`messages` of `/me/messages/{}`).
fn last_literal(shape: &str) -> &str {
    shape
        .rsplit('/')
        .find(|s| !s.is_empty() && !s.starts_with('{'))
        .unwrap_or("")
}

/// Merges a later page's documentation of an operation into the merged one; returns the
/// response conflict of the two pages, if any ([`response_conflict`]).
fn absorb(into: &mut Operation, from: Operation) -> Option<String> {
    let conflict = response_conflict(into, &from);
    // What each page is about, to tell an operation on a base type (`derived_variants`).
    if into.variants.is_empty() {
        into.variants.extend(into.subject.clone());
    }
    if let Some(t) = &from.subject {
        if !into.variants.contains(t) {
            into.variants.push(t.clone());
        }
    }
    let optional = conflict.is_some() || from.response.or_no_content;
    let main = main_rank(&from) > main_rank(into);
    let lesser = main_rank(&from) < main_rank(into);
    // A path both pages write keeps the main page's spelling (`/users/{id | userPrincipalName}`,
    // not Intune's `/users/{usersId}`): its parameter names are the ones its page describes.
    for p in from.paths {
        let shape = p.shape();
        match into.paths.iter_mut().find(|q| q.shape() == shape) {
            Some(q) if main => *q = p,
            Some(_) => {}
            None => into.paths.push(p),
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
    if body_rank(&from.body) > body_rank(&into.body) {
        into.body = from.body;
        into.body_fields = from.body_fields;
        into.body_resources = from.body_resources;
    }
    // The typed response wins; the other page's monitor and representation fill gaps.
    let (mut kept, other) = if into.response.ty.is_none() && from.response.ty.is_some() {
        (from.response, std::mem::take(&mut into.response))
    } else {
        (std::mem::take(&mut into.response), from.response)
    };
    kept.long_running |= other.long_running;
    kept.monitor = kept.monitor.or(other.monitor);
    kept.representation = kept.representation.or(other.representation);
    into.response = kept;
    into.response.or_no_content |= optional;
    // The page that links the operation's types to their own pages documents it best: its
    // description, permissions and notes win. The name and the order of paths stay the first
    // page's.
    if main {
        into.links_own_type_pages = from.links_own_type_pages;
    }
    let no_permissions = into.permissions.iter().all(|p| p.least.is_empty());
    if (main || no_permissions) && from.permissions.iter().any(|p| !p.least.is_empty()) {
        into.permissions = from.permissions;
    }
    if into.clouds.is_none() {
        into.clouds = from.clouds;
    }
    if into.description.is_none() || (main && from.description.is_some()) {
        into.description = from.description;
    }
    // Notes follow the description: a partial view's callouts (Intune's licence note on its
    // copy of `POST /users`) are about that view, not about the operation its own page documents.
    if main {
        into.notes.clear();
    }
    if !lesser {
        for note in from.notes {
            if !into.notes.contains(&note) {
                into.notes.push(note);
            }
        }
    }
    into.examples.extend(from.examples);
    into.sources.extend(from.sources);
    conflict
}

/// Groups whose names differ only in case (`oAuth2Permissiongrants` on one page,
/// `oauth2PermissionGrants` on five) are one resource, as Graph reads path segments
/// case-insensitively: each operation takes the spelling most operations of its namespace give
/// (on a tie, the one with more capitals, which keeps the word boundaries, then the first).
pub fn canonical_groups(vm: &mut VersionModel, diags: &mut Diagnostics) {
    // (namespace, group in lower case) → spelling → operations.
    let mut spellings: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
    for op in &vm.operations {
        let key = (op.namespace.clone(), op.group.to_ascii_lowercase());
        *spellings
            .entry(key)
            .or_default()
            .entry(op.group.clone())
            .or_default() += 1;
    }
    for op in &mut vm.operations {
        let options = &spellings[&(op.namespace.clone(), op.group.to_ascii_lowercase())];
        if options.len() < 2 {
            continue;
        }
        let capitals = |s: &str| s.bytes().filter(u8::is_ascii_uppercase).count();
        let Some((best, _)) = options
            .iter()
            .max_by_key(|&(s, &n)| (n, capitals(s), std::cmp::Reverse(s.as_str())))
        else {
            continue;
        };
        if *best != op.group {
            diags.push(
                &op.sources[0],
                Kind::SegmentCase,
                format!(
                    "`{} {}` spells `{}` where the other operations on it have `{best}`; grouped with them",
                    op.method, op.paths[0].raw, op.group
                ),
            );
            op.group = best.clone();
        }
    }
}

/// Two operations of one group with one name: the one on the shortest path keeps it (`delta` is
/// `GET /users/delta`, not `/education/users/delta`), on paths as short the one on more paths,
/// the others are named after the resource they hang off (`deltaOfEducation`), the nearest one
/// whose name is free, else numbered.
pub fn unique_names(vm: &mut VersionModel, diags: &mut Diagnostics) {
    // The depth is counted once per operation, not per comparison.
    let depth = |o: &super::Operation| o.paths.first().map_or(0, |p| p.static_segments().len());
    vm.operations.sort_by_cached_key(|o| {
        (
            o.namespace.clone(),
            o.group.clone(),
            o.name.clone(),
            depth(o),
            // On paths as short, the operation documented on more of them is the general one
            // (a user's `listEvents` on `/me/events` and seven more, not a group's).
            std::cmp::Reverse(o.paths.len()),
            o.sources[0].clone(),
        )
    });
    // Of each name, the operation that keeps it and how many had it.
    let mut seen: BTreeMap<(String, String, String), (usize, usize)> = BTreeMap::new();
    let mut taken: std::collections::BTreeSet<String> = vm
        .operations
        .iter()
        .map(|o| o.name.to_ascii_lowercase())
        .collect();
    for i in 0..vm.operations.len() {
        let op = &vm.operations[i];
        let key = (
            op.namespace.clone(),
            op.group.clone(),
            op.name.to_ascii_lowercase(),
        );
        let (keeper, n) = seen.entry(key).or_insert((i, 0));
        *n += 1;
        if *n == 1 {
            continue;
        }
        // Named after the resource it hangs off (`listMembersOfDirectoryRoles`), the nearest
        // whose name is free, else numbered. A resource the operation that keeps the name also
        // hangs off does not tell them apart (`/me/planner/plans` beside `/planner/plans` is
        // `listPlansOfMe`, not `...OfPlanner`), and is tried last. A name that ends in `Of`
        // already reads on (`listMemberOf` of contacts is `listMemberOfContacts`).
        let kept = parents(&vm.operations[*keeper]);
        let ours = parents(op);
        let joint = if op.name.ends_with("Of") { "" } else { "Of" };
        let shared = |p: &String| kept.iter().any(|k| k.eq_ignore_ascii_case(p));
        let (telling, shared): (Vec<&String>, Vec<&String>) = ours.iter().partition(|p| !shared(p));
        let of = telling
            .into_iter()
            .chain(shared)
            .map(|p| format!("{}{joint}{}", op.name, upper_first(p)))
            .find(|of| taken.insert(of.to_ascii_lowercase()));
        let new = of.unwrap_or_else(|| format!("{}{}", op.name, n));
        diags.push(
            &op.sources[0],
            Kind::NameCollision,
            format!(
                "`{}.{}` is already taken by another operation; named `{new}`",
                op.group, op.name
            ),
        );
        vm.operations[i].name = new;
    }
}

/// The description of the request-body type of operation `op`.
pub fn body_description(op: &str, inferred: bool) -> String {
    if inferred {
        format!(
            "The request body of `{op}`, inferred from its example: the docs do not describe it."
        )
    } else {
        format!("The request body of `{op}`.")
    }
}

/// Names each request-body type after the operation that sends it, once operations have their
/// final names ([`unique_names`]): [`names::body_type`] (`cloneATeamRequestBody`) when no other
/// operation of the namespace has the same name and no other type has it, else
/// [`names::body_type_qualified`] with the group (`messagesCreateReplyRequestBody`), numbered
/// in the unlikely case that is taken too. The inferred-type diagnostics, which named the types
/// before (`SchemaCreateSchemaRequestBody`), are told the final names
/// (`CreateSchemaRequestBody`). Returns the renames (old → new qualified name).
///
/// [`names::body_type`]: crate::names::body_type
/// [`names::body_type_qualified`]: crate::names::body_type_qualified
pub fn name_request_bodies(
    vm: &mut VersionModel,
    diags: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let body_of = |op: &Operation| match &op.body {
        Some(BodyModel::Parameters { type_name }) => Some(type_name.clone()),
        _ => None,
    };
    // Preferred names, counted per namespace (case-insensitively, as file names are).
    let key = |ns: &str, short: &str| format!("{ns}.{}", short.to_ascii_lowercase());
    let mut wanted: BTreeMap<String, usize> = BTreeMap::new();
    for op in &vm.operations {
        if body_of(op).is_some() {
            let short = crate::names::body_type(&op.name);
            *wanted.entry(key(&op.namespace, &short)).or_default() += 1;
        }
    }
    // Names that stay: every type that is not a request body.
    let mut taken: std::collections::BTreeSet<String> = vm
        .types
        .values()
        .filter(|t| !t.request_body)
        .map(|t| key(&t.namespace, &t.short))
        .collect();
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    // (`old short`, `new short`) of the renamed types, as their diagnostics quote them.
    let mut quoted: Vec<(String, String)> = Vec::new();
    let mut bodies: BTreeMap<String, TypeDef> = BTreeMap::new();
    for op in &mut vm.operations {
        let Some(old) = body_of(op) else { continue };
        if let Some(new) = renamed.get(&old) {
            // A body shared by two operations keeps the name of the first.
            op.body = Some(BodyModel::Parameters {
                type_name: new.clone(),
            });
            continue;
        }
        let Some(mut ty) = vm.types.remove(&old) else {
            continue;
        };
        let preferred = crate::names::body_type(&op.name);
        let qualified = crate::names::body_type_qualified(&op.group, &op.name);
        let ns = ty.namespace.clone();
        let short = if wanted.get(&key(&ns, &preferred)) == Some(&1)
            && !taken.contains(&key(&ns, &preferred))
        {
            preferred
        } else {
            let free = (1..)
                .map(|n| match n {
                    1 => qualified.clone(),
                    n => format!("{qualified}{n}"),
                })
                .find(|s| !taken.contains(&key(&ns, s)))
                .unwrap_or_else(|| qualified.clone());
            if free != qualified {
                diags.push(
                    &ty.span,
                    Kind::NameCollision,
                    format!("request-body type name `{qualified}` is taken; named `{free}`"),
                );
            }
            free
        };
        taken.insert(key(&ns, &short));
        let name = format!("{ns}.{short}");
        ty.description = Some(body_description(&op.name, ty.inferred));
        let old_short = std::mem::replace(&mut ty.short, crate::names::upper_camel(&short));
        if old_short != ty.short {
            quoted.push((format!("`{old_short}`"), format!("`{}`", ty.short)));
        }
        ty.name = name.clone();
        op.body = Some(BodyModel::Parameters {
            type_name: name.clone(),
        });
        renamed.insert(old, name.clone());
        bodies.insert(name, ty);
    }
    vm.types.extend(bodies);
    // The diagnostics that quote an old name quote the new one: the first quoted piece of a
    // message that is an old name is replaced (one lookup per piece, not a search per name).
    let quoted: std::collections::HashMap<String, String> = quoted.into_iter().collect();
    for d in diags
        .items
        .iter_mut()
        .filter(|d| d.kind == Kind::InferredType)
    {
        let ticks: Vec<usize> = d.message.match_indices('`').map(|(i, _)| i).collect();
        let renamed_piece = ticks
            .windows(2)
            .find_map(|w| quoted.get_key_value(&d.message[w[0]..=w[1]]));
        if let Some((old, new)) = renamed_piece {
            d.message = d.message.replace(old.as_str(), new);
        }
    }
    renamed
}

/// The resources an operation's main path hangs off, nearest first: the static segments
/// before its group's (`/me/planner/plans`: `planner`, `me`).
fn parents(op: &super::Operation) -> Vec<String> {
    let Some(path) = op.paths.first() else {
        return Vec::new();
    };
    let segs: Vec<&str> = path
        .static_segments()
        .into_iter()
        .filter(|s| !s.starts_with('$'))
        .collect();
    let Some(at) = segs.iter().rposition(|s| s.eq_ignore_ascii_case(&op.group)) else {
        return Vec::new();
    };
    segs[..at]
        .iter()
        .rev()
        .filter(|s| s.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(|s| (*s).to_owned())
        .collect()
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}
