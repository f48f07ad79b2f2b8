//! The committee summary and the committee pack, read back from their PDFs with poppler's
//! `pdftotext` and checked with `qpdf`; committees, agendas and decisions in the store; the
//! `print`, `committee list` and `committee-pack` commands.

mod cli;
mod committees;
mod fiche;
mod helpers;
mod pack;
mod printout;
