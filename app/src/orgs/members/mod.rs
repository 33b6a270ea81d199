//! Organisation membership: admins invite by e-mail, people ask to join, admins decide.
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

use super::OrgsError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Other features (donations) and the organisation page ask who manages an organisation.
pub use rules::can_manage;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub role_id: i64,
    pub name: String,
    pub admin: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JoinRequest {
    pub id: i64,
    pub name: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub can_manage: bool,
    pub is_member: bool,
    pub signed_in: bool,
    pub requested: bool,
    pub members: Vec<Member>,
    pub requests: Vec<JoinRequest>,
}

#[server]
pub async fn get_membership(org_id: i64) -> Result<Membership, OrgsError> {
    service::membership(org_id).await
}

#[server]
pub async fn invite_member(org_id: i64, email: String, role: String) -> Result<(), OrgsError> {
    service::invite(org_id, &email, &role).await
}

#[server]
pub async fn accept_invite(token: String) -> Result<(), OrgsError> {
    service::accept_invite(&token).await
}

#[server]
pub async fn request_join(org_id: i64, message: String) -> Result<(), OrgsError> {
    service::request_join(org_id, &message).await
}

#[server]
pub async fn decide_join(org_id: i64, request_id: i64, approve: String) -> Result<(), OrgsError> {
    service::decide_join(org_id, request_id, approve == "yes").await
}

#[server]
pub async fn remove_member(org_id: i64, role_id: i64) -> Result<(), OrgsError> {
    service::remove_member(org_id, role_id).await
}
