//! Signing out forgets the phone's data: every IndexedDB database of the app goes,
//! whatever its name, even one whose store is still open in this tab.
#![cfg(target_arch = "wasm32")]

use app::sync_store::IdbStore;
use indexed_db_futures::{database::Database, factory::DBFactory};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The names of this origin's databases, as the browser lists them.
async fn names() -> Vec<String> {
    let listed = DBFactory::new()
        .unwrap()
        .databases()
        .unwrap()
        .await
        .unwrap();
    let mut names: Vec<String> = listed.map(|d| d.unwrap().name().to_owned()).collect();
    names.sort();
    names
}

#[wasm_bindgen_test]
async fn signing_out_deletes_every_database_of_the_app_even_one_still_open() {
    let open = IdbStore::open("tsunagaru-sync-user-a", || "phone-a".into())
        .await
        .unwrap();
    IdbStore::open("tsunagaru-sync-user-b", || "phone-b".into())
        .await
        .unwrap()
        .close();
    // A database under a name this version does not use (an older version's, say).
    Database::open("tsunagaru-old").await.unwrap().close();
    let before = names().await;
    for name in [
        "tsunagaru-old",
        "tsunagaru-sync-user-a",
        "tsunagaru-sync-user-b",
    ] {
        assert!(before.iter().any(|n| n == name), "{name} in {before:?}");
    }

    // Ends only when every deletion has: the open store closed itself when asked.
    app::account::state::forget_stored_data().await;
    assert_eq!(names().await, Vec::<String>::new());
    drop(open);
}
