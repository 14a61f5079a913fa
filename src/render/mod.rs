//! Rendering: typeset PDF through embedded typst, workbooks through rust_xlsxwriter.

pub mod fonts;
pub mod typeset;
pub mod world;
pub mod xlsx;

pub use fonts::FontStore;
pub use typeset::{Diagnostic, Job, PdfFlavor, Typeset, Typesetter};
pub use world::TemplateStore;
