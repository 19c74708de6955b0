//! Widgets pages of every module share: the sign-in gate, 「準備中」 notes, the words
//! for roles, the 「送信待ち」 badge, pictures, calendar links, and the page for a path that leads nowhere.

pub mod calendar_links;
pub mod not_found;
pub mod picture;

use domain::{accounts::Role, associations::AssociationRole, families::FamilyRole};
use leptos::prelude::*;

use crate::{
    account::state::{Account, Session},
    i18n::*,
    routing::{Link, Page},
};

/// A page that is not built yet says what will come, instead of showing nothing.
#[component]
pub fn ComingSoon(
    /// The things this page will let a person do, in plain words.
    items: Vec<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card coming" aria-labelledby="coming-heading">
            <h2 id="coming-heading">{t_string!(i18n, coming_heading)}</h2>
            <ul class="coming-list">
                {items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}
            </ul>
            <p class="note">{t_string!(i18n, coming_note)}</p>
        </section>
    }
}

pub type I18n = leptos_i18n::I18nContext<Locale>;

/// 保護者 or 閲覧のみ.
pub fn family_role_label(i18n: I18n, role: FamilyRole) -> &'static str {
    match role {
        FamilyRole::Guardian => t_string!(i18n, role_guardian),
        FamilyRole::Viewer => t_string!(i18n, role_viewer),
    }
}

/// A ward role, in words.
pub fn role_label(i18n: I18n, role: Role) -> &'static str {
    match role {
        Role::HealthStaff => t_string!(i18n, role_health_staff),
        Role::CollegeStaff => t_string!(i18n, role_college_staff),
        Role::Admin => t_string!(i18n, role_admin),
    }
}

/// 役員 or 会員.
pub fn association_role_label(i18n: I18n, role: AssociationRole) -> &'static str {
    match role {
        AssociationRole::Editor => t_string!(i18n, role_editor),
        AssociationRole::Member => t_string!(i18n, role_member),
    }
}

/// The errors that are about a new password's rules (shown under that field).
pub fn is_password_rule(code: domain::ErrorCode) -> bool {
    use domain::ErrorCode::*;
    matches!(
        code,
        PasswordTooShort | PasswordTooLong | PasswordTooCommon | PasswordLikeLogin
    )
}

/// Shows `children` to a signed-in person; to anyone else, a plain word on why not
/// and a way to sign in that comes back here afterwards. A page whose heading is drawn
/// only inside (an event's own title) gives `heading`, so it keeps its h1 when closed.
#[component]
pub fn RequireSignIn(
    #[prop(optional)] heading: Option<fn(I18n) -> &'static str>,
    children: ChildrenFn,
) -> impl IntoView {
    #[derive(Clone, Copy, PartialEq)]
    enum Gate {
        Waiting,
        SignedOut,
        Unreachable,
        Open,
    }
    let i18n = use_i18n();
    let account = Account::get();
    // Only a change of gate re-renders: the server confirming the copy kept on this
    // phone must not reset a form the person is filling in.
    let gate = Memo::new(move |_| match account.session() {
        Session::Checking(None) => Gate::Waiting,
        Session::SignedOut => Gate::SignedOut,
        Session::Offline(None) => Gate::Unreachable,
        _ => Gate::Open,
    });
    move || {
        match gate.get() {
        Gate::Open => children().into_any(),
        Gate::Waiting => view! {
            {heading.map(|h| view! { <h1>{h(i18n)}</h1> })}
            <p role="status">{t_string!(i18n, gate_checking)}</p>
        }
        .into_any(),
        closed => view! {
            {heading.map(|h| view! { <h1>{h(i18n)}</h1> })}
            <section class="card">
                <p>
                    {if closed == Gate::Unreachable {
                        t_string!(i18n, gate_unreachable)
                    } else {
                        t_string!(i18n, gate_signed_out)
                    }}
                </p>
                <p><Link page=Page::SignIn class="button">{t_string!(i18n, sign_in_title)}</Link></p>
                <p><Link page=Page::SignUp class="text-link">{t_string!(i18n, gate_sign_up)}</Link></p>
            </section>
        }
        .into_any(),
    }
    }
}

/// 「送信待ち」 or 「送信済み」 beside a record, in words as well as colour.
#[component]
pub fn SyncBadge(pending: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="badge" class:pending=pending data-testid="sync-badge">
            {move || if pending {
                t_string!(i18n, badge_pending)
            } else {
                t_string!(i18n, badge_sent)
            }}
        </span>
    }
}
