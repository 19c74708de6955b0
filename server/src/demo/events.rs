//! The demo board: a month of events dated from the seeding day, the fair with its
//! programmes, and the smartphone class that fills up with one party waiting.

use domain::{
    dates::Day,
    events::{Category, EVENT_COLLECTION, Event},
    sync::protocol::Scope,
};

use super::{HIKARIGAOKA, SAKURADAI};
use crate::{db::Db, events, sync};

/// An event of the demo board: (id, association, title, category, days from the seeding
/// day (and how many days it lasts), times, venue, address, area, description,
/// RSVP with (capacity, reserved), fair it belongs to).
struct DemoEvent {
    id: &'static str,
    association: &'static str,
    title: &'static str,
    category: Category,
    in_days: i64,
    days: i64,
    times: Option<(&'static str, &'static str)>,
    venue: &'static str,
    address: &'static str,
    area: &'static str,
    description: &'static str,
    rsvp: Option<(Option<u32>, u32)>,
    contact: &'static str,
    fair: Option<&'static str>,
}

const FESTA: &str = "0193a6f0-0000-7000-8000-0000000e0f00";
/// The event that fills up, with a waiting list.
const SMARTPHONE_CLASS: &str = "0193a6f0-0000-7000-8000-0000000e0005";

fn demo_events(summer: bool) -> Vec<DemoEvent> {
    let festival_title = if summer {
        "桜台 夏祭り（盆踊り・模擬店）"
    } else {
        "桜台 もちつき大会"
    };
    let festival_text = if summer {
        "今年も桜台公園で夏祭りを開きます。盆踊り、焼きそば・かき氷の模擬店、子ども向けのヨーヨー釣りがあります。\n浴衣でのご参加も歓迎です。雨天の場合は翌日に延期します。"
    } else {
        "町会恒例のもちつき大会です。つきたてのおもちを、きなこ・あんこ・おろしでどうぞ。\nお子さんも杵を持ってつく体験ができます。雨天中止（当日朝7時に掲示板でお知らせします）。"
    };
    let mut events = vec![
        DemoEvent {
            id: "0193a6f0-0000-7000-8000-0000000e0001",
            association: SAKURADAI,
            title: "桜台つつじ町会 防災訓練",
            category: Category::DisasterPrep,
            in_days: 9,
            days: 1,
            times: Some(("09:00", "11:30")),
            venue: "桜台公園",
            address: "練馬区桜台一丁目",
            area: "桜台一丁目",
            description: "地震を想定した避難訓練と、消火器・起震車の体験を行います。\n練馬消防署の方が来てくださいます。動きやすい服装でお越しください。軍手があると便利です。",
            rsvp: Some((Some(80), 5)),
            contact: "桜台つつじ町会 防災部 山田（03-0000-0001）",
            fair: None,
        },
        DemoEvent {
            id: "0193a6f0-0000-7000-8000-0000000e0002",
            association: SAKURADAI,
            title: festival_title,
            category: Category::Festival,
            in_days: 16,
            days: 1,
            times: Some(("10:00", "14:00")),
            venue: "桜台公園",
            address: "練馬区桜台一丁目",
            area: "桜台一丁目",
            description: festival_text,
            rsvp: None,
            contact: "桜台つつじ町会 行事部",
            fair: None,
        },
        DemoEvent {
            id: "0193a6f0-0000-7000-8000-0000000e0003",
            association: SAKURADAI,
            title: "石神井川沿い 清掃活動",
            category: Category::Cleanup,
            in_days: 5,
            days: 1,
            times: Some(("08:00", "09:30")),
            venue: "桜台橋のたもと（集合）",
            address: "練馬区桜台二丁目",
            area: "桜台二丁目",
            description: "川沿いの遊歩道のごみ拾いと落ち葉はきをします。ごみ袋・トングは町会で用意します。\n途中参加・途中退出も大丈夫です。",
            rsvp: Some((None, 0)),
            contact: "桜台つつじ町会 環境部",
            fair: None,
        },
        DemoEvent {
            id: "0193a6f0-0000-7000-8000-0000000e0004",
            association: SAKURADAI,
            title: "子育てサロン「ぽかぽか」",
            category: Category::Childcare,
            in_days: 12,
            days: 1,
            times: Some(("10:00", "11:30")),
            venue: "桜台地区区民館 和室",
            address: "練馬区桜台三丁目",
            area: "桜台三丁目",
            description: "0〜3歳のお子さんと保護者の方の集まりです。おもちゃで遊びながら、子育ての話をしましょう。\n保健師さんの育児相談もあります（予約不要）。",
            rsvp: Some((Some(12), 0)),
            contact: "桜台つつじ町会 子ども部",
            fair: None,
        },
        DemoEvent {
            id: SMARTPHONE_CLASS,
            association: HIKARIGAOKA,
            title: "はじめてのスマホ教室（シニア向け）",
            category: Category::Seniors,
            in_days: 7,
            days: 1,
            times: Some(("13:30", "15:00")),
            venue: "光が丘区民センター 2階 集会室",
            address: "練馬区光が丘二丁目",
            area: "光が丘二丁目",
            description: "電話のかけ方、写真の撮り方、このアプリでイベントを探す方法を、ゆっくり説明します。\nお使いのスマートフォンをお持ちください。少人数なので、わからないところは何度でも聞けます。",
            rsvp: Some((Some(6), 1)),
            contact: "光が丘みどり自治会 事務局",
            fair: None,
        },
        DemoEvent {
            id: "0193a6f0-0000-7000-8000-0000000e0006",
            association: HIKARIGAOKA,
            title: "いきいき体操の会",
            category: Category::Seniors,
            in_days: 3,
            days: 1,
            times: Some(("10:00", "11:00")),
            venue: "光が丘公園 けやき広場",
            address: "練馬区光が丘四丁目",
            area: "光が丘四丁目",
            description: "椅子に座ってもできる、やさしい体操です。雨の日は光が丘区民センターで行います。",
            rsvp: None,
            contact: "光が丘みどり自治会 健康部",
            fair: None,
        },
        DemoEvent {
            id: "0193a6f0-0000-7000-8000-0000000e0007",
            association: HIKARIGAOKA,
            title: "やさしい日本語で話そう 交流会",
            category: Category::Learning,
            in_days: 20,
            days: 1,
            times: Some(("14:00", "16:00")),
            venue: "光が丘区民センター 3階 和室",
            address: "練馬区光が丘二丁目",
            area: "光が丘二丁目",
            description: "地域に住む外国出身の方と、お茶を飲みながら話しましょう。日本語が得意でなくても大丈夫です。",
            rsvp: Some((Some(30), 0)),
            contact: "光が丘みどり自治会 国際交流部",
            fair: None,
        },
        DemoEvent {
            id: FESTA,
            association: HIKARIGAOKA,
            title: "練馬つながるフェスタ",
            category: Category::Festa,
            in_days: 23,
            days: 2,
            times: None,
            venue: "区立図書館6館",
            address: "",
            area: "",
            description: "地域の団体・町会・自治会が、区内6つの図書館で体験や展示を行います。\n会場ごとに時間と定員がちがいます。下の「会場とプログラム」からお申し込みください。",
            rsvp: None,
            contact: "練馬つながるフェスタ実行委員会",
            fair: None,
        },
    ];
    let programmes = [
        (
            "0193a6f0-0000-7000-8000-0000000e0f01",
            "練馬図書館",
            "練馬区豊玉北六丁目",
            "絵本の読み聞かせと手あそび",
            0,
            ("10:30", "11:15"),
            20,
        ),
        (
            "0193a6f0-0000-7000-8000-0000000e0f02",
            "石神井図書館",
            "練馬区石神井町五丁目",
            "昔のあそび（こま・けん玉）体験",
            0,
            ("13:00", "15:00"),
            30,
        ),
        (
            "0193a6f0-0000-7000-8000-0000000e0f03",
            "大泉図書館",
            "練馬区東大泉一丁目",
            "防災グッズを作ろう",
            0,
            ("10:00", "12:00"),
            16,
        ),
        (
            "0193a6f0-0000-7000-8000-0000000e0f04",
            "平和台図書館",
            "練馬区平和台一丁目",
            "町会の歩み 写真展とお話し会",
            1,
            ("11:00", "12:00"),
            40,
        ),
        (
            "0193a6f0-0000-7000-8000-0000000e0f05",
            "光が丘図書館",
            "練馬区光が丘四丁目",
            "多言語おはなし会（英語・中国語・やさしい日本語）",
            1,
            ("14:00", "15:00"),
            25,
        ),
        (
            "0193a6f0-0000-7000-8000-0000000e0f06",
            "関町図書館",
            "練馬区関町北一丁目",
            "シニアのためのタブレット相談",
            1,
            ("13:30", "16:00"),
            12,
        ),
    ];
    for (id, venue, address, title, day, times, capacity) in programmes {
        events.push(DemoEvent {
            id,
            association: HIKARIGAOKA,
            title,
            category: Category::Festa,
            in_days: 23 + day,
            days: 1,
            times: Some(times),
            venue,
            address,
            area: "",
            description: "練馬つながるフェスタのプログラムです。",
            rsvp: Some((Some(capacity), 0)),
            contact: "練馬つながるフェスタ実行委員会",
            fair: Some(FESTA),
        });
    }
    events
}

