//! The storage category: S3 buckets for user files ([`bucket`]) and DynamoDB tables
//! ([`table`]), declared with two attributes but kept under one Amplify category.

pub mod bucket;
pub mod table;
