//! `/me` paths that a page shows only in its examples.
//!
//! Microsoft Graph's `/me` is an alias of `/users/{id}` for the signed-in user. Many pages
//! document only `/users/{id | userPrincipalName}/...` in their `HTTP request` section and call
//! `/me/...` in their examples (`user-update.md`: `PATCH /users/{id | userPrincipalName}`, then
//! `PATCH https://graph.microsoft.com/v1.0/me`). Such an example shows the `/me` form of a
//! documented path: the operation gets that path too, so the SDK can send it and the example
//! is a conformance case, with a `me-alias` diagnostic. Only the `/me` form of a documented
//! `/users/{..}` path is added, only when an example calls it, and never a path another operation
//! with the same method already has (the example then belongs to that one).

use std::collections::BTreeSet;

use super::{Operation, PathTemplate, Piece, VersionModel};
use crate::diag::{Diagnostics, Kind};
use crate::parse::http::Start;

/// Adds to each operation of `vm` the `/me` forms of its `/users/{..}` paths that its examples
/// call and its documented paths do not match.
pub fn add_from_examples(vm: &mut VersionModel, diags: &mut Diagnostics) {
    let called: Vec<(usize, Vec<Found>)> = vm
        .operations
        .iter()
        .enumerate()
        .filter(|(_, op)| op.paths.iter().any(|p| users_rest(p).is_some()))
        .map(|(i, op)| (i, me_paths_called(op)))
        .filter(|(_, found)| !found.is_empty())
        .collect();
    if called.is_empty() {
        return;
    }
    // The `/me` paths the operations have (only those can be taken by a `/me` form).
    let mut taken: BTreeSet<(String, String)> = vm
        .operations
        .iter()
        .flat_map(|o| {
            o.paths
                .iter()
                .filter(|p| is_me(&p.raw))
                .map(|p| (o.method.clone(), p.shape()))
        })
        .collect();
    for (i, found) in called {
        let op = &mut vm.operations[i];
        for found in found {
            if taken.insert((op.method.clone(), found.path.shape())) {
                diags.push(
                    &found.path.span,
                    Kind::MeAlias,
                    format!(
                        "the example calls `{}`, the `/me` form of the documented `{}`; added to the operation's paths",
                        found.path.raw, found.users_raw
                    ),
                );
                op.paths.push(found.path);
            }
        }
    }
}

/// A `/me` path an example calls (spanned at the example), and the documented path it is the
/// form of.
struct Found {
    path: PathTemplate,
    users_raw: String,
}

/// The `/me` forms of `op`'s documented paths that its examples call where no documented path
/// matches, in the order of the examples.
fn me_paths_called(op: &Operation) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for e in &op.examples {
        let Some(req) = &e.request else { continue };
        let Start::Request { method, url } = &req.start else {
            continue;
        };
        if !method.eq_ignore_ascii_case(&op.method) {
            continue;
        }
        let (_, path, _) = crate::conformance::split_url(url);
        let path = path.trim_end_matches('/');
        if !is_me(path) || crate::conformance::resolve_path(&op.paths, path).is_some() {
            continue;
        }
        // The `/me` forms of the documented paths, beside the paths they are forms of.
        let (mut candidates, users): (Vec<PathTemplate>, Vec<&str>) = op
            .paths
            .iter()
            .filter_map(|p| Some((me_form(p)?, p.raw.as_str())))
            .unzip();
        let Some((i, _)) = crate::conformance::resolve_path(&candidates, path) else {
            continue;
        };
        let users_raw = users[i].to_owned();
        let mut me_path = candidates.swap_remove(i);
        let shape = me_path.shape();
        if out.iter().any(|f| f.path.shape() == shape) {
            continue;
        }
        me_path.span = req.span.clone();
        out.push(Found {
            path: me_path,
            users_raw,
        });
    }
    out
}

/// Whether a path is `/me` or under it.
fn is_me(path: &str) -> bool {
    path.get(..3)
        .is_some_and(|head| head.eq_ignore_ascii_case("/me"))
        && matches!(path.as_bytes().get(3), None | Some(b'/'))
}

/// What follows `/users/{..}` in a documented path, as written (`/assignLicense` of
/// `/users/{id | userPrincipalName}/assignLicense`); `None` for other paths.
fn users_rest(p: &PathTemplate) -> Option<&str> {
    let [Piece::Lit { text }, Piece::Param {
        item_path: false, ..
    }, ..] = p.pieces.as_slice()
    else {
        return None;
    };
    if !text.eq_ignore_ascii_case("/users/") {
        return None;
    }
    let close = p.raw.find('}')?;
    Some(&p.raw[close + 1..])
}

/// The `/me` form of a `/users/{..}` path: `/users/{id}/assignLicense` → `/me/assignLicense`.
fn me_form(p: &PathTemplate) -> Option<PathTemplate> {
    let raw_rest = users_rest(p)?;
    let mut pieces = Vec::with_capacity(p.pieces.len() - 1);
    match p.pieces.get(2) {
        None => pieces.push(Piece::Lit {
            text: "/me".to_owned(),
        }),
        Some(Piece::Lit { text }) if text.starts_with('/') => {
            pieces.push(Piece::Lit {
                text: format!("/me{text}"),
            });
            pieces.extend(p.pieces[3..].iter().cloned());
        }
        // A parameter or other text right after the user's (`/users/{id}({x})`): no `/me` form.
        Some(_) => return None,
    }
    Some(PathTemplate {
        raw: format!("/me{raw_rest}"),
        pieces,
        span: p.span.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(raw: &str, pieces: Vec<Piece>) -> PathTemplate {
        PathTemplate {
            raw: raw.to_owned(),
            pieces,
            span: crate::span::Span::new(&std::sync::Arc::from("t.md"), 1),
        }
    }

    fn lit(t: &str) -> Piece {
        Piece::Lit { text: t.to_owned() }
    }

    fn param(n: &str) -> Piece {
        Piece::Param {
            name: n.to_owned(),
            item_path: false,
            ty: Default::default(),
        }
    }

    #[test]
    fn the_me_form_of_a_users_path() {
        let p = template(
            "/users/{id | userPrincipalName}/messages/{id}/replyAll",
            vec![
                lit("/users/"),
                param("id"),
                lit("/messages/"),
                param("id"),
                lit("/replyAll"),
            ],
        );
        let me = me_form(&p).unwrap();
        assert_eq!(me.raw, "/me/messages/{id}/replyAll");
        assert_eq!(me.shape(), "/me/messages/{}/replyall");
        let user = template("/users/{id}", vec![lit("/users/"), param("id")]);
        assert_eq!(me_form(&user).unwrap().raw, "/me");
        assert_eq!(me_form(&user).unwrap().shape(), "/me");
        // Not a user's path.
        let group = template(
            "/groups/{id}/owners",
            vec![lit("/groups/"), param("id"), lit("/owners")],
        );
        assert!(me_form(&group).is_none());
    }
}
