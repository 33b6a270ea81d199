//! Every integration test in one binary (one link instead of one per file): a module per feature,
//! the security suite, and the helpers they share in `common`.
#![allow(dead_code)]

mod accounts;
mod cluster;
mod cluster_bench;
mod cluster_live;
mod common;
mod consultations;
mod data_layer;
mod donations;
mod jobs;
mod legal;
mod map;
mod orgs;
mod page_cache;
mod personal_data;
mod schema;
mod security;
mod site;
mod startup;
