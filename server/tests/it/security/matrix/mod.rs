//! The role × action matrix: the roles, how a row says who may do what, and what it sends;
//! the rows themselves are in accounts_orgs.rs, consultations.rs, donations_map.rs.
use app::consultations::rules::{CommentStatus, Stance, Status};
use app::ssr::{now, sha256_hex, DbKind};
use futures_util::future::BoxFuture;
use std::sync::Arc;

/// Form fields from `key => value` pairs (values of any `Display` type).
macro_rules! form {
    ($($k:expr => $v:expr),* $(,)?) => { vec![$(($k.to_string(), $v.to_string())),*] };
}

/// One row of the matrix: `|c, role| { …; Call }` builds the request for one role.
macro_rules! row {
    ($name:expr, $path:expr, $allowed:expr, $check:ident, |$c:ident, $r:ident| $body:expr) => {
        $crate::security::matrix::Row {
            name: $name,
            path: $path,
            allowed: $allowed,
            check: $crate::security::matrix::Check::$check,
            build: |$c: std::sync::Arc<$crate::security::matrix::Ctx>,
                    $r: $crate::security::matrix::Role|
             -> futures_util::future::BoxFuture<'static, $crate::security::matrix::Call> {
                let _ = (&$c, $r);
                Box::pin(async move { $body })
            },
        }
    };
}

pub mod accounts_orgs;
pub mod consultations;
pub mod donations_map;
mod fixtures;
mod run;
pub use fixtures::{setup, Ctx};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Anonymous,
    /// Signed in, e-mail not verified.
    Unverified,
    /// Verified, no role.
    Resident,
    /// OrgMember of the demo organisation (the one that owns the targets).
    OrgMember,
    /// OrgAdmin of another organisation.
    OrgAdminOther,
    /// Platform moderator.
    Moderator,
    /// Official of another authority than the one that owns the targets.
    OfficialOther,
    /// Platform admin.
    Admin,
    /// The rightful owner on the organisation side: OrgAdmin of the target organisation.
    OrgAdmin,
    /// The rightful owner on the authority side: Official of the owning authority.
    Official,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Anonymous,
        Role::Unverified,
        Role::Resident,
        Role::OrgMember,
        Role::OrgAdminOther,
        Role::Moderator,
        Role::OfficialOther,
        Role::Admin,
        Role::OrgAdmin,
        Role::Official,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Anonymous => "anonymous",
            Role::Unverified => "unverified",
            Role::Resident => "resident",
            Role::OrgMember => "org_member",
            Role::OrgAdminOther => "org_admin_other",
            Role::Moderator => "moderator",
            Role::OfficialOther => "official_other",
            Role::Admin => "admin",
            Role::OrgAdmin => "org_admin(owner)",
            Role::Official => "official(owner)",
        }
    }
}

use Role::*;
pub const NOBODY: &[Role] = &[];
pub const SIGNED_IN: &[Role] =
    &[Unverified, Resident, OrgMember, OrgAdminOther, Moderator, OfficialOther, Admin, OrgAdmin, Official];
pub const VERIFIED: &[Role] =
    &[Resident, OrgMember, OrgAdminOther, Moderator, OfficialOther, Admin, OrgAdmin, Official];
pub const ADMIN: &[Role] = &[Admin];
/// Who manages the demo organisation: its admins and platform admins.
pub const ORG_MANAGERS: &[Role] = &[OrgAdmin, Admin];
/// Who speaks for the demo organisation: its members and admins.
pub const ORG_PEOPLE: &[Role] = &[OrgMember, OrgAdmin];
/// The organiser of a consultation the authority owns: its official, or a platform admin.
pub const ORGANISERS: &[Role] = &[Official, Admin];
/// Who moderates that consultation's comments: moderators, admins, its organiser.
pub const MODERATORS: &[Role] = &[Moderator, Admin, Official];
/// The map's staff for a place the demo organisation owns: its people, moderators, admins.
pub const MAP_STAFF: &[Role] = &[OrgMember, OrgAdmin, Moderator, Admin];

/// What "allowed" and "refused" mean for a row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Check {
    /// Allowed: a success (2xx, or the redirect the action answers with). Refused: 401/403/404/422
    /// with a refusal (or a redirect to sign in), and the probe unchanged.
    Status,
    /// The action is what the probe shows: allowed roles change it; for everyone else it stays
    /// (a request may still succeed, e.g. a resident's "fixed" is only a proposal).
    Changes,
    /// A read everyone may call: the private marker is in the answer for allowed roles only.
    Reveals,
}

pub struct Row {
    pub name: &'static str,
    /// The server function's path, or the handler's route as written in server/src/lib.rs.
    pub path: &'static str,
    pub allowed: &'static [Role],
    pub check: Check,
    pub build: fn(Arc<Ctx>, Role) -> BoxFuture<'static, Call>,
}

pub enum Part {
    Text(&'static str, String),
    File(&'static str, &'static str, Vec<u8>, &'static str),
}

pub enum Req {
    /// A form post (server functions and plain handlers), same origin.
    Post(String, Vec<(String, String)>),
    Get(String),
    /// A multipart post; `true` asks for JSON answers (the map's upload island).
    Multipart(String, Vec<Part>, bool),
}

pub struct Call {
    pub req: Req,
    /// SQL whose answer a refused request must leave as it was.
    pub probe: Option<String>,
    /// Text only allowed roles may read (for `Check::Reveals`).
    pub marker: Option<String>,
    /// Another session than the role's own (an account the action consumes).
    pub sid: Option<String>,
}

impl Call {
    pub fn post(path: impl Into<String>, form: Vec<(String, String)>) -> Call {
        Call { req: Req::Post(path.into(), form), probe: None, marker: None, sid: None }
    }
    pub fn get(path: impl Into<String>) -> Call {
        Call { req: Req::Get(path.into()), probe: None, marker: None, sid: None }
    }
    pub fn multipart(path: impl Into<String>, parts: Vec<Part>, json: bool) -> Call {
        Call { req: Req::Multipart(path.into(), parts, json), probe: None, marker: None, sid: None }
    }
    pub fn probe(mut self, sql: impl Into<String>) -> Call {
        self.probe = Some(sql.into());
        self
    }
    pub fn marker(mut self, m: impl Into<String>) -> Call {
        self.marker = Some(m.into());
        self
    }
    pub fn session(mut self, sid: Option<String>) -> Call {
        self.sid = sid;
        self
    }
}

pub struct Answer {
    pub status: u16,
    pub location: String,
    pub body: String,
}

pub const PASSWORD: &str = "parola-matrice-7";
/// A real 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f, 0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba,
    0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];
pub const PDF: &[u8] = b"%PDF-1.4\n% a position paper written for the security matrix\n%%EOF\n";
pub const DRAFT: &str = "HOTARARE privind matricea de securitate\n\nArt. 1. - Obiect\n(1) Se verifica cine poate face ce.\n(2) Fiecare rol este incercat.\n\nArt. 2\nFinantarea se asigura din bugetul local.\n";
