//! Whose handbook a page shows and how the person may use it: a guardian or a viewer of
//! the family (from `/api/me`, kept on the phone, so this works offline), or health staff
//! reading a family that consents to the health centre (asked of the server, which
//! audits the read; staff need a connection for it).

use domain::{
    accounts::{FamilySummary, Role},
    dates::Day,
    families::FamilyRole,
};
use leptos::prelude::*;

use crate::{account::state::Account, api, i18n::*, tasks::spawn_owned};

/// How the person reads this handbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Guardian,
    Viewer,
    /// Health staff, while the family consents: they write checkup findings only.
    HealthStaff,
}

/// The child a handbook is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Child {
    pub id: String,
    pub name: String,
    /// The day of birth (the due date before it), when it is known.
    pub born: Option<Day>,
    /// The same as typed, `YYYY-MM-DD`.
    pub birth_date: String,
    pub reader: Reader,
}

impl Child {
    /// As `/api/me` lists a family: health staff read as a viewer does (they write only
    /// checkup findings, on the checkups page).
    pub fn summary(&self) -> FamilySummary {
        FamilySummary {
            id: self.id.clone(),
            child_name: self.name.clone(),
            child_birth_date: self.birth_date.clone(),
            role: match self.reader {
                Reader::Guardian => FamilyRole::Guardian,
                Reader::Viewer | Reader::HealthStaff => FamilyRole::Viewer,
            },
        }
    }
}

/// What the lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Looking,
    Found(Child),
    /// Not the person's family, nor one shared with them as health staff.
    NotAllowed,
    /// Health staff, offline: the family could not be asked for.
    Offline,
}

/// The child of `family` for the person signed in, looked up again when the account
/// changes.
pub fn lookup(family: String) -> RwSignal<Lookup> {
    let found = RwSignal::new(Lookup::Looking);
    // Only a different answer is told: the account is checked again after every start
    // and sync, and drawing the page anew each time would drop what the person typed.
    let set = move |new: Lookup| {
        if found.with_untracked(|old| *old != new) {
            found.set(new);
        }
    };
    let account = Account::get();
    Effect::new(move |_| {
        let Some(me) = account.me() else {
            return;
        };
        if let Some(summary) = me.families.iter().find(|f| f.id == family) {
            set(Lookup::Found(Child {
                id: summary.id.clone(),
                name: summary.child_name.clone(),
                born: Day::parse(&summary.child_birth_date),
                birth_date: summary.child_birth_date.clone(),
                reader: match summary.role {
                    FamilyRole::Guardian => Reader::Guardian,
                    FamilyRole::Viewer => Reader::Viewer,
                },
            }));
            return;
        }
        if !me.has_role(Role::HealthStaff) {
            set(Lookup::NotAllowed);
            return;
        }
        let family = family.clone();
        spawn_owned(async move {
            set(match api::family(&family).await {
                Ok(f) => Lookup::Found(Child {
                    id: f.id,
                    name: f.child_name,
                    born: Day::parse(&f.child_birth_date),
                    birth_date: f.child_birth_date,
                    reader: Reader::HealthStaff,
                }),
                Err(api::ApiError::Unreachable) => Lookup::Offline,
                Err(api::ApiError::Refused(_)) => Lookup::NotAllowed,
            });
        });
    });
    found
}

/// A child's page for the family `family`: `show` with the family as the person may read
/// it, `denied` for a family they may not, and a plain sentence for health staff with no
/// connection.
#[component]
pub fn ForChild(
    family: String,
    show: fn(FamilySummary) -> AnyView,
    denied: fn() -> AnyView,
) -> impl IntoView {
    let i18n = use_i18n();
    let found = lookup(family);
    move || match found.get() {
        Lookup::Looking => ().into_any(),
        Lookup::NotAllowed => denied(),
        Lookup::Offline => view! { <p class="card">{t!(i18n, centre_offline)}</p> }.into_any(),
        Lookup::Found(child) => show(child.summary()),
    }
}
