//! The go-live security suite (issue #13): each test closes one threat, on SQLite and PostgreSQL;
//! `matrix` is the role × action matrix over every endpoint that writes or reads private data.
mod accounts;
pub mod common;
mod limits;
mod links;
pub mod matrix;
mod workflows;
