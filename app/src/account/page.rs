//! アカウント: who you are, signing out, the password, the devices signed in, your
//! families (start one, or join one with a code) and your associations.

use domain::{
    ErrorCode, Lang,
    accounts::{self, ChangePassword, Me, Role, SessionInfo},
    families::{self, AcceptInvite, NewFamily},
};
use leptos::{ev, prelude::*};

use super::state::Account;
use crate::{
    api, browser,
    components::{
        RequireSignIn, association_role_label, calendar_links::CalendarFeeds, family_role_label,
        is_password_rule, role_label,
    },
    form::{Field, FormDone, FormError, PasswordField, Submit, begin_submit},
    i18n::*,
    routing::{Id, Page},
    routing::{Link, Router},
    settings,
    sync::Sync,
};

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    // Counts password changes made on this page: the calendar section reads its status
    // again, since a new password stops the private address.
    let password_changed = RwSignal::new(0u32);
    view! {
        <h1>{t_string!(i18n, account_title)}</h1>
        <RequireSignIn>
            <Profile />
            <SignOut />
            <Families />
            <NewFamilyForm />
            <JoinFamilyForm />
            <Associations />
            <Devices />
            <PasswordForm password_changed />
            <CalendarFeeds password_changed />
        </RequireSignIn>
    }
}

/// Name, log-in name and ward roles, with the way to the admin page for admins.
#[component]
fn Profile() -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    move || {
        account.me().map(|me: Me| {
            let is_admin = me.has_role(Role::Admin);
            let roles = me
                .roles
                .iter()
                .map(|role| role_label(i18n, *role))
                .collect::<Vec<_>>()
                .join("、");
            view! {
                <section class="card" aria-labelledby="profile-heading">
                    <h2 id="profile-heading">{t_string!(i18n, account_profile)}</h2>
                    <dl class="facts">
                        <dt>{t_string!(i18n, field_display_name)}</dt>
                        <dd>{me.display_name}</dd>
                        <dt>{t_string!(i18n, field_login)}</dt>
                        <dd>{me.login}</dd>
                        {(!roles.is_empty()).then(|| view! {
                            <dt>{t_string!(i18n, account_roles)}</dt>
                            <dd>{roles}</dd>
                        })}
                    </dl>
                    <Show when=move || is_admin>
                        <p><Link page=Page::Admin class="button secondary">{t_string!(i18n, admin_title)}</Link></p>
                    </Show>
                </section>
            }
        })
    }
}

