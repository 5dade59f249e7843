//! The integration suite: runs the built `fairscan` binary as a user would.

mod commands;
mod common;
mod corpus;
mod crash;
mod hostile;
mod html;
mod http;
mod model;
mod rules;
mod store;
mod tabular;
mod web;
mod webdriver;
mod word_outputs;
