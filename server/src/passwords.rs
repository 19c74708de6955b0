//! Password hashing: argon2id with the `argon2` crate's defaults (19 MiB, 2 passes,
//! 1 lane), always on a blocking thread so a sign-in never stalls other requests, and at
//! most one hash per core at once, server-wide: more requests wait their turn instead of
//! taking 19 MiB each (sign-up, sign-in and password changes alike).

use std::sync::{
    OnceLock,
    atomic::{AtomicUsize, Ordering},
};

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier, password_hash::SaltString};
use tokio::sync::{Semaphore, SemaphorePermit};

/// How many turns there are: one per core.
fn turns() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// A turn at argon2.
async fn turn() -> anyhow::Result<SemaphorePermit<'static>> {
    static TURNS: OnceLock<Semaphore> = OnceLock::new();
    Ok(TURNS
        .get_or_init(|| Semaphore::new(turns()))
        .acquire()
        .await?)
}

/// The hashes running now, and the most that ever ran at once (what the cap bounds).
static RUNNING: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// One argon2 computation under way, counted while it lives.
struct Running;

impl Running {
    fn start() -> Running {
        let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
        PEAK.fetch_max(now, Ordering::SeqCst);
        Running
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub async fn hash(password: String) -> anyhow::Result<String> {
    let _turn = turn().await?;
    tokio::task::spawn_blocking(move || hash_now(&password)).await?
}

fn hash_now(password: &str) -> anyhow::Result<String> {
    let _running = Running::start();
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let salt = SaltString::encode_b64(&random).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    Ok(hash.to_string())
}

/// Checks a password against a stored hash. With no stored hash (an unknown account) it
/// checks against a fixed dummy hash, so both cases take the same time.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    let _turn = turn().await?;
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let phc = match stored {
            Some(phc) => phc,
            None => dummy_hash()?.to_owned(),
        };
        let parsed = PasswordHash::new(&phc).map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
        let _running = Running::start();
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await?
}

fn dummy_hash() -> anyhow::Result<&'static str> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let hash = hash_now("not a password anyone has: the dummy for unknown accounts")?;
    Ok(DUMMY.get_or_init(|| hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_run_at_once_than_there_are_cores_however_many_are_asked() {
        let asked = 2 * turns() + 1;
        let all: Vec<_> = (0..asked)
            .map(|n| tokio::spawn(hash(format!("passphrase number {n}"))))
            .collect();
        for one in all {
            assert!(one.await.unwrap().is_ok());
        }
        let peak = PEAK.load(Ordering::SeqCst);
        assert!(
            (1..=turns()).contains(&peak),
            "{peak} hashes ran at once with {} cores",
            turns()
        );
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let phc = hash("さくらの花が さく 季節".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(
            verify("さくらの花が さく 季節".into(), Some(phc.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify("さくらの花が さく 季節!".into(), Some(phc))
                .await
                .unwrap()
        );
        assert!(!verify("anything".into(), None).await.unwrap());
    }
}
