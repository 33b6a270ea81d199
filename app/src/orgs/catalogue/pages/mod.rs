//! The catalogue's pages, and its sections of the organisation page.
mod authorities;
mod edit;
mod list;
mod new;
mod profile;

pub use authorities::{AuthorityDetail, AuthorityList};
pub use edit::OrgEdit;
pub use list::OrgList;
pub use new::OrgNew;
pub use profile::{OrgAdminBox, OrgProfileView};
