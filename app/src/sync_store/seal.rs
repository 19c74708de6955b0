//! Handbook data at rest (ARCHITECTURE.md, "Handbook data at rest"): every value of a
//! family scope (health data) is stored sealed with AES-GCM under this store's own key,
//! a WebCrypto key made with `extractable = false` when the store is made (at sign-in)
//! and kept as a `CryptoKey` in the store's `meta` (so deleting the store at sign-out
//! deletes the key with the data). Its bytes never reach this code.
//!
//! A sealed value keeps in the clear only what lookups need (a record's `id`, `scope`
//! and `version`; an outbox entry's `id`) and adds `iv` (96 random bits, new for every
//! value) and `sealed` (the ciphertext of the value's JSON). Other scopes (public
//! events, circulars) are stored as before: they are not health data, and the first
//! sync of 10,000 events must not pay for sealing.

use domain::sync::{
    client::{Notice, StoreError},
    protocol::{Mutation, Op, Outcome, Refusal, Scope},
};
use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::CryptoKey;

const ALGORITHM: &str = "AES-GCM";
const IV: &str = "iv";
const SEALED: &str = "sealed";
/// The `meta` row that holds the key.
pub(super) const KEY_ROW: &str = "key";
/// The `meta` row set once every family value of the store is sealed under its key.
pub(super) const SEALED_ROW: &str = "sealed";

/// Whether values of `scope` are sealed: a family's scope, where the handbook lives.
pub fn seals(scope: &Scope) -> bool {
    scope.parts().0 == "family"
}

/// Whether `op` is sealed in the outbox and in notices: a put into a family scope (a
/// deletion names only an id, and commands are not the handbook's).
pub(super) fn seals_op(op: &Op) -> bool {
    matches!(op, Op::Put { scope, .. } if seals(scope))
}

fn crypto_error(_: JsValue) -> StoreError {
    StoreError("WebCrypto is not available".into())
}

fn crypto() -> Result<web_sys::Crypto, StoreError> {
    crate::browser::window()
        .ok_or_else(|| crypto_error(JsValue::NULL))?
        .crypto()
        .map_err(crypto_error)
}

/// A new AES-GCM 256 key that cannot be exported.
pub(super) async fn new_key() -> Result<CryptoKey, StoreError> {
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let params = params("length", &JsValue::from_f64(256.0))?;
    let made = crypto()?
        .subtle()
        .generate_key_with_object(&params, false, &usages)
        .map_err(crypto_error)?;
    Ok(JsFuture::from(made)
        .await
        .map_err(crypto_error)?
        .unchecked_into())
}

/// `{name: "AES-GCM", <name>: <value>}`: the parameters of a key or of one encryption
/// (plain objects: web-sys's dictionaries would add JS glue to the first load).
fn params(name: &str, value: &JsValue) -> Result<Object, StoreError> {
    clear_fields(&[
        ("name", JsValue::from_str(ALGORITHM)),
        (name, value.clone()),
    ])
}

fn field(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

pub(super) fn set(value: &JsValue, name: &str, to: &JsValue) -> Result<(), StoreError> {
    Reflect::set(value, &JsValue::from_str(name), to)
        .map(drop)
        .map_err(|_| StoreError("a value could not be made".into()))
}

/// Whether a stored value is sealed.
pub(super) fn is_sealed(value: &JsValue) -> bool {
    field(value, SEALED).is_object()
}

/// Seals each `(text, clear)`: `clear` (the fields kept in the clear) with `iv` and
/// `sealed` added. Every encryption is started before the first is waited for.
pub(super) async fn seal_all(
    key: &CryptoKey,
    values: Vec<(String, Object)>,
) -> Result<Vec<JsValue>, StoreError> {
    let crypto = crypto()?;
    let subtle = crypto.subtle();
    let mut started: Vec<(Object, Promise)> = Vec::with_capacity(values.len());
    for (text, clear) in values {
        let mut iv = [0u8; 12];
        crypto
            .get_random_values_with_u8_array(&mut iv)
            .map_err(crypto_error)?;
        let iv = Uint8Array::from(&iv[..]);
        let promise = subtle
            .encrypt_with_object_and_u8_array(&params(IV, &iv)?, key, text.as_bytes())
            .map_err(crypto_error)?;
        set(&clear, IV, &iv)?;
        started.push((clear, promise));
    }
    let mut sealed = Vec::with_capacity(started.len());
    for (clear, promise) in started {
        set(
            &clear,
            SEALED,
            &JsFuture::from(promise).await.map_err(crypto_error)?,
        )?;
        sealed.push(clear.into());
    }
    Ok(sealed)
}

/// A stored value, read.
pub(super) enum Opened {
    /// Stored in the clear (another scope, or written before sealing).
    Clear(JsValue),
    /// Sealed: its JSON.
    Text(String),
    /// Sealed under a key this store no longer has (or damaged): it cannot be read.
    Lost,
}

/// Opens each stored value. Every decryption is started before the first is waited for.
pub(super) async fn open_all(key: &CryptoKey, values: Vec<JsValue>) -> Vec<Opened> {
    let subtle = crypto().map(|c| c.subtle()).ok();
    let started: Vec<Result<Option<Promise>, JsValue>> = values
        .into_iter()
        .map(|value| {
            if !is_sealed(&value) {
                return Err(value);
            }
            let data: Object = field(&value, SEALED).unchecked_into();
            let params = params(IV, &field(&value, IV)).ok();
            Ok(subtle.as_ref().zip(params).and_then(|(subtle, params)| {
                subtle
                    .decrypt_with_object_and_buffer_source(&params, key, &data)
                    .ok()
            }))
        })
        .collect();
    let mut opened = Vec::with_capacity(started.len());
    for value in started {
        opened.push(match value {
            Err(clear) => Opened::Clear(clear),
            Ok(None) => Opened::Lost,
            Ok(Some(promise)) => match JsFuture::from(promise).await {
                Ok(bytes) => String::from_utf8(Uint8Array::new(&bytes).to_vec())
                    .map_or(Opened::Lost, Opened::Text),
                Err(_) => Opened::Lost,
            },
        });
    }
    opened
}

/// An object with `fields` set.
pub(super) fn clear_fields(fields: &[(&str, JsValue)]) -> Result<Object, StoreError> {
    let object = Object::new();
    for (name, value) in fields {
        set(&object, name, value)?;
    }
    Ok(object)
}

/// What is shown in place of a change, or a notice, that this phone can no longer read
/// (it was sealed under a key the store no longer has): its words say so.
pub(super) fn unreadable(mutation_id: u64) -> Notice {
    Notice {
        mutation: Mutation {
            id: mutation_id,
            op: Op::Delete {
                id: String::new(),
                base_version: 0,
            },
        },
        outcome: Outcome::Refused {
            reason: Refusal::Unreadable,
        },
    }
}

/// A stored number field (a record's `version`, an outbox entry's `id`).
pub(super) fn number(value: &JsValue, name: &str) -> f64 {
    field(value, name).as_f64().unwrap_or(0.0)
}

/// A stored text field (a record's `id` or `scope`).
pub(super) fn text(value: &JsValue, name: &str) -> String {
    field(value, name).as_string().unwrap_or_default()
}
