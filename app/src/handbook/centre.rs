//! 保健相談所 (`/health-centre`): health staff's list of the handbooks whose guardians
//! share them with the health centre, each opening on its checkups. The list is asked of
//! the server (which audits each family read); the records themselves come by sync.

use domain::{accounts::Role, families::Family};
use leptos::prelude::*;

use crate::{
    account::state::Account,
    api, browser,
    components::RequireSignIn,
    i18n::*,
    routing::{Id, Link, Page},
    settings,
    tasks::spawn_owned,
};

#[component]
pub fn HealthCentre() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, centre_title)}</h1>
        <p class="lead">{t!(i18n, centre_lead)}</p>
        <RequireSignIn>
            <StaffOnly />
        </RequireSignIn>
    }
}

#[component]
fn StaffOnly() -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let staff = Memo::new(move |_| {
        account
            .me()
            .is_some_and(|me| me.has_role(Role::HealthStaff))
    });
    move || {
        if staff.get() {
            view! { <Families /> }.into_any()
        } else {
            view! { <p class="card">{t!(i18n, centre_staff_only)}</p> }.into_any()
        }
    }
}

#[component]
fn Families() -> impl IntoView {
    let i18n = use_i18n();
    let families: RwSignal<Option<Result<Vec<Family>, String>>> = RwSignal::new(None);
    spawn_owned(async move {
        families.set(Some(
            api::health_centre_families().await.map_err(|e| e.message()),
        ));
    });
    move || {
        match families.get() {
        None => view! { <p>{t!(i18n, centre_loading)}</p> }.into_any(),
        Some(Err(message)) => view! { <p class="card" role="alert">{message}</p> }.into_any(),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="card">{t!(i18n, centre_empty)}</p> }.into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="link-list" data-testid="centre-families">
                {list.into_iter().filter_map(|family| {
                    let id = Id::parse(&family.id)?;
                    let born = family.child_birth_date.clone();
                    let born = move || {
                        let lang = settings::lang(i18n.get_locale());
                        t_string!(i18n, centre_born, day = browser::format_day(&born, lang)).to_string()
                    };
                    Some(view! {
                        <li>
                            <Link page=Page::ChildCheckups(id) class="module-link">
                                {family.child_name.clone()}
                            </Link>
                            <span class="centre-born">{born}</span>
                        </li>
                    })
                }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    }
}