/// Publishes the demo month of events (dated from the day of seeding, so the board
/// always has coming events) and fills the smartphone class, one party on its waiting
/// list. Events already there are left as they are.
pub(super) async fn seed_events(db: &Db) -> anyhow::Result<usize> {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis() as f64;
    let today = Day::in_japan(now_ms);
    let mut added = 0;
    let mut tx = db.begin_write().await?;
    let mut seq = sync::take_counter(&mut tx).await?;
    for demo in demo_events((5..=9).contains(&today.month)) {
        let exists: Option<String> =
            sqlx::query_scalar("SELECT id FROM sync_records WHERE id = $1")
                .bind(demo.id)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_some() {
            continue;
        }
        let start = today.add_days(demo.in_days);
        let event = Event {
            association_id: demo.association.into(),
            title: demo.title.into(),
            description: demo.description.into(),
            category: demo.category,
            start_date: start.to_string(),
            start_time: demo.times.map(|t| t.0.into()),
            end_date: start.add_days(demo.days - 1).to_string(),
            end_time: demo.times.map(|t| t.1.into()),
            venue: demo.venue.into(),
            address: demo.address.into(),
            area: demo.area.into(),
            rsvp_needed: demo.rsvp.is_some(),
            capacity: demo.rsvp.and_then(|r| r.0),
            reserved: demo.rsvp.map_or(0, |r| r.1),
            contact: demo.contact.into(),
            cancelled: false,
            fair_id: demo.fair.map(Into::into),
        };
        event
            .validate()
            .map_err(|code| anyhow::anyhow!("demo event {} is invalid: {code:?}", demo.id))?;
        let body = serde_json::to_string(&event)?;
        sync::write_record(
            &mut tx,
            demo.id,
            EVENT_COLLECTION,
            &Scope::public(),
            &body,
            false,
            "demo",
            &mut seq,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        added += 1;
    }
    sync::store_counter(&mut tx, seq)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    tx.commit().await?;
    if added > 0 {
        // 5 places offered: 1 + 2 + 2 fill them; the next party waits.
        for (user, name, adults, children, n) in [
            ("0193a6f0-0000-7000-8000-0000000000b3", "練馬 トメ", 1, 0, 1),
            (
                "0193a6f0-0000-7000-8000-0000000000b4",
                "光が丘 一郎",
                2,
                0,
                2,
            ),
            ("0193a6f0-0000-7000-8000-0000000000b2", "練馬 太郎", 2, 0, 3),
            ("0193a6f0-0000-7000-8000-0000000000b1", "練馬 花子", 1, 0, 4),
        ] {
            let rsvp_id = format!("0193a6f0-0000-7000-8000-0000000e05a{n}");
            events::seed_rsvp(db, user, name, &rsvp_id, SMARTPHONE_CLASS, adults, children)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        }
    }
    Ok(added)
}
