//! 町会・自治会 event board: upcoming events as a list and as a month calendar, filtered
//! by area, kind and association and searched by words (Japanese too: no word
//! splitting), all from this phone's copy, so it works without a signal. Notices about
//! the events a person joined sit on top; editors find their drafts and a way to write
//! a new event. The event page is `event.rs`, the editor's form `event_form.rs`.

use std::collections::{BTreeMap, BTreeSet};

use domain::{
    dates::{Day, days_in_month},
    events::{Category, Change},
    search,
};
use leptos::prelude::*;

use super::{
    board::{self, Listed},
    cache::{Loaded, use_board},
    card::EventCard,
    words::{category_name, day_words, lang, month_heading, weekday_name},
};
use crate::{
    account::state::Account,
    browser,
    components::RequireSignIn,
    form::FormError,
    i18n::*,
    routing::{Id, Page},
    routing::{Link, Router},
    sync::Sync,
};

#[component]
pub fn Events() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, events_title)}</h1>
        <p class="lead">{t!(i18n, events_lead)}</p>
        <RequireSignIn>
            <BoardPage />
        </RequireSignIn>
    }
}

/// Cards the list draws at first, and more with each 「さらに表示」: drawing all of
/// 2,000 events took far longer than the 100 ms a search may take.
const PAGE: usize = 50;

/// The list or the month.
#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    List,
    Month,
}

