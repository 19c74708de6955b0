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

/// A member's part in an association.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssociationRole {
    /// Posts events and circulars for the association; sees its member list.
    Editor,
    /// Receives its circulars.
    Member,
}

impl AssociationRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AssociationRole::Editor => "editor",
            AssociationRole::Member => "member",
        }
    }

    pub fn parse(text: &str) -> Option<AssociationRole> {
        match text {
            "editor" => Some(AssociationRole::Editor),
            "member" => Some(AssociationRole::Member),
            _ => None,
        }
    }
}

/// `POST /api/associations` (admins only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAssociation {
    pub slug: String,
    pub name: String,
    pub area: String,
}

/// One member as the association's editors and admins see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssociationMember {
    pub user_id: String,
    pub display_name: String,
    pub role: AssociationRole,
}

/// `PUT /api/associations/{id}/members/{user_id}` (admins only): make someone an editor
/// or a plain member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberRole {
    pub role: AssociationRole,
}

impl NewAssociation {
    /// Checks the fields and returns them trimmed: slug `a-z0-9-` (2–40), name 1–60,
    /// area 0–100 characters.
    pub fn validate(&self) -> Result<NewAssociation, crate::ErrorCode> {
        let slug = self.slug.trim().to_ascii_lowercase();
        let name = self.name.trim();
        let area = self.area.trim();
        let slug_ok = (2..=40).contains(&slug.len())
            && slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let name_ok = (1..=60).contains(&name.chars().count());
        let area_ok = area.chars().count() <= 100;
        if !(slug_ok && name_ok && area_ok) {
            return Err(crate::ErrorCode::AssociationInvalid);
        }
        Ok(NewAssociation {
            slug,
            name: name.to_owned(),
            area: area.to_owned(),
        })
    }
}
