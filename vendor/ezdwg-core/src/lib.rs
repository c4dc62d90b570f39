#![doc = include_str!("../README.md")]

pub mod bit;
pub mod container;
pub mod core;
pub mod dwg;
pub mod embedded_text;
pub mod entities;
pub mod io;
pub mod objects;
pub mod writer;
