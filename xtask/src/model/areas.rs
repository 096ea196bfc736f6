//! API areas: the cargo features of the generated crates. An operation's area comes from its
//! path (the resource family it addresses); a type belongs to every area whose operations reach
//! it through bodies, responses and properties, so each feature compiles on its own.

use std::collections::{BTreeMap, BTreeSet};

use super::{BodyModel, Operation, TypeKind, VersionModel};

/// Path segments that name a family of resources, grouped into areas. A segment not listed is an
/// area of its own (named after it), so a new family in the docs becomes a new feature.
pub const AREAS: &[(&str, &[&str])] = &[
    (
        "applications",
        &[
            "applications",
            "serviceprincipals",
            "applicationtemplates",
            "oauth2permissiongrants",
            "approleassignments",
            "permissiongrants",
            "approleassignedto",
        ],
    ),
    (
        "calendar",
        &[
            "events",
            "calendar",
            "calendars",
            "calendargroups",
            "calendarview",
            "findmeetingtimes",
            "getschedule",
            "places",
            "findrooms",
            "findroomlists",
        ],
    ),
    (
        "communications",
        &["communications", "onlinemeetings", "presence", "app"],
    ),
    (
        "contacts",
        &["contacts", "contactfolders", "people", "orgcontact"],
    ),
    (
        "directory",
        &[
            "directory",
            "directoryroles",
            "directoryroletemplates",
            "directoryobjects",
            "domains",
            "domaindnsrecords",
            "organization",
            "subscribedskus",
            "contracts",
            "devices",
            "schemaextensions",
            "admin",
            "administrativeunits",
            "invitations",
            "datapolicyoperations",
        ],
    ),
    ("education", &["education"]),
    (
        "files",
        &[
            "drive",
            "drives",
            "sites",
            "shares",
            "workbooks",
            "followedsites",
            "workbook",
        ],
    ),
    (
        "groups",
        &[
            "groups",
            "conversations",
            "threads",
            "acceptedsenders",
            "rejectedsenders",
            "grouplifecyclepolicies",
            "groupsettings",
            "groupsettingtemplates",
        ],
    ),
    (
        "identity",
        &[
            "identity",
            "identitygovernance",
            "identityprotection",
            "identityproviders",
            "policies",
            "auditlogs",
            "agreements",
            "agreementacceptances",
            "authentication",
            "riskyusers",
            "riskdetections",
            "trustframework",
        ],
    ),
    (
        "intune",
        &[
            "devicemanagement",
            "deviceappmanagement",
            "manageddevices",
            "officeconfiguration",
            "deviceenrollmentconfigurations",
            "managedappregistrations",
            "getmanagedapppolicies",
            "getmanagedappdiagnosticstatuses",
            "removealldevicesfrommanagement",
            "wipemanagedappregistrationsbydevicetag",
            "devicemanagementtroubleshootingevents",
            "manageddevicesbyuser",
        ],
    ),
    (
        "mail",
        &[
            "messages",
            "mailfolders",
            "inferenceclassification",
            "mailboxsettings",
            "outlook",
            "sendmail",
            "translateexchangeids",
        ],
    ),
    ("notes", &["onenote"]),
    ("planner", &["planner"]),
    ("print", &["print"]),
    ("reports", &["reports"]),
    ("search", &["search", "connections", "external"]),
    (
        "security",
        &["security", "informationprotection", "privacy", "compliance"],
    ),
    ("subscriptions", &["subscriptions"]),
    (
        "teams",
        &[
            "teams",
            "chats",
            "teamwork",
            "appcatalogs",
            "joinedteams",
            "teamstemplates",
        ],
    ),
    ("todo", &["todo"]),
    (
        "users",
        &[
            "users",
            "me",
            "activities",
            "insights",
            "photo",
            "photos",
            "manager",
            "directreports",
            "memberof",
            "transitivememberof",
            "settings",
            "licensedetails",
            "ownedobjects",
            "createdobjects",
            "registereddevices",
            "owneddevices",
            "assignlicense",
            "changepassword",
            "reprocesslicenseassignment",
            "getmembergroups",
            "getmemberobjects",
            "checkmembergroups",
            "checkmemberobjects",
            "delta",
            "exportpersonaldata",
            "revokesigninsessions",
        ],
    ),
];

/// The feature of the types no documented operation reaches (e.g. derived types whose base is
/// what the operations take and return).
pub const OTHER_TYPES: &str = "other-types";

/// Roots that address one user or group; the area comes from what follows them.
const NAVIGATION_ROOTS: &[(&str, &str)] =
    &[("me", "users"), ("users", "users"), ("groups", "groups")];

fn area_of_segment(segment: &str) -> Option<&'static str> {
    AREAS
        .iter()
        .find(|(_, segs)| segs.contains(&segment))
        .map(|(a, _)| *a)
}

