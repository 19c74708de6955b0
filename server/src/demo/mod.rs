//! `--demo`: fills an empty database with believable data so a newcomer can try every
//! role. Every row has a fixed id, slug or log-in name and is inserted only when
//! missing, so seeding twice changes nothing. The accounts and their password are
//! listed in README.md; never run `--demo` on a real deployment.

mod checkups;
mod circulars;
mod events;
mod handbook;
mod pregnancy;

use domain::{
    accounts::Role,
    associations::{Association, AssociationRole},
    dates::Day,
    families::FamilyRole,
};

use crate::{
    accounts, associations,
    db::{self, Db},
    families, passwords,
};

/// The password of every demo account (README.md lists them).
pub const DEMO_PASSWORD: &str = "tsunagaru-demo-2026";

const SAKURADAI: &str = "0193a6f0-0000-7000-8000-000000000001";
const HIKARIGAOKA: &str = "0193a6f0-0000-7000-8000-000000000002";
const FAMILY: &str = "0193a6f0-0000-7000-8000-00000000f001";
/// The same parents' second pregnancy: a handbook of its own.
const SECOND_FAMILY: &str = "0193a6f0-0000-7000-8000-00000000f002";

/// (id, log-in, display name, ward roles, association memberships, family role)
type DemoUser = (
    &'static str,
    &'static str,
    &'static str,
    &'static [Role],
    &'static [(&'static str, AssociationRole)],
    Option<FamilyRole>,
);

const USERS: &[DemoUser] = &[
    (
        "0193a6f0-0000-7000-8000-0000000000a1",
        "admin",
        "区役所 管理者",
        &[Role::Admin],
        &[],
        None,
    ),
    (
        "0193a6f0-0000-7000-8000-0000000000a2",
        "hoken",
        "保健相談所 保健師",
        &[Role::HealthStaff],
        &[],
        None,
    ),
    (
        "0193a6f0-0000-7000-8000-0000000000a3",
        "college",
        "カレッジ事務局",
        &[Role::CollegeStaff],
        &[],
        None,
    ),
    (
        "0193a6f0-0000-7000-8000-0000000000a4",
        "sakuradai-editor",
        "桜台つつじ町会 広報",
        &[],
        &[(SAKURADAI, AssociationRole::Editor)],
        None,
    ),
    (
        "0193a6f0-0000-7000-8000-0000000000a5",
        "hikarigaoka-editor",
        "光が丘みどり自治会 広報",
        &[],
        &[(HIKARIGAOKA, AssociationRole::Editor)],
        None,
    ),
    (
        "0193a6f0-0000-7000-8000-0000000000b1",
        "hanako",
        "練馬 花子",
        &[],
        &[(SAKURADAI, AssociationRole::Member)],
        Some(FamilyRole::Guardian),
    ),
    (
        "0193a6f0-0000-7000-8000-0000000000b2",
        "taro",
        "練馬 太郎",
        &[],
        &[(SAKURADAI, AssociationRole::Member)],
        Some(FamilyRole::Guardian),
    ),
    (
        "0193a6f0-0000-7000-8000-0000000000b3",
        "grandma",
        "練馬 トメ",
        &[],
        &[(HIKARIGAOKA, AssociationRole::Member)],
        Some(FamilyRole::Viewer),
    ),
    (
        "0193a6f0-0000-7000-8000-0000000000b4",
        "ichiro",
        "光が丘 一郎",
        &[],
        &[(HIKARIGAOKA, AssociationRole::Member)],
        None,
    ),
];

/// Seeds the demo data; returns how many rows were added this time.
/// The second pregnancy's handbook, with the first one's members in the same roles.
async fn seed_second_family(db: &Db) -> anyhow::Result<usize> {
    let today = Day::parse(&db::today_tokyo())
        .ok_or_else(|| anyhow::anyhow!("today in Tokyo is not a day"))?;
    let due = pregnancy::due_date(today).to_string();
    let mut members = USERS
        .iter()
        .filter_map(|user| user.5.map(|role| (user.0, role)));
    let Some((first, _)) = members.next() else {
        return Ok(0);
    };
    if !families::insert_family(db, SECOND_FAMILY, first, "未定", &due, true).await? {
        return Ok(0);
    }
    for (id, role) in members {
        families::add_member(db, SECOND_FAMILY, id, role).await?;
    }
    Ok(1)
}

pub async fn seed(db: &Db) -> anyhow::Result<usize> {
    let mut added = 0;
    for association in demo_associations() {
        added += usize::from(associations::insert_if_missing(db, &association).await?);
    }
    let hash = passwords::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut family_created = false;
    for (id, login, name, roles, memberships, family_role) in USERS {
        let created = accounts::create_user_with_id(db, id, login, name, &hash).await?;
        if created.is_none() {
            continue;
        }
        added += 1;
        for role in *roles {
            accounts::grant_role(db, id, *role).await?;
        }
        for (association, role) in *memberships {
            associations::add_member(db, association, id, *role).await?;
        }
        match family_role {
            Some(FamilyRole::Guardian) if !family_created => {
                // The family has consented to the health centre, so `hoken` can open it.
                // The child is about eight months old on the day of seeding.
                let today = Day::parse(&db::today_tokyo())
                    .ok_or_else(|| anyhow::anyhow!("today in Tokyo is not a day"))?;
                let born = handbook::birth_date(today).to_string();
                family_created =
                    families::insert_family(db, FAMILY, id, "練馬 さくら", &born, true).await?;
                added += usize::from(family_created);
            }
            Some(role) => families::add_member(db, FAMILY, id, *role).await?,
            None => {}
        }
    }
    if family_created {
        added += seed_second_family(db).await?;
    }
    added += handbook::seed_handbook(db, FAMILY).await?;
    added += pregnancy::seed_pregnancy(db, SECOND_FAMILY).await?;
    added += events::seed_events(db).await?;
    added += circulars::seed_circulars(db).await?;
    Ok(added)
}

fn demo_associations() -> Vec<Association> {
    [
        (
            SAKURADAI,
            "sakuradai-tsutsuji",
            "桜台つつじ町会",
            "桜台一丁目〜三丁目",
        ),
        (
            HIKARIGAOKA,
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
