//! The built-in categories, one module each. A category is a type implementing
//! [`crate::category::Category`]; nothing outside its module knows its declaration.

pub mod analytics;
pub mod api;
pub mod auth;
pub mod custom;
pub mod function;
pub mod hosting;
pub mod interactions;
pub mod notifications;
pub mod rest;
pub mod storage;

use std::sync::Arc;

use crate::category::Kind;

/// The built-in categories, in the order their attributes are suggested.
pub(crate) fn builtin() -> Vec<Kind> {
    vec![
        Arc::new(auth::Auth),
        Arc::new(api::Api),
        Arc::new(rest::RestApi),
        Arc::new(storage::bucket::Bucket),
        Arc::new(storage::table::Table),
        Arc::new(function::Function),
        Arc::new(hosting::Hosting),
        Arc::new(custom::Custom),
        Arc::new(analytics::Analytics),
        Arc::new(interactions::Interactions),
        Arc::new(notifications::Notifications),
    ]
}
