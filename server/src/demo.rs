//! `--demo`: fills an empty database with believable data so a newcomer can try the app.
//! Every row has a fixed id or slug and is inserted only when missing, so seeding twice
//! changes nothing.

use domain::associations::Association;

use crate::{associations, db::Db};

/// Seeds the demo data; returns how many rows were added this time.
pub async fn seed(db: &Db) -> Result<usize, sqlx::Error> {
    let mut added = 0;
    for association in demo_associations() {
        added += usize::from(associations::insert_if_missing(db, &association).await?);
    }
    Ok(added)
}

fn demo_associations() -> Vec<Association> {
    [
        (
            "0193a6f0-0000-7000-8000-000000000001",
            "sakuradai-tsutsuji",
            "桜台つつじ町会",
            "桜台一丁目〜三丁目",
        ),
        (
            "0193a6f0-0000-7000-8000-000000000002",
            "hikarigaoka-midori",
            "光が丘みどり自治会",
            "光が丘二丁目・三丁目",
        ),
    ]
    .into_iter()
    .map(|(id, slug, name, area)| Association {
        id: id.into(),
        slug: slug.into(),
        name: name.into(),
        area: area.into(),
    })
    .collect()
}
