//! CCF review requests as documents: the draft for counsel (`draft`). The request model, its validation and its
//! deadlines are a record (`records::requests`), the admissibility checklist is `records::checklist`; both are
//! re-exported here, the path the app, the CLI and the tests use. A request is always a draft for counsel: the app
//! never files anything, and every output says so.

pub mod draft;

pub use crate::records::checklist::*;
pub use crate::records::requests::*;
