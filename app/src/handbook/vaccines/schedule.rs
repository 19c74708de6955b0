//! The schedule on screen: 次に受けるもの (what can be had now, or the next day
//! something can) and the whole schedule by vaccine, each dose with its status in words
//! and its days.

use domain::handbook::vaccinations::{DoseStatus, Status};
use leptos::prelude::*;

use super::{State, plan, words};
use crate::i18n::*;

/// 次に受けるもの.
#[component]
pub fn Next(state: State) -> impl IntoView {
    let i18n = use_i18n();
    let next = Memo::new(move |_| plan::next(&state.plan.get()));
    view! {
        <section class="card" aria-labelledby="vaccines-next-heading">
            <h2 id="vaccines-next-heading">{t!(i18n, vaccines_next_title)}</h2>
            {move || {
                let next = next.get();
                if next.is_empty() {
                    view! { <p>{t_string!(i18n, vaccines_next_none)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="vax-list" data-testid="vaccines-next">
                            {next
                                .into_iter()
                                .map(|dose| view! { <DoseItem dose with_name=true /> })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

/// The whole schedule, one part per vaccine.
#[component]
pub fn Whole(state: State) -> impl IntoView {
    let i18n = use_i18n();
    let groups = Memo::new(move |_| plan::groups(&state.plan.get()));
    view! {
        <section class="card" aria-labelledby="vaccines-all-heading" data-testid="vaccines-schedule">
            <h2 id="vaccines-all-heading">{t!(i18n, vaccines_schedule_title)}</h2>
            {move || {
                groups
                    .get()
                    .into_iter()
                    .map(|group| {
                        let id = format!("vaccine-{}", group.vaccine);
                        let labelled = id.clone();
                        let vaccine = group.vaccine.clone();
                        view! {
                            <section class="vax-group" aria-labelledby=labelled data-vaccine=group.vaccine.clone()>
                                <h3 id=id>{move || words::vaccine_name(&vaccine, words::lang(i18n))}</h3>
                                <ul class="vax-list">
                                    {group
                                        .doses
                                        .into_iter()
                                        .map(|dose| view! { <DoseItem dose with_name=false /> })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                    })
                    .collect_view()
            }}
        </section>
    }
}

/// One dose: its name (or number), its status and the days that matter for it.
#[component]
fn DoseItem(dose: DoseStatus, with_name: bool) -> impl IntoView {
    let i18n = use_i18n();
    let status = dose.status;
    let testid = format!("dose-{}-{}", dose.vaccine, dose.dose);
    let body = move || {
        let lang = words::lang(i18n);
        let title = if with_name {
            format!(
                "{} {}",
                words::vaccine_name(&dose.vaccine, lang),
                words::dose_label(dose.dose, lang)
            )
        } else {
            words::dose_label(dose.dose, lang)
        };
        let mut facts: Vec<(&'static str, String)> = Vec::new();
        match status {
            Status::Done => {
                if let Some(given) = dose.given_on {
                    facts.push((t_string!(i18n, vaccines_given_on), words::day(given, lang)));
                }
            }
            Status::Due | Status::Overdue | Status::Upcoming => {
                facts.push((
                    t_string!(i18n, vaccines_window),
                    words::window(dose.due, dose.due_until, lang),
                ));
                facts.push((
                    t_string!(i18n, vaccines_earliest),
                    words::day(dose.earliest, lang),
                ));
                facts.push((
                    t_string!(i18n, vaccines_last),
                    words::day(dose.last_eligible, lang),
                ));
            }
            Status::NoLongerEligible | Status::NotNeeded => {}
        }
        let open = plan::is_open(status);
        let one_of = (open && !dose.one_of.is_empty()).then(|| {
            let others: Vec<String> = dose
                .one_of
                .iter()
                .map(|id| words::vaccine_name(id, lang))
                .collect();
            t_string!(i18n, vaccines_one_of, other = others.join("・")).to_string()
        });
        let products = (open && !dose.products.is_empty()).then(|| {
            t_string!(i18n, vaccines_products, products = dose.products.join("・")).to_string()
        });
        view! {
            <p class="vax-title">
                <strong>{title}</strong>
                " "
                <span class=words::status_class(status) data-testid="dose-status">{words::status(status, lang)}</span>
            </p>
            {(!facts.is_empty()).then(|| view! {
                <dl class="facts">
                    {facts
                        .into_iter()
                        .map(|(term, value)| view! { <dt>{term}</dt><dd>{value}</dd> })
                        .collect_view()}
                </dl>
            })}
            {one_of.map(|text| view! { <p class="note">{text}</p> })}
            {products.map(|text| view! { <p class="note">{text}</p> })}
        }
    };
    view! { <li class="vax-dose" data-testid=testid>{body}</li> }
}
