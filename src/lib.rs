//! fairscan — fair-competition review (公平竞争审查) of policy documents.
//!
//! Data flows one way:
//! `extract` (bytes → text + blocks) → `document` (metadata, clauses, sentences)
//! → `segment` (jieba tokens) → rules → `review` (findings) → `report`.
//! `scan` orchestrates a batch; `cli` is the thin command-line front.

pub mod annotate;
pub mod automaton;
pub mod baseline;
pub mod classify;
pub mod cli;
pub mod clock;
pub mod document;
pub mod eval;
pub mod extract;
pub mod form;
pub mod index;
pub mod limits;
pub mod record;
pub mod report;
pub mod review;
pub mod rules;
pub mod scan;
pub mod segment;
pub mod store;
pub mod web;
