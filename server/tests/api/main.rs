//! Server integration tests, one binary. Each test gets its own server on port 0 and its
//! own fresh database: a SQLite file by default, or a new PostgreSQL database when
//! `TSUNAGARU_TEST_POSTGRES` names a server (the test command runs the suite both ways).

mod accounts;
mod associations;
mod attacks;
mod attendees_csv;
mod audit;
mod authz;
mod binary;
mod calendar;
mod circulars;
mod compression;
mod crash;
mod dist;
mod errors;
mod events;
mod families;
mod fuzz;
mod handbook;
mod handbook_checkups;
mod handbook_staff;
mod hardening;
mod health;
mod helpers;
mod moderation;
mod openapi;
mod rsvp;
mod sessions;
mod shutdown;
mod storage;
mod sync;
mod sync_matrix;
