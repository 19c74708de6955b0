//! 管理 (admins only): every account with its ward roles, saved one account at a time;
//! the events and circulars residents reported, to hide or show again with a reason;
//! the audit log, newest first; and a check that the log has not been altered.

use domain::{
    accounts::Role,
    admin::{AuditEntry, AuditVerification, RolesUpdate, UserSummary},
    moderation::{self, By, Decision, Kind, REASON_MAX, ReportedTarget},
};
use leptos::{ev, prelude::*};

use crate::components::{RequireSignIn, role_label};
use crate::{
    account::state::Account,
    api, browser,
    form::{FormDone, FormError, Submit, begin_submit},
    i18n::*,
    settings,
};

#[component]
pub fn Admin() -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let is_admin = Memo::new(move |_| account.me().is_some_and(|me| me.has_role(Role::Admin)));
    view! {
        <h1>{t_string!(i18n, admin_title)}</h1>
        <RequireSignIn>
            {move || if is_admin.get() {
                view! { <Users /> <ReportedPosts /> <Audit /> }.into_any()
            } else {
                view! { <p class="notice">{t_string!(i18n, admin_only)}</p> }.into_any()
            }}
        </RequireSignIn>
    }
}

#[component]
fn Users() -> impl IntoView {
    let i18n = use_i18n();
    let users = LocalResource::new(api::users);
    view! {
        <section class="card" aria-labelledby="users-heading">
            <h2 id="users-heading">{t_string!(i18n, admin_users)}</h2>
            <p>{t_string!(i18n, admin_users_explain)}</p>
            {move || match users.get() {
                None => view! { <p role="status">{t_string!(i18n, loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="plain-list users">
                        {list.into_iter().map(|user| view! { <User user /> }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}

/// One account: its name, its role boxes and a save button for just this account.
#[component]
fn User(user: UserSummary) -> impl IntoView {
    let i18n = use_i18n();
    let roles = RwSignal::new(user.roles.clone());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None);
    let done = RwSignal::new(None);
    let user_id = user.id.clone();
    let heading_id = format!("user-{}", user.id);
    let labelled_by = heading_id.clone();
    let on_submit = move |event: ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        error.set(None);
        done.set(None);
        pending.set(true);
        let user_id = user_id.clone();
        let update = RolesUpdate {
            roles: roles.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            let result = api::set_roles(&user_id, &update).await;
            pending.set(false);
            match result {
                Ok(saved) => {
                    roles.set(saved.roles);
                    done.set(Some(t_string!(i18n, admin_roles_saved).to_owned()));
                }
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    view! {
        <li>
            <form class="user form" on:submit=on_submit aria-labelledby=labelled_by>
                <h3 id=heading_id>{user.display_name}</h3>
                <p class="note">{t_string!(i18n, admin_login, login = user.login).to_string()}</p>
                <fieldset class="choices">
                    <legend class="choices-title">{t_string!(i18n, account_roles)}</legend>
                    {Role::ALL
                        .into_iter()
                        .map(|role| {
                            view! {
                                <label class="choice">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || roles.with(|r| r.contains(&role))
                                        on:change=move |e| {
                                            let on = event_target_checked(&e);
                                            roles.update(|r| {
                                                r.retain(|x| *x != role);
                                                if on {
                                                    r.push(role);
                                                    r.sort();
                                                }
                                            });
                                        }
                                    />
                                    <span>{move || role_label(i18n, role)}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <FormError error />
                <FormDone done />
                <Submit pending>{move || t_string!(i18n, admin_roles_save)}</Submit>
            </form>
        </li>
    }
}

/// 報告された投稿: what residents reported, with their reasons, to hide or show again.
/// It needs the server (the decision reaches every phone from there), so offline it
/// says so instead.
#[component]
fn ReportedPosts() -> impl IntoView {
    let i18n = use_i18n();
    let online = RwSignal::new(browser::is_online());
    let reload = RwSignal::new(0u32);
    let up = window_event_listener(ev::online, move |_| {
        online.set(true);
        reload.update(|n| *n += 1);
    });
    let down = window_event_listener(ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        up.remove();
        down.remove();
    });
    let list = LocalResource::new(move || {
        reload.track();
        api::reports()
    });
    // Said here, not in the post's own form: a decision reloads the list, and a post
    // shown again leaves it.
    let done = RwSignal::new(None::<String>);
    view! {
        <section class="card" aria-labelledby="reports-heading">
            <h2 id="reports-heading">{t_string!(i18n, moderation_title)}</h2>
            <p>{t_string!(i18n, moderation_explain)}</p>
            <FormDone done />
            {move || if !online.get() {
                view! { <p class="notice" role="status">{t_string!(i18n, moderation_offline)}</p> }.into_any()
            } else {
                match list.get() {
                    None => view! { <p role="status">{t_string!(i18n, loading)}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
                    Some(Ok(targets)) if targets.is_empty() => {
                        view! { <p>{t_string!(i18n, moderation_empty)}</p> }.into_any()
                    }
                    Some(Ok(targets)) => view! {
                        <ul class="plain-list">
                            {targets
                                .into_iter()
                                .map(|target| view! { <ReportedPost target reload done /> })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                }
            }}
        </section>
    }
}

/// One reported event or circular: its state, the reasons, and the admin's decision.
#[component]
fn ReportedPost(
    target: ReportedTarget,
    reload: RwSignal<u32>,
    /// The list's confirmation, which outlives this post's form.
    done: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let target_id = target.target_id.clone();
    let decide = move |hidden: bool| {
        if pending.get_untracked() {
            return;
        }
        let text = reason.get_untracked().trim().to_owned();
        if let Err(code) = moderation::check_reason(&text) {
            let lang = settings::lang(i18n.get_locale_untracked());
            error.set(Some(code.message(lang).to_owned()));
            return;
        }
        error.set(None);
        done.set(None);
        pending.set(true);
        let target_id = target_id.clone();
        leptos::task::spawn_local(async move {
            let answer = api::moderate(
                &target_id,
                &Decision {
                    hidden,
                    reason: text,
                },
            )
            .await;
            pending.set(false);
            match answer {
                Ok(_) => {
                    done.set(Some(if hidden {
                        t_string!(i18n, moderation_saved_hidden).to_owned()
                    } else {
                        t_string!(i18n, moderation_saved_shown).to_owned()
                    }));
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    let hide = decide.clone();
    let show = decide;
    let heading_id = format!("reported-{}", target.target_id);
    let reason_id = format!("moderation-reason-{}", target.target_id);
    let labelled_by = heading_id.clone();
    let title = Some(target.title.clone()).filter(|t| !t.is_empty());
    let count = target.reports;
    let (hidden, by, deleted) = (target.hidden, target.by, target.deleted);
    view! {
        <li>
            <form
                class="form"
                aria-labelledby=labelled_by
                on:submit=move |e: ev::SubmitEvent| e.prevent_default()
            >
                <h3 id=heading_id>
                    {move || match target.kind {
                        Kind::Event => t_string!(i18n, moderation_kind_event),
                        Kind::Circular => t_string!(i18n, moderation_kind_circular),
                    }}
                    "："
                    {move || title.clone().unwrap_or_else(|| t_string!(i18n, moderation_untitled).to_owned())}
                </h3>
                <p class="note">
                    <span class="id">{target.target_id.clone()}</span>
                    " · "
                    {move || t_string!(i18n, moderation_count, n = count).to_string()}
                </p>
                <p role="status">
                    {move || match (hidden, by) {
                        (true, Some(By::Admin)) => t_string!(i18n, moderation_hidden_by_admin),
                        (true, _) => t_string!(i18n, moderation_hidden_by_reports),
                        (false, _) => t_string!(i18n, moderation_shown),
                    }}
                    {move || deleted.then(|| view! { " " {t_string!(i18n, moderation_deleted)} })}
                </p>
                <Show when=move || count != 0>
                    <h4>{t_string!(i18n, moderation_reasons)}</h4>
                </Show>
                <ul>
                    {target.reasons.iter().map(|r| view! { <li class="note-text">{r.clone()}</li> }).collect_view()}
                </ul>
                <div class="field">
                    <label for=reason_id.clone()>{t_string!(i18n, moderation_reason)}</label>
                    <textarea
                        id=reason_id.clone()
                        rows="3"
                        maxlength=REASON_MAX.to_string()
                        aria-invalid=move || error.get().is_some().then_some("true")
                        prop:value=move || reason.get()
                        on:input=move |e| reason.set(event_target_value(&e))
                    ></textarea>
                </div>
                <FormError error />
                <div class="note-actions">
                    <button
                        type="button"
                        class="button"
                        aria-disabled=move || pending.get().then_some("true")
                        on:click=move |_| hide(true)
                    >
                        {t_string!(i18n, moderation_hide)}
                    </button>
                    <button
                        type="button"
                        class="button secondary"
                        aria-disabled=move || pending.get().then_some("true")
                        on:click=move |_| show(false)
                    >
                        {t_string!(i18n, moderation_show)}
                    </button>
                </div>
            </form>
        </li>
    }
}

/// The audit log, newest first, 50 at a time, and its tamper check.
#[component]
fn Audit() -> impl IntoView {
    let i18n = use_i18n();
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<i64>);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None);
    let load = move |before: Option<i64>| {
        loading.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = api::audit(before).await;
            loading.set(false);
            match result {
                Ok(page) => {
                    entries.update(|list| list.extend(page.entries));
                    next.set(page.next_before);
                }
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    load(None);
    let more = move |_| {
        if !loading.get_untracked() {
            load(next.get_untracked());
        }
    };
    view! {
        <section class="card" aria-labelledby="audit-heading">
            <h2 id="audit-heading">{t_string!(i18n, admin_audit)}</h2>
            <p>{t_string!(i18n, admin_audit_explain)}</p>
            <Verify />
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="audit-heading">
                <table class="audit">
                    <thead>
                        <tr>
                            <th scope="col">{t_string!(i18n, admin_audit_seq)}</th>
                            <th scope="col">{t_string!(i18n, admin_audit_at)}</th>
                            <th scope="col">{t_string!(i18n, admin_audit_action)}</th>
                            <th scope="col">{t_string!(i18n, admin_audit_object)}</th>
                            <th scope="col">{t_string!(i18n, admin_audit_outcome)}</th>
                            <th scope="col">{t_string!(i18n, admin_audit_actor)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let lang = settings::lang(i18n.get_locale());
                            entries
                                .get()
                                .into_iter()
                                .map(|entry| view! {
                                    <tr>
                                        <td>{entry.seq}</td>
                                        <td>{browser::format_moment(&entry.at, lang)}</td>
                                        <td>
                                            {entry.action}
                                            {entry.reason.map(|r| view! { <br /> <span class="note-text">{r}</span> })}
                                        </td>
                                        <td>{entry.object_type} " " <span class="id">{entry.object_id}</span></td>
                                        <td>{entry.outcome}</td>
                                        <td class="id">{entry.actor.unwrap_or_default()}</td>
                                    </tr>
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <FormError error />
            <p role="status">
                {move || loading.get().then(|| t_string!(i18n, loading))}
            </p>
            <Show when=move || next.get().is_some()>
                <button type="button" class="button secondary" on:click=more>
                    {t_string!(i18n, admin_audit_more)}
                </button>
            </Show>
        </section>
    }
}

/// 記録の改ざんチェック: the server recomputes the hash chain; the answer in words.
#[component]
fn Verify() -> impl IntoView {
    let i18n = use_i18n();
    let result = RwSignal::new(None::<AuditVerification>);
    let error = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let on_submit = move |event: ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        error.set(None);
        result.set(None);
        pending.set(true);
        leptos::task::spawn_local(async move {
            let answer = api::verify_audit().await;
            pending.set(false);
            match answer {
                Ok(verification) => result.set(Some(verification)),
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    view! {
        <form class="form" on:submit=on_submit>
            <Submit pending>{move || t_string!(i18n, admin_verify)}</Submit>
            <FormError error />
            <p role="status" class="verify-result">
                {move || result.get().map(|v| match (v.intact, v.first_broken) {
                    (true, _) => t_string!(i18n, admin_verify_intact, total = v.entries).to_string(),
                    (false, Some(seq)) => t_string!(i18n, admin_verify_broken_at, seq = seq).to_string(),
                    (false, None) => t_string!(i18n, admin_verify_broken).to_string(),
                })}
            </p>
        </form>
    }
}
