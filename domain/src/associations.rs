//! 町会・自治会: the neighbourhood associations that post events and circulars.

use serde::{Deserialize, Serialize};

/// An association as every resident may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Association {
    /// A UUID (text form).
    pub id: String,
    /// A short stable name for links, e.g. `sakuradai-tsutsuji`.
    pub slug: String,
    /// The association's name as residents know it, e.g. 桜台つつじ町会.
    pub name: String,
    /// The area (町丁目) it serves, in words.
    pub area: String,
}
