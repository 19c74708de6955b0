//! Attacks that stay: each test replays one hole found by trying the demo accounts as
//! an attacker would (issue 15), and is named for what it stops. Each runs on whichever
//! back-end the test command selects (SQLite, or PostgreSQL with
//! `TSUNAGARU_TEST_POSTGRES`).

mod accounts;
mod sync;
