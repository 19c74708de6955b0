//! ログイン and 新規登録. Big labelled fields, the password shown on request, the rules
//! in plain words before typing, and every error in words next to its field. Enter
//! sends the form; there is no time limit and no CAPTCHA.

use domain::{
    ErrorCode,
    accounts::{self, SignIn as SignInForm, SignUp as SignUpForm},
};
use leptos::{ev, prelude::*};

use crate::{
    account::state::Account,
    api, browser,
    form::{Field, FormError, PasswordField, Submit, begin_submit},
    i18n::*,
    routing::{Link, Router},
    settings,
};
use crate::{components::is_password_rule, routing::Page};

#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let router = Router::get();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let login_error = RwSignal::new(None);
    let password_error = RwSignal::new(None);
    let form_error = RwSignal::new(None);
    let pending = RwSignal::new(false);

    let on_submit = move |event: ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        form_error.set(None);
        let login_value = login.get_untracked();
        let password_value = password.get_untracked();
        login_error.set(
            login_value
                .trim()
                .is_empty()
                .then(|| t_string!(i18n, sign_in_login_missing).to_owned()),
        );
        password_error.set(
            password_value
                .is_empty()
                .then(|| t_string!(i18n, sign_in_password_missing).to_owned()),
        );
        if login_error.get_untracked().is_some() {
            return browser::focus_field("login");
        }
        if password_error.get_untracked().is_some() {
            return browser::focus_field("password");
        }
        pending.set(true);
        leptos::task::spawn_local(async move {
            let form = SignInForm {
                login: login_value,
                password: password_value,
            };
            let result = api::sign_in(&form).await;
            pending.set(false);
            match result {
                Ok(me) => {
                    account.signed_in(me);
                    router.go_back_after_sign_in();
                }
                Err(error) if error.code() == Some(ErrorCode::InvalidCredentials) => {
                    password_error.set(Some(error.message()));
                    browser::focus_field("password");
                }
                Err(error) => form_error.set(Some(error.message())),
            }
        });
    };

    view! {
        <h1>{t_string!(i18n, sign_in_title)}</h1>
        <AlreadySignedIn />
        <p class="lead">{t_string!(i18n, sign_in_lead)}</p>
        <form class="card form" on:submit=on_submit novalidate>
            <Field id="login" value=login error=login_error autocomplete="username">
                {t_string!(i18n, field_login)}
            </Field>
            <PasswordField
                id="password"
                value=password
                error=password_error
                autocomplete="current-password"
            >
                {t_string!(i18n, field_password)}
            </PasswordField>
            <FormError error=form_error />
            <Submit pending>{move || t_string!(i18n, sign_in_submit)}</Submit>
        </form>
        <p>{t_string!(i18n, sign_in_no_account)}</p>
        <p><Link page=Page::SignUp class="button secondary">{t_string!(i18n, sign_up_title)}</Link></p>
    }
}

#[component]
pub fn SignUp() -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let router = Router::get();
    let login = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let login_error = RwSignal::new(None);
    let name_error = RwSignal::new(None);
    let password_error = RwSignal::new(None);
    let form_error = RwSignal::new(None);
    let pending = RwSignal::new(false);

    let on_submit = move |event: ev::SubmitEvent| {
        if begin_submit(&event, pending) {
            return;
        }
        form_error.set(None);
        let lang = settings::lang(i18n.get_locale_untracked());
        let message = |code: ErrorCode| code.message(lang).to_owned();
        let login_value = accounts::validate_login(&login.get_untracked());
        let name_value = accounts::validate_display_name(&display_name.get_untracked());
        let password_value = password.get_untracked();
        let password_check = accounts::validate_password(&password_value, &login.get_untracked());
        login_error.set(login_value.as_ref().err().copied().map(message));
        name_error.set(name_value.as_ref().err().copied().map(message));
        password_error.set(password_check.err().map(message));
        let (Ok(login_value), Ok(name_value), Ok(())) = (login_value, name_value, password_check)
        else {
            let first = [("login", login_error), ("display-name", name_error)]
                .into_iter()
                .find(|(_, e)| e.get_untracked().is_some())
                .map_or("new-password", |(id, _)| id);
            return browser::focus_field(first);
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            let form = SignUpForm {
                login: login_value,
                display_name: name_value,
                password: password_value,
            };
            let result = api::sign_up(&form).await;
            pending.set(false);
            match result {
                Ok(me) => {
                    account.signed_in(me);
                    router.go_back_after_sign_in();
                }
                Err(error) => match error.code() {
                    Some(ErrorCode::LoginInvalid | ErrorCode::LoginTaken) => {
                        login_error.set(Some(error.message()));
                        browser::focus_field("login");
                    }
                    Some(ErrorCode::DisplayNameInvalid) => {
                        name_error.set(Some(error.message()));
                        browser::focus_field("display-name");
                    }
                    Some(code) if is_password_rule(code) => {
                        password_error.set(Some(error.message()));
                        browser::focus_field("new-password");
                    }
                    _ => form_error.set(Some(error.message())),
                },
            }
        });
    };

    view! {
        <h1>{t_string!(i18n, sign_up_title)}</h1>
        <AlreadySignedIn />
        <p class="lead">{t_string!(i18n, sign_up_lead)}</p>
        <form class="card form" on:submit=on_submit novalidate>
            <Field
                id="login"
                value=login
                error=login_error
                autocomplete="username"
                hint=move || t_string!(i18n, sign_up_login_hint)
            >
                {t_string!(i18n, field_login)}
            </Field>
            <Field
                id="display-name"
                value=display_name
                error=name_error
                autocomplete="nickname"
                hint=move || t_string!(i18n, sign_up_name_hint)
            >
                {t_string!(i18n, field_display_name)}
            </Field>
            <PasswordField
                id="new-password"
                value=password
                error=password_error
                autocomplete="new-password"
                hint=move || t_string!(i18n, sign_up_password_hint)
            >
                {t_string!(i18n, field_password)}
            </PasswordField>
            <FormError error=form_error />
            <Submit pending>{move || t_string!(i18n, sign_up_submit)}</Submit>
        </form>
        <p>{t_string!(i18n, sign_up_have_account)}</p>
        <p><Link page=Page::SignIn class="button secondary">{t_string!(i18n, sign_in_title)}</Link></p>
    }
}

/// Says so when someone is already signed in, with a way to their account.
#[component]
fn AlreadySignedIn() -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    move || {
        account.me().map(|me| {
            view! {
                <p class="notice">
                    {t_string!(i18n, sign_in_already, name = me.display_name).to_string()} " "
                    <Link page=Page::Account class="text-link">{t_string!(i18n, account_title)}</Link>
                </p>
            }
        })
    }
}