#[component]
fn BoardPage() -> impl IntoView {
    let i18n = use_i18n();
    let account = Account::get();
    let loaded = use_board();
    let query = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let association = RwSignal::new(String::new());
    let view_mode = RwSignal::new(View::List);
    // How many matches the list draws; a new search or filter starts from the top again.
    let shown = RwSignal::new(PAGE);
    let today = Day::parse(&browser::today()).unwrap_or(Day {
        year: 2026,
        month: 1,
        day: 1,
    });
    let month = RwSignal::new((today.year, today.month));
    let editor = Memo::new(move |_| {
        account
            .me()
            .is_some_and(|me| !board::edited(&me).is_empty())
    });

    // The events that pass the filters (the month view then keeps its month's).
    let matching = Memo::new(move |_| {
        let terms = search::terms(&query.get());
        let (area, category, association) = (area.get(), category.get(), association.get());
        let today = today.to_string();
        loaded.board.with(|board| {
            board
                .events
                .iter()
                .filter(|l| {
                    // A fair's programmes are listed on the fair's page, unless searched.
                    (l.event.fair_id.is_none() || !terms.is_empty())
                        && (area.is_empty() || l.event.area == area)
                        && (category.is_empty() || l.event.category.as_str() == category)
                        && (association.is_empty() || l.event.association_id == association)
                        && (terms.is_empty() || search::matches(l.folded(), &terms))
                        && (view_mode.get() == View::Month || l.event.end_date >= today)
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let areas = Memo::new(move |_| {
        loaded.board.with(|b| {
            b.events
                .iter()
                .map(|l| l.event.area.clone())
                .filter(|a| !a.is_empty())
                .collect::<BTreeSet<_>>()
        })
    });
    let associations = Memo::new(move |_| {
        let names = loaded.names.get();
        loaded.board.with(|b| {
            b.events
                .iter()
                .map(|l| l.event.association_id.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(|id| {
                    let name = names.get(&id).map(|a| a.name.clone()).unwrap_or(id.clone());
                    (id, name)
                })
                .collect::<Vec<_>>()
        })
    });

    view! {
        <div class="page-actions">
            <Link page=Page::Circulars class="button secondary">{t!(i18n, board_circulars)}</Link>
            {move || editor.get().then(|| view! {
                <Link page=Page::EventNew class="button">{t!(i18n, board_new_event)}</Link>
            })}
        </div>
        <FormError error=loaded.error />
        <Notices loaded />
        <Drafts loaded />
        <section class="card board-filters" aria-labelledby="find-heading">
            <h2 id="find-heading">{t!(i18n, board_find)}</h2>
            <form role="search" class="filters" on:submit=|e| e.prevent_default()>
                <div class="field">
                    <label for="board-query">{t!(i18n, board_query)}</label>
                    <p id="board-query-hint" class="field-hint">{t!(i18n, board_query_hint)}</p>
                    <input
                        id="board-query"
                        type="search"
                        aria-describedby="board-query-hint"
                        prop:value=move || query.get()
                        on:input=move |e| {
                            shown.set(PAGE);
                            query.set(event_target_value(&e));
                        }
                    />
                </div>
                <div class="field">
                    <label for="board-area">{t!(i18n, board_area)}</label>
                    <select id="board-area" on:change=move |e| {
                        shown.set(PAGE);
                        area.set(event_target_value(&e));
                    }>
                        <option value="">{t!(i18n, board_all)}</option>
                        {move || areas.get().into_iter().map(|a| {
                            let selected = area.get_untracked() == a;
                            view! { <option value=a.clone() selected=selected>{a.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="board-category">{t!(i18n, board_category)}</label>
                    <select id="board-category" on:change=move |e| {
                        shown.set(PAGE);
                        category.set(event_target_value(&e));
                    }>
                        <option value="">{t!(i18n, board_all)}</option>
                        {move || {
                            let lang = lang(i18n);
                            Category::ALL.into_iter().map(|c| view! {
                                <option value=c.as_str()>{category_name(c, lang)}</option>
                            }).collect_view()
                        }}
                    </select>
                </div>
                <div class="field">
                    <label for="board-association">{t!(i18n, board_association)}</label>
                    <select id="board-association" on:change=move |e| {
                        shown.set(PAGE);
                        association.set(event_target_value(&e));
                    }>
                        <option value="">{t!(i18n, board_all)}</option>
                        {move || associations.get().into_iter().map(|(id, name)| {
                            view! { <option value=id>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </form>
            <div class="view-switch" role="group" aria-label=move || t_string!(i18n, board_view_label)>
                <button
                    type="button"
                    class="button secondary"
                    aria-pressed=move || (view_mode.get() == View::List).to_string()
                    on:click=move |_| view_mode.set(View::List)
                >
                    {t!(i18n, board_view_list)}
                </button>
                <button
                    type="button"
                    class="button secondary"
                    aria-pressed=move || (view_mode.get() == View::Month).to_string()
                    on:click=move |_| view_mode.set(View::Month)
                >
                    {t!(i18n, board_view_month)}
                </button>
            </div>
        </section>
        {move || match view_mode.get() {
            View::List => view! { <List loaded matching shown /> }.into_any(),
            View::Month => view! { <Month loaded matching month /> }.into_any(),
        }}
    }
}

/// The matching events, the first `shown` of them drawn, then a button for more.
#[component]
fn List(loaded: Loaded, matching: Memo<Vec<Listed>>, shown: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="list-heading">
            <h2 id="list-heading">{t!(i18n, board_upcoming)}</h2>
            <p role="status" data-testid="board-count">
                {move || {
                    if !loaded.ready.get() {
                        return t_string!(i18n, gate_checking).to_string();
                    }
                    t_string!(i18n, board_count, n = matching.with(Vec::len)).to_string()
                }}
            </p>
            <ul class="event-list long-list" id="board-list">
                {move || {
                    let board = loaded.board.get();
                    let names = loaded.names.get();
                    matching.with(|matching| {
                        matching
                            .iter()
                            .take(shown.get())
                            .cloned()
                            .map(|listed| view! { <EventCard listed board=board.clone() names=names.clone() /> })
                            .collect_view()
                    })
                }}
            </ul>
            {move || {
                let left = matching.with(Vec::len).saturating_sub(shown.get());
                (left > 0).then(|| view! {
                    <button
                        type="button"
                        class="button secondary"
                        data-testid="board-more"
                        on:click=move |_| {
                            let first_new = shown.get_untracked() + 1;
                            shown.update(|n| *n += PAGE);
                            // The list is drawn again and this button with it: carry on
                            // from the first new event rather than from the page's top.
                            request_animation_frame(move || {
                                browser::focus_first(&format!(
                                    "#board-list > li:nth-child({first_new}) .event-link"
                                ));
                            });
                        }
                    >
                        {t_string!(i18n, board_more, n = left.min(PAGE)).to_string()}
                    </button>
                })
            }}
        </section>
    }
}

/// A month as a calendar (days with events marked), then that month's events by day.
#[component]
fn Month(
    loaded: Loaded,
    matching: Memo<Vec<Listed>>,
    month: RwSignal<(i32, u32)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let step = move |by: i32| {
        month.update(|(y, m)| {
            let index = *y * 12 + *m as i32 - 1 + by;
            *y = index.div_euclid(12);
            *m = index.rem_euclid(12) as u32 + 1;
        });
    };
    // Events by day of the shown month (an event over several days is on each).
    let by_day = Memo::new(move |_| {
        let (year, m) = month.get();
        let mut days: BTreeMap<u32, Vec<Listed>> = BTreeMap::new();
        for listed in matching.get() {
            let Some(((start, _), (end, _))) = listed.event.span() else {
                continue;
            };
            for d in 1..=days_in_month(year, m) {
                let day = Day {
                    year,
                    month: m,
                    day: d,
                };
                if start <= day && day <= end {
                    days.entry(d).or_default().push(listed.clone());
                }
            }
        }
        days
    });
    let title = move || {
        let (y, m) = month.get();
        month_heading(y, m, lang(i18n))
    };
    view! {
        <section aria-labelledby="month-heading" class="month">
            <h2 id="month-heading">{title}</h2>
            <div class="page-actions">
                <button type="button" class="button secondary" on:click=move |_| step(-1)>
                    {t!(i18n, board_month_before)}
                </button>
                <button type="button" class="button secondary" on:click=move |_| step(1)>
                    {t!(i18n, board_month_after)}
                </button>
            </div>
            <table class="month-grid">
                <caption class="visually-hidden">{title}</caption>
                <thead>
                    <tr>
                        {move || {
                            let lang = lang(i18n);
                            (0..7).map(|w| {
                                view! { <th scope="col">{weekday_name(w, lang)}</th> }
                            }).collect_view()
                        }}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let (year, m) = month.get();
                        let first = Day { year, month: m, day: 1 };
                        let days = by_day.get();
                        let lead = first.weekday();
                        let total = days_in_month(year, m);
                        let cells: Vec<Option<u32>> = (0..lead)
                            .map(|_| None)
                            .chain((1..=total).map(Some))
                            .collect();
                        cells
                            .chunks(7)
                            .map(|week| {
                                let mut week = week.to_vec();
                                week.resize(7, None);
                                view! {
                                    <tr>
                                        {week.into_iter().map(|d| match d {
                                            None => view! { <td></td> }.into_any(),
                                            Some(d) => {
                                                let n = days.get(&d).map_or(0, Vec::len);
                                                view! {
                                                    <td class={if n > 0 { "has-events" } else { "" }}>
                                                        <span class="day-number">{d}</span>
                                                        {(n > 0).then(|| view! {
                                                            <span class="day-count">
                                                                {t_string!(i18n, board_day_count, n = n).to_string()}
                                                            </span>
                                                        })}
                                                    </td>
                                                }.into_any()
                                            }
                                        }).collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
            {move || {
                let days = by_day.get();
                if days.is_empty() {
                    return view! { <p>{t!(i18n, board_month_empty)}</p> }.into_any();
                }
                let (year, m) = month.get();
                let board = loaded.board.get();
                let names = loaded.names.get();
                let lang = lang(i18n);
                days.into_iter().map(|(d, events)| {
                    let day = Day { year, month: m, day: d };
                    view! {
                        <h3 class="month-day">{day_words(day, lang)}</h3>
                        <ul class="event-list">
                            {events.into_iter().map(|listed| view! {
                                <EventCard listed board=board.clone() names=names.clone() />
                            }).collect_view()}
                        </ul>
                    }
                }).collect_view().into_any()
            }}
        </section>
    }
}

/// Notices about events the person joined: moved, called off, or a place came free.
#[component]
fn Notices(loaded: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    let sync = Sync::get();
    let router = Router::get();
    move || {
        let notices = loaded.board.with(|b| b.notices.clone());
        if notices.is_empty() {
            return ().into_any();
        }
        let lang = lang(i18n);
        view! {
            <section class="card notices-card" aria-labelledby="event-notices-heading">
                <h2 id="event-notices-heading">{t!(i18n, notice_heading)}</h2>
                <ul class="notice-list" data-testid="event-notices">
                    {notices.into_iter().map(|(id, notice)| {
                        let what = match notice.change {
                            Change::Moved => t_string!(i18n, notice_moved),
                            Change::Cancelled => t_string!(i18n, notice_cancelled),
                            Change::Promoted => t_string!(i18n, notice_promoted),
                        };
                        let day = Day::parse(&notice.start_date)
                            .map(|d| day_words(d, lang))
                            .unwrap_or_default();
                        let time = notice.start_time.clone().unwrap_or_default();
                        let page = Id::parse(&notice.event_id).map(Page::Event);
                        view! {
                            <li>
                                <p class="notice-what">{what}</p>
                                <p>{notice.title.clone()}</p>
                                <p>{format!("{day} {time} ・ {}", notice.venue)}</p>
                                <div class="page-actions">
                                    {page.map(|page| view! {
                                        <button type="button" class="button secondary" on:click=move |_| router.go(page)>
                                            {t!(i18n, notice_open)}
                                        </button>
                                    })}
                                    <button type="button" class="button" on:click=move |_| {
                                        let id = id.clone();
                                        leptos::task::spawn_local(async move {
                                            let _ = sync.delete(&id).await;
                                        });
                                    }>
                                        {t!(i18n, notice_dismiss)}
                                    </button>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
        .into_any()
    }
}

/// The drafts of the associations this person edits.
#[component]
fn Drafts(loaded: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let board = loaded.board.get();
        if board.drafts.is_empty() {
            return ().into_any();
        }
        let names = loaded.names.get();
        view! {
            <section class="card" aria-labelledby="drafts-heading">
                <h2 id="drafts-heading">{t!(i18n, board_drafts)}</h2>
                <p>{t!(i18n, board_drafts_lead)}</p>
                <ul class="event-list" data-testid="drafts">
                    {board.drafts.iter().cloned().map(|listed| view! {
                        <EventCard listed board=board.clone() names=names.clone() />
                    }).collect_view()}
                </ul>
            </section>
        }
        .into_any()
    }
}