#[component]
fn SignOut() -> impl IntoView {
    let i18n = use_i18n();
    let router = Router::get();
    let sync = Sync::get();
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None);
    // Changes not yet sent are deleted with the phone's data: say so once, in words.
    let warned = RwSignal::new(false);
    let on_submit = move |event: ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        let unsent = sync.pending.get_untracked();
        if unsent > 0 && !warned.get_untracked() {
            warned.set(true);
            error.set(Some(
                t_string!(i18n, sign_out_unsent, count = unsent).to_string(),
            ));
            return;
        }
        error.set(None);
        pending.set(true);
        leptos::task::spawn_local(async move {
            let result = sync.sign_out().await;
            pending.set(false);
            match result {
                Ok(()) => {
                    router.go(Page::Home);
                    router.announce(t_string!(i18n, sign_out_done).to_owned());
                }
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    view! {
        <form class="card form" on:submit=on_submit aria-labelledby="sign-out-heading">
            <h2 id="sign-out-heading">{t_string!(i18n, sign_out_title)}</h2>
            <p>{t_string!(i18n, sign_out_explain)}</p>
            <FormError error />
            <Submit pending>{move || t_string!(i18n, sign_out_submit)}</Submit>
        </form>
    }
}

/// The families (children's handbooks) the person belongs to.
#[component]
fn Families() -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    view! {
        <section class="card" aria-labelledby="families-heading">
            <h2 id="families-heading">{t_string!(i18n, account_families)}</h2>
            {move || {
                let families = account.me().map(|me| me.families).unwrap_or_default();
                if families.is_empty() {
                    return view! { <p>{t_string!(i18n, account_no_families)}</p> }.into_any();
                }
                view! {
                    <ul class="link-list">
                        {families
                            .into_iter()
                            .filter_map(|family| {
                                let id = Id::parse(&family.id)?;
                                let role = family_role_label(i18n, family.role);
                                Some(view! {
                                    <li>
                                        <Link page=Page::Family(id) class="module-link">
                                            <span>{family.child_name}</span>
                                            <span class="badge">{role}</span>
                                        </Link>
                                    </li>
                                })
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

/// 家族の手帳をつくる: the child's name and birth (or due) date.
#[component]
fn NewFamilyForm() -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let router = Router::get();
    let child_name = RwSignal::new(String::new());
    let birth_date = RwSignal::new(String::new());
    let name_error = RwSignal::new(None);
    let date_error = RwSignal::new(None);
    let form_error = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let on_submit = move |event: ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        form_error.set(None);
        let lang = settings::lang(i18n.get_locale_untracked());
        let message = |code: ErrorCode| code.message(lang).to_owned();
        let name = families::validate_child_name(&child_name.get_untracked());
        let date = families::validate_birth_date(&birth_date.get_untracked(), &browser::today());
        name_error.set(name.as_ref().err().copied().map(message));
        date_error.set(date.as_ref().err().copied().map(message));
        let (Ok(child_name), Ok(child_birth_date)) = (name, date) else {
            let first = if name_error.get_untracked().is_some() {
                "child-name"
            } else {
                "child-birth-date"
            };
            return browser::focus_field(first);
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            let form = NewFamily {
                child_name,
                child_birth_date,
            };
            let result = api::create_family(&form).await;
            pending.set(false);
            match result {
                Ok(family) => {
                    account.refresh();
                    if let Some(id) = Id::parse(&family.id) {
                        router.go(Page::Family(id));
                    }
                }
                Err(e) => form_error.set(Some(e.message())),
            }
        });
    };
    view! {
        <form class="card form" on:submit=on_submit aria-labelledby="new-family-heading" novalidate>
            <h2 id="new-family-heading">{t_string!(i18n, family_new_title)}</h2>
            <p>{t_string!(i18n, family_new_explain)}</p>
            <Field id="child-name" value=child_name error=name_error hint=move || t_string!(i18n, family_child_name_hint)>
                {t_string!(i18n, field_child_name)}
            </Field>
            <Field id="child-birth-date" kind="date" value=birth_date error=date_error hint=move || t_string!(i18n, family_birth_date_hint)>
                {t_string!(i18n, field_birth_date)}
            </Field>
            <FormError error=form_error />
            <Submit pending>{move || t_string!(i18n, family_new_submit)}</Submit>
        </form>
    }
}

/// 招待コードで参加: the code a family member passed on.
#[component]
fn JoinFamilyForm() -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let router = Router::get();
    let code = RwSignal::new(String::new());
    let code_error = RwSignal::new(None);
    let form_error = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let on_submit = move |event: ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        form_error.set(None);
        let lang = settings::lang(i18n.get_locale_untracked());
        let normalized = families::normalize_invite_code(&code.get_untracked());
        code_error.set(
            normalized
                .as_ref()
                .err()
                .map(|code| code.message(lang).to_owned()),
        );
        let Ok(code) = normalized else {
            return browser::focus_field("invite-code");
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            let result = api::accept_invite(&AcceptInvite { code }).await;
            pending.set(false);
            match result {
                Ok(family) => {
                    account.refresh();
                    if let Some(id) = Id::parse(&family.id) {
                        router.go(Page::Family(id));
                    }
                }
                Err(e)
                    if matches!(
                        e.code(),
                        Some(ErrorCode::InviteInvalid | ErrorCode::AlreadyMember)
                    ) =>
                {
                    code_error.set(Some(e.message()));
                    browser::focus_field("invite-code");
                }
                Err(e) => form_error.set(Some(e.message())),
            }
        });
    };
    view! {
        <form class="card form" on:submit=on_submit aria-labelledby="join-heading" novalidate>
            <h2 id="join-heading">{t_string!(i18n, family_join_title)}</h2>
            <Field id="invite-code" value=code error=code_error hint=move || t_string!(i18n, family_join_hint)>
                {t_string!(i18n, field_invite_code)}
            </Field>
            <FormError error=form_error />
            <Submit pending>{move || t_string!(i18n, family_join_submit)}</Submit>
        </form>
    }
}

#[component]
fn Associations() -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    view! {
        <section class="card" aria-labelledby="associations-heading">
            <h2 id="associations-heading">{t_string!(i18n, account_associations)}</h2>
            {move || {
                let associations = account.me().map(|me| me.associations).unwrap_or_default();
                if associations.is_empty() {
                    return view! { <p>{t_string!(i18n, account_no_associations)}</p> }.into_any();
                }
                view! {
                    <ul class="plain-list">
                        {associations
                            .into_iter()
                            .map(|a| {
                                let role = association_role_label(i18n, a.role);
                                view! { <li>{a.name} <span class="badge">{role}</span></li> }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

/// ログイン中の端末: every device signed in to this account, each with a way to sign
/// it out.
#[component]
fn Devices() -> impl IntoView {
    let i18n = use_i18n();
    let sessions = LocalResource::new(api::sessions);
    let error = RwSignal::new(None);
    view! {
        <section class="card" aria-labelledby="devices-heading">
            <h2 id="devices-heading">{t_string!(i18n, devices_title)}</h2>
            <FormError error />
            {move || match sessions.get() {
                None => view! { <p role="status">{t_string!(i18n, loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="plain-list devices">
                        {list
                            .into_iter()
                            .map(|session| view! { <Device session sessions error /> })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn Device(
    session: SessionInfo,
    sessions: LocalResource<Result<Vec<SessionInfo>, api::ApiError>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let router = Router::get();
    let pending = RwSignal::new(false);
    // As on the sign-out form: changes not yet sent are deleted with the phone's data.
    let warned = RwSignal::new(false);
    let lang = settings::lang(i18n.get_locale_untracked());
    let label_id = format!("device-{}", session.id);
    let current = session.current;
    let id = session.id.clone();
    let end = move |_| {
        if pending.get_untracked() {
            return;
        }
        let unsent = sync.pending.get_untracked();
        if current && unsent > 0 && !warned.get_untracked() {
            warned.set(true);
            error.set(Some(
                t_string!(i18n, sign_out_unsent, count = unsent).to_string(),
            ));
            return;
        }
        pending.set(true);
        error.set(None);
        let id = id.clone();
        leptos::task::spawn_local(async move {
            if current {
                match sync.sign_out().await {
                    Ok(()) => {
                        router.go(Page::Home);
                        router.announce(t_string!(i18n, sign_out_done).to_owned());
                    }
                    Err(e) => error.set(Some(e.message())),
                }
            } else {
                match api::end_session(&id).await {
                    Ok(()) => sessions.refetch(),
                    Err(e) => error.set(Some(e.message())),
                }
            }
            pending.set(false);
        });
    };
    view! {
        <li class="device">
            <p id=label_id.clone()>
                <strong>{session.device}</strong>
                <Show when=move || current>
                    " " <span class="badge">{t_string!(i18n, devices_this)}</span>
                </Show>
            </p>
            <p class="note">
                {t_string!(i18n, devices_last_seen, when = browser::format_moment(&session.last_seen_at, lang)).to_string()}
            </p>
            <button type="button" class="button secondary" aria-describedby=label_id on:click=end>
                {move || if pending.get() {
                    t_string!(i18n, form_sending)
                } else {
                    t_string!(i18n, devices_sign_out)
                }}
            </button>
        </li>
    }
}

/// パスワードの変更. Every other device is signed out by the server, and the private
/// calendar address stops working (the message says so when there was one).
#[component]
fn PasswordForm(
    /// Counted up after each change.
    password_changed: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let current_error = RwSignal::new(None);
    let new_error = RwSignal::new(None);
    let form_error = RwSignal::new(None);
    let done = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let on_submit = move |event: ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        form_error.set(None);
        done.set(None);
        let lang = settings::lang(i18n.get_locale_untracked());
        let login = account.me().map(|me| me.login).unwrap_or_default();
        let current_value = current.get_untracked();
        let new_value = new.get_untracked();
        current_error.set(
            current_value
                .is_empty()
                .then(|| t_string!(i18n, sign_in_password_missing).to_owned()),
        );
        new_error.set(
            accounts::validate_password(&new_value, &login)
                .err()
                .map(|code| code.message(lang).to_owned()),
        );
        if current_error.get_untracked().is_some() {
            return browser::focus_field("current-password");
        }
        if new_error.get_untracked().is_some() {
            return browser::focus_field("changed-password");
        }
        pending.set(true);
        leptos::task::spawn_local(async move {
            let form = ChangePassword {
                current_password: current_value,
                new_password: new_value,
            };
            let result = api::change_password(&form).await;
            pending.set(false);
            match result {
                Ok(answer) => {
                    current.set(String::new());
                    new.set(String::new());
                    let mut message = t_string!(i18n, password_changed).to_owned();
                    if answer.calendar_feed_stopped {
                        // Japanese sentences follow one another with no space.
                        if lang == Lang::En {
                            message.push(' ');
                        }
                        message.push_str(t_string!(i18n, password_changed_feed_stopped));
                    }
                    done.set(Some(message));
                    password_changed.update(|n| *n += 1);
                }
                Err(e) if e.code() == Some(ErrorCode::CurrentPasswordWrong) => {
                    current_error.set(Some(e.message()));
                    browser::focus_field("current-password");
                }
                Err(e) if e.code().is_some_and(is_password_rule) => {
                    new_error.set(Some(e.message()));
                    browser::focus_field("changed-password");
                }
                Err(e) => form_error.set(Some(e.message())),
            }
        });
    };
    view! {
        <form class="card form" on:submit=on_submit aria-labelledby="password-heading" novalidate>
            <h2 id="password-heading">{t_string!(i18n, password_title)}</h2>
            <p>{t_string!(i18n, password_explain)}</p>
            <PasswordField id="current-password" value=current error=current_error autocomplete="current-password">
                {t_string!(i18n, field_current_password)}
            </PasswordField>
            <PasswordField
                id="changed-password"
                value=new
                error=new_error
                autocomplete="new-password"
                hint=move || t_string!(i18n, sign_up_password_hint)
            >
                {t_string!(i18n, field_new_password)}
            </PasswordField>
            <FormError error=form_error />
            <FormDone done />
            <Submit pending>{move || t_string!(i18n, password_submit)}</Submit>
        </form>
    }
}
