//! The demo 回覧板: three circulars dated from the seeding day, with the reads the demo
//! members have made and the counts the server keeps for them.

use domain::{
    circulars::{CIRCULAR_COLLECTION, Circular, READ_COLLECTION, Read},
    dates::Day,
    sync::protocol::Scope,
};

use super::{HIKARIGAOKA, SAKURADAI};
use crate::{circulars, db::Db, sync};

/// A demo 回覧板: (id, association, posted how many days before the seeding day, title,
/// body, due how many days after the seeding day, the members who have read it, each
/// with the fixed id of their read record).
type DemoCircular = (
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
    Option<i64>,
    &'static [(&'static str, &'static str)],
);

const CIRCULARS: &[DemoCircular] = &[
    (
        "0193a6f0-0000-7000-8000-0000000c0001",
        SAKURADAI,
        3,
        "年末年始のごみ・資源の収集について",
        "年末年始は、ごみと資源の収集日が変わります。\n\
         最後の収集は12月30日（水）、年明けは1月4日（月）からです。\n\
         集積所には収集日の朝8時までに出してください。\n\
         カラスよけのネットは、使った後に必ずたたんでください。\n\n\
         桜台つつじ町会 環境部",
        None,
        &[(
            "0193a6f0-0000-7000-8000-0000000000b2",
            "0193a6f0-0000-7000-8000-0000000c0a01",
        )],
    ),
    (
        "0193a6f0-0000-7000-8000-0000000c0002",
        SAKURADAI,
        1,
        "町会費（後期分）集金のお願い",
        "後期分の町会費（1世帯 1,200円）の集金に、班長が伺います。\n\
         お留守の場合は、町会事務所（桜台会館1階）でもお納めいただけます。\n\
         受付は平日の10時から15時までです。\n\
         集めた町会費は、防犯灯の電気代や防災倉庫の備品に使います。",
        Some(14),
        &[],
    ),
    (
        "0193a6f0-0000-7000-8000-0000000c0003",
        HIKARIGAOKA,
        2,
        "防災倉庫の点検と備蓄品の入れ替え",
        "光が丘第二公園の防災倉庫を点検し、期限の近い保存水と非常食を入れ替えます。\n\
         入れ替えた保存水は、ご希望の方に1世帯6本までお配りします。\n\
         お手伝いいただける方は、当日9時に倉庫前へお集まりください。\n\
         雨天の場合は翌週に延期します。",
        Some(10),
        &[(
            "0193a6f0-0000-7000-8000-0000000000b4",
            "0193a6f0-0000-7000-8000-0000000c0a03",
        )],
    ),
];

/// Posts the three demo circulars (dated from the seeding day) with the reads the demo
/// members have made, and the counts the server keeps for them. Circulars already
/// there are left as they are.
pub(super) async fn seed_circulars(db: &Db) -> anyhow::Result<usize> {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis() as f64;
    let today = Day::in_japan(now_ms);
    let mut added = 0;
    let mut tx = db.begin_write().await?;
    let mut seq = sync::take_counter(&mut tx).await?;
    for (id, association, days_ago, title, body, due_in, readers) in CIRCULARS {
        let exists: Option<String> =
            sqlx::query_scalar("SELECT id FROM sync_records WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_some() {
            continue;
        }
        let circular = Circular {
            association_id: (*association).into(),
            title: (*title).into(),
            body: (*body).into(),
            posted_on: today.add_days(-days_ago).to_string(),
            due_date: due_in.map(|days| today.add_days(days).to_string()),
            attachment: None,
        };
        circular
            .validate()
            .map_err(|code| anyhow::anyhow!("demo circular {id} is invalid: {code:?}"))?;
        let scope = Scope::of("association", association);
        let body = serde_json::to_string(&circular)?;
        sync::write_record(
            &mut tx,
            id,
            CIRCULAR_COLLECTION,
            &scope,
            &body,
            false,
            "demo",
            &mut seq,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        for (reader, read_id) in *readers {
            let read_at = crate::db::now();
            sqlx::query(
                "INSERT INTO circular_reads (circular_id, user_id, read_at) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(reader)
            .bind(&read_at)
            .execute(&mut *tx)
            .await?;
            let read = Read {
                circular_id: (*id).into(),
                read_at,
            };
            sync::write_record(
                &mut tx,
                read_id,
                READ_COLLECTION,
                &Scope::of("user", reader),
                &serde_json::to_string(&read)?,
                false,
                "demo",
                &mut seq,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        }
        circulars::write_counts(&mut tx, "demo", &mut seq, id, association)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        added += 1;
    }
    sync::store_counter(&mut tx, seq)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    tx.commit().await?;
    Ok(added)
}
