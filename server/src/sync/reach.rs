//! The scopes a user reaches (docs/sync.md): what they may read and write now, worked
//! out afresh for every push and pull from their account, families and associations —
//! and, for health staff, the families whose guardians consent to the health centre,
//! read only and for as long as the consent stands.

use std::collections::BTreeSet;

use domain::{accounts::Role, sync::protocol::Scope};
use sqlx::Row;

use crate::{db::Db, sessions::CurrentUser};

/// The scopes a user may read and write now.
#[derive(Debug, Default)]
pub struct Reach {
    pub read: BTreeSet<Scope>,
    pub write: BTreeSet<Scope>,
    /// Associations whose events this user publishes on the board (its editors').
    pub editor_of: BTreeSet<String>,
    /// For health staff: the families whose guardians consent to the health centre,
    /// into whose handbook they write checkup findings (and nothing else).
    pub clinician_of: BTreeSet<String>,
}

/// A user's memberships as rows of `(kind, id, role)`, with `$1` the user's id.
const MEMBERSHIPS: &str = "SELECT 'f' AS kind, family_id AS id, role FROM family_members \
     WHERE user_id = $1 \
     UNION ALL SELECT 'a', association_id, role FROM association_members WHERE user_id = $1";

/// For health staff, more rows of the same shape: the families whose guardians consent
/// to the health centre (kind `h`).
const CONSENTED: &str =
    " UNION ALL SELECT 'h', id, '' FROM families WHERE health_centre_consent = 1";

/// The rows [`reach_from`] reads, to follow other `UNION ALL`ed rows in one statement
/// (`$1` the user's id): the memberships, and for health staff the consenting families.
pub(super) fn rows_sql(user: &CurrentUser) -> String {
    let mut sql = MEMBERSHIPS.to_owned();
    if user.has_role(Role::HealthStaff) {
        sql.push_str(CONSENTED);
    }
    sql
}

/// Works out a user's scopes from their account, families and associations.
pub async fn reach(db: &Db, user: &CurrentUser) -> Result<Reach, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(rows_sql(user)))
        .bind(&user.id)
        .fetch_all(&db.pool)
        .await?;
    reach_from(user, &rows)
}

/// A user's scopes from rows of `(kind, id, role)`: kind `f` a family membership, `a` an
/// association membership, `h` a family that consents to the health centre (read only,
/// and only for health staff); rows of any other kind are skipped.
pub(super) fn reach_from(
    user: &CurrentUser,
    rows: &[sqlx::any::AnyRow],
) -> Result<Reach, sqlx::Error> {
    let mut reach = Reach::default();
    reach.read.insert(Scope::public());
    let own = Scope::of("user", &user.id);
    reach.read.insert(own.clone());
    reach.write.insert(own);
    let health_staff = user.has_role(Role::HealthStaff);
    for row in rows {
        let kind: String = row.try_get("kind")?;
        let (scope, writer) = match kind.as_str() {
            "f" => (
                Scope::of("family", &row.try_get::<String, _>("id")?),
                "guardian",
            ),
            "a" => (
                Scope::of("association", &row.try_get::<String, _>("id")?),
                "editor",
            ),
            // Health staff read the handbook for the checkups and write only their
            // findings (`collections::CLINICIAN_COLLECTION`, checked by push).
            "h" if health_staff => {
                let id: String = row.try_get("id")?;
                reach.read.insert(Scope::of("family", &id));
                reach.clinician_of.insert(id);
                continue;
            }
            _ => continue,
        };
        if row.try_get::<String, _>("role")? == writer {
            reach.write.insert(scope.clone());
            // An association's editors share a scope of their own: drafts, attendee
            // lists and who has read a circular, which plain members do not see.
            if kind == "a" {
                let id: String = row.try_get("id")?;
                let editors = Scope::of("editors", &id);
                reach.read.insert(editors.clone());
                reach.write.insert(editors);
                reach.editor_of.insert(id);
            }
        }
        reach.read.insert(scope);
    }
    if user.has_role(Role::Admin) {
        reach.write.insert(Scope::public());
    }
    Ok(reach)
}
