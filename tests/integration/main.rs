//! The one integration test binary (one binary keeps link time down): runs the
//! `piimap` executable and the library on fixtures and on trees built at run time.

mod util;

mod archive;
mod baseline;
mod cli;
mod database;
mod documents;
mod dwg;
mod fixtures;
mod git;
mod hostile;
mod identify;
mod incident;
mod inventory;
mod library;
mod ocr;
mod patterns;
mod project;
mod sarif;
mod scale;
mod stream;
mod subject;
mod walk;