/// A feature name for a segment that no area lists: lower-case letters, digits and `-`.
fn own_area(segment: &str) -> String {
    let s: String = segment
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if s.is_empty() {
        OTHER_TYPES.to_owned()
    } else {
        s
    }
}

/// The static path segments of an operation's first path, lower-cased.
fn static_segments(op: &Operation) -> Vec<String> {
    op.paths.first().map_or_else(Vec::new, |p| {
        p.static_segments()
            .into_iter()
            .map(str::to_ascii_lowercase)
            .collect()
    })
}

/// The area (cargo feature) of an operation.
pub fn operation_area(op: &Operation) -> String {
    let segs = static_segments(op);
    let Some(first) = segs.first() else {
        return "users".to_owned();
    };
    if let Some((_, root_area)) = NAVIGATION_ROOTS.iter().find(|(r, _)| r == first) {
        return match segs.get(1).and_then(|s| area_of_segment(s)) {
            Some(a) => a.to_owned(),
            None => (*root_area).to_owned(),
        };
    }
    area_of_segment(first).map_or_else(|| own_area(first), str::to_owned)
}

/// Areas of one version: per operation (by index) and per type.
#[derive(Debug, Default, Clone)]
pub struct Areas {
    pub operations: Vec<String>,
    pub types: BTreeMap<String, BTreeSet<String>>,
}

impl Areas {
    pub fn of(vm: &VersionModel) -> Areas {
        let mut areas = Areas::default();
        let kinds = Kinds::new(vm);
        for op in &vm.operations {
            let area = operation_area(op);
            let mut roots = Vec::new();
            match &op.body {
                Some(BodyModel::Type { ty }) => roots.push(ty),
                Some(BodyModel::Parameters { type_name }) => {
                    reach(vm, type_name, &area, &mut areas.types);
                }
                Some(BodyModel::Content { .. }) | None => {}
            }
            // A body of a base type is sent as one of its kinds (`upcast`): the kinds the pages
            // document and every other type derived from it are the operation's too
            // (`POST /teams/{id}/members` takes a `conversationMember`; to add a user it is an
            // `aadUserConversationMember`).
            for t in &op.variants {
                reach(vm, t, &area, &mut areas.types);
            }
            if let Some(BodyModel::Type { ty }) = &op.body {
                for kind in ty.named().map(|b| kinds.of(b)).unwrap_or_default() {
                    reach(vm, kind, &area, &mut areas.types);
                }
            }
            roots.extend(op.response.types());
            for t in roots {
                if let Some(name) = t.named() {
                    reach(vm, name, &area, &mut areas.types);
                }
            }
            areas.operations.push(area);
        }
        // Types no operation reaches, and what they reach in turn.
        let unreached: Vec<&String> = vm
            .types
            .keys()
            .filter(|n| !areas.types.contains_key(*n))
            .collect();
        for name in unreached {
            reach(vm, name, OTHER_TYPES, &mut areas.types);
        }
        areas
    }

    /// Every area, sorted.
    pub fn all(&self) -> BTreeSet<String> {
        self.operations
            .iter()
            .cloned()
            .chain(self.types.values().flatten().cloned())
            .collect()
    }
}

/// The types derived from each type, directly or not (`entity`'s, which are nearly all, are
/// left out).
struct Kinds<'a> {
    children: BTreeMap<&'a str, Vec<&'a str>>,
}

impl<'a> Kinds<'a> {
    fn new(vm: &'a VersionModel) -> Self {
        let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for t in vm.types.values() {
            if let Some(base) = t.base.as_deref().filter(|b| !b.ends_with(".entity")) {
                children.entry(base).or_default().push(&t.name);
            }
        }
        Kinds { children }
    }

    /// Every type derived from `base`, nearest first; a cycle of bases in the docs is cut.
    fn of(&self, base: &str) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        let mut at = 0;
        out.extend(self.children.get(base).into_iter().flatten());
        while at < out.len() {
            let next = self.children.get(out[at]).into_iter().flatten();
            for &k in next {
                if k != base && !out.contains(&k) {
                    out.push(k);
                }
            }
            at += 1;
        }
        out
    }
}

/// Adds `area` to a type and everything it reaches (properties, base types).
/// Names are copied only where a type gets an area it did not have.
fn reach<'a>(
    vm: &'a VersionModel,
    name: &'a str,
    area: &str,
    out: &mut BTreeMap<String, BTreeSet<String>>,
) {
    let mut stack = vec![name];
    while let Some(name) = stack.pop() {
        let Some(ty) = vm.types.get(name) else {
            continue;
        };
        let areas = match out.get_mut(name) {
            Some(areas) => areas,
            None => out.entry(name.to_owned()).or_default(),
        };
        if areas.contains(area) {
            continue;
        }
        areas.insert(area.to_owned());
        stack.extend(ty.base.as_deref());
        if let TypeKind::Struct { properties } = &ty.kind {
            stack.extend(properties.iter().filter_map(|p| p.ty.named()));
        }
    }
}
