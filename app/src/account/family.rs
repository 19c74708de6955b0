//! 家族: one child's family. Everyone sees the child and the members and may leave;
//! guardians also make invite codes, decide whether the health centre may see the
//! handbook, and remove members. Removing and leaving ask once more before acting.

use domain::families::{Consent, Family, FamilyMember, FamilyRole, Invite, NewInvite};
use leptos::{ev, prelude::*};

use crate::{
    account::state::Account,
    api, browser,
    form::{FormDone, FormError, Submit, begin_submit},
    i18n::*,
    routing::{Link, Router},
    settings,
    tasks::spawn_owned,
};
use crate::{
    components::{RequireSignIn, family_role_label},
    routing::{Id, Page},
};

#[component]
pub fn FamilyPage(
    /// The family's id, from the path.
    id: Id,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t_string!(i18n, family_title)}</h1>
        <RequireSignIn>
            <FamilyView id />
        </RequireSignIn>
    }
}

/// What the family page changes, shared by its parts.
#[derive(Clone, Copy)]
struct State {
    id: Id,
    family: RwSignal<Option<Family>>,
    /// A confirmation of the last change, for everyone (a status message).
    done: RwSignal<Option<String>>,
    error: RwSignal<Option<String>>,
}

impl State {
    fn read<T: Default>(self, read: impl FnOnce(&Family) -> T) -> T {
        self.family
            .with(|f| f.as_ref().map(read).unwrap_or_default())
    }

    fn is_guardian(self) -> bool {
        self.read(|f| f.my_role == Some(FamilyRole::Guardian))
    }

    /// Loads the family again (after a member was removed).
    async fn reload(self) {
        match api::family(&self.id.to_string()).await {
            Ok(family) => self.family.set(Some(family)),
            Err(e) => self.error.set(Some(e.message())),
        }
    }
}

#[component]
fn FamilyView(id: Id) -> impl IntoView {
    let i18n = use_i18n();
    let state = State {
        id,
        family: RwSignal::new(None),
        done: RwSignal::new(None),
        error: RwSignal::new(None),
    };
    let load_error = RwSignal::new(None::<String>);
    spawn_owned(async move {
        match api::family(&id.to_string()).await {
            Ok(family) => state.family.set(Some(family)),
            Err(e) => load_error.set(Some(e.message())),
        }
    });
    // The page is drawn once loaded; later changes update its parts in place, so focus
    // stays where the person is.
    let loaded = Memo::new(move |_| state.family.with(Option::is_some));
    move || {
        if loaded.get() {
            view! {
                <Child state />
                <FormDone done=state.done />
                <FormError error=state.error />
                <Members state />
                <Show when=move || state.is_guardian()>
                    <InviteForm state />
                    <ConsentForm state />
                </Show>
                <Leave state />
            }
            .into_any()
        } else if let Some(message) = load_error.get() {
            view! {
                <p class="form-error" role="alert">{message}</p>
                <p><Link page=Page::Account class="button secondary">{t_string!(i18n, account_title)}</Link></p>
            }
            .into_any()
        } else {
            view! { <p role="status">{t_string!(i18n, loading)}</p> }.into_any()
        }
    }
}

#[component]
fn Child(state: State) -> impl IntoView {
    let i18n = use_i18n();
    let birth_date = move || {
        let lang = settings::lang(i18n.get_locale());
        state.read(|f| browser::format_day(&f.child_birth_date, lang))
    };
    view! {
        <section class="card" aria-labelledby="child-heading">
            <h2 id="child-heading" data-testid="child-name">{move || state.read(|f| f.child_name.clone())}</h2>
            <dl class="facts">
                <dt>{t_string!(i18n, field_birth_date)}</dt>
                <dd>{birth_date}</dd>
                <dt>{t_string!(i18n, family_my_role)}</dt>
                <dd>{move || state.read(|f| f.my_role.map(|r| family_role_label(i18n, r)).unwrap_or_default())}</dd>
            </dl>
        </section>
    }
}

#[component]
fn Members(state: State) -> impl IntoView {
    let i18n = use_i18n();
    let confirming = RwSignal::new(None::<String>);
    view! {
        <section class="card" aria-labelledby="members-heading">
            <h2 id="members-heading" tabindex="-1">{t_string!(i18n, family_members)}</h2>
            <ul class="plain-list members">
                {move || {
                    state
                        .read(|f| f.members.clone())
                        .into_iter()
                        .map(|member| view! { <Member state member confirming /> })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

#[component]
fn Member(
    state: State,
    member: FamilyMember,
    /// The member whose removal waits for a second press.
    confirming: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let is_me = account.me().is_some_and(|me| me.id == member.user_id);
    let can_remove = state.is_guardian() && !is_me;
    let role = family_role_label(i18n, member.role);
    let user_id = member.user_id.clone();
    let name = member.display_name.clone();
    let asking = {
        let user_id = user_id.clone();
        move || confirming.with(|c| c.as_deref() == Some(user_id.as_str()))
    };
    let remove = {
        let user_id = user_id.clone();
        move |_| {
            let user_id = user_id.clone();
            let name = name.clone();
            confirming.set(None);
            state.error.set(None);
            leptos::task::spawn_local(async move {
                match api::remove_member(&state.id.to_string(), &user_id).await {
                    Ok(()) => {
                        state.done.set(Some(
                            t_string!(i18n, family_removed, name = name).to_string(),
                        ));
                        state.reload().await;
                        browser::focus_field("members-heading");
                    }
                    Err(e) => state.error.set(Some(e.message())),
                }
            });
        }
    };
    view! {
        <li class="member">
            <p>
                <strong>{member.display_name.clone()}</strong>
                <Show when=move || is_me>" " {t_string!(i18n, family_you)}</Show>
                " " <span class="badge">{role}</span>
            </p>
            <Show when=move || can_remove>
                {
                    let asking = asking.clone();
                    let remove = remove.clone();
                    let user_id = user_id.clone();
                    let name = member.display_name.clone();
                    move || {
                        if asking() {
                            let remove = remove.clone();
                            view! {
                                <div class="confirm" role="group">
                                    <p>{t_string!(i18n, family_remove_confirm, name = name.clone()).to_string()}</p>
                                    <button type="button" class="button danger" on:click=remove>
                                        {t_string!(i18n, family_remove_yes)}
                                    </button>
                                    <button type="button" class="button secondary" on:click=move |_| confirming.set(None)>
                                        {t_string!(i18n, cancel)}
                                    </button>
                                </div>
                            }
                            .into_any()
                        } else {
                            let user_id = user_id.clone();
                            view! {
                                <button
                                    type="button"
                                    class="button secondary"
                                    on:click=move |_| confirming.set(Some(user_id.clone()))
                                >
                                    {t_string!(i18n, family_remove, name = name.clone()).to_string()}
                                </button>
                            }
                            .into_any()
                        }
                    }
                }
            </Show>
        </li>
    }
}

/// 招待コードをつくる: a one-time code for a guardian or a viewer.
#[component]
fn InviteForm(state: State) -> impl IntoView {
    let i18n = use_i18n();
    let role = RwSignal::new(FamilyRole::Viewer);
    let invite = RwSignal::new(None::<Invite>);
    let error = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let on_submit = move |event: ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        error.set(None);
        pending.set(true);
        let new = NewInvite {
            role: role.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            let result = api::create_invite(&state.id.to_string(), new).await;
            pending.set(false);
            match result {
                Ok(created) => invite.set(Some(created)),
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    let choice = move |value: FamilyRole| {
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name="invite-role"
                    value=value.as_str()
                    prop:checked=move || role.get() == value
                    on:change=move |_| role.set(value)
                />
                <span>
                    {move || family_role_label(i18n, value)}
                    <span class="choice-note">
                        {move || match value {
                            FamilyRole::Guardian => t_string!(i18n, family_invite_guardian_note),
                            FamilyRole::Viewer => t_string!(i18n, family_invite_viewer_note),
                        }}
                    </span>
                </span>
            </label>
        }
    };
    view! {
        <form class="card form" on:submit=on_submit aria-labelledby="invite-heading">
            <h2 id="invite-heading">{t_string!(i18n, family_invite_title)}</h2>
            <p>{t_string!(i18n, family_invite_explain)}</p>
            <fieldset class="choices">
                <legend class="choices-title">{t_string!(i18n, family_invite_role)}</legend>
                {choice(FamilyRole::Guardian)}
                {choice(FamilyRole::Viewer)}
            </fieldset>
            <FormError error />
            <Submit pending>{move || t_string!(i18n, family_invite_submit)}</Submit>
            <div role="status">
                {move || invite.get().map(|invite| {
                    let lang = settings::lang(i18n.get_locale());
                    let expires = browser::format_moment(&invite.expires_at, lang);
                    let role = family_role_label(i18n, invite.role);
                    view! {
                        <div class="invite">
                            <p>{t_string!(i18n, family_invite_ready, role = role).to_string()}</p>
                            <p class="invite-code" data-testid="invite-code" lang="en">{invite.code}</p>
                            <p>{t_string!(i18n, family_invite_expires, when = expires).to_string()}</p>
                            <p class="note">{t_string!(i18n, family_invite_rules)}</p>
                        </div>
                    }
                })}
            </div>
        </form>
    }
}

/// Whether the ward's health centre may see and write this handbook.
#[component]
fn ConsentForm(state: State) -> impl IntoView {
    let i18n = use_i18n();
    let pending = RwSignal::new(false);
    let on_change = move |event: ev::Event| {
        let health_centre = event_target_checked(&event);
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        state.error.set(None);
        state.done.set(None);
        leptos::task::spawn_local(async move {
            let result = api::set_consent(&state.id.to_string(), Consent { health_centre }).await;
            pending.set(false);
            match result {
                Ok(family) => {
                    state.family.set(Some(family));
                    state.done.set(Some(
                        if health_centre {
                            t_string!(i18n, family_consent_on)
                        } else {
                            t_string!(i18n, family_consent_off)
                        }
                        .to_owned(),
                    ));
                }
                Err(e) => {
                    // Put the box back as it was.
                    state.family.update(|_| {});
                    state.error.set(Some(e.message()));
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="consent-heading">
            <h2 id="consent-heading">{t_string!(i18n, family_consent_title)}</h2>
            <p id="consent-explain">{t_string!(i18n, family_consent_explain)}</p>
            <label class="choice">
                <input
                    type="checkbox"
                    aria-describedby="consent-explain"
                    prop:checked=move || state.read(|f| f.health_centre_consent)
                    on:change=on_change
                />
                <span>{t_string!(i18n, family_consent_label)}</span>
            </label>
        </section>
    }
}

/// この家族から抜ける, after a second press.
#[component]
fn Leave(state: State) -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let router = Router::get();
    let asking = RwSignal::new(false);
    let leave = move |_| {
        asking.set(false);
        state.error.set(None);
        let Some(me) = account.me() else {
            return;
        };
        leptos::task::spawn_local(async move {
            match api::remove_member(&state.id.to_string(), &me.id).await {
                Ok(()) => {
                    account.refresh();
                    router.go(Page::Account);
                    router.announce(t_string!(i18n, family_left).to_owned());
                }
                Err(e) => state.error.set(Some(e.message())),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="leave-heading">
            <h2 id="leave-heading">{t_string!(i18n, family_leave_title)}</h2>
            <p>{t_string!(i18n, family_leave_explain)}</p>
            {move || if asking.get() {
                view! {
                    <div class="confirm" role="group">
                        <p>{t_string!(i18n, family_leave_confirm)}</p>
                        <button type="button" class="button danger" on:click=leave>
                            {t_string!(i18n, family_leave_yes)}
                        </button>
                        <button type="button" class="button secondary" on:click=move |_| asking.set(false)>
                            {t_string!(i18n, cancel)}
                        </button>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <button type="button" class="button secondary" on:click=move |_| asking.set(true)>
                        {t_string!(i18n, family_leave_title)}
                    </button>
                }
                .into_any()
            }}
        </section>
    }
}
