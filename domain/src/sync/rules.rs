//! The server's decisions about pushed mutations, as pure functions. The real server
//! runs them inside one SQL transaction per push; the simulation runs them on its model.

use super::protocol::{Mutation, Op, Outcome, Refusal};

/// What the server holds about a record before a write.
#[derive(Debug, Clone, PartialEq)]
pub struct Current {
    pub version: u64,
    pub scope: super::protocol::Scope,
    /// The client that wrote this version.
    pub written_by: String,
    pub deleted: bool,
}

/// Splits a push into the mutations already applied (answer with their stored outcome)
/// and those to apply now, in order. `Err(last_applied)` when the batch leaves a gap.
pub fn plan_push(last_applied: u64, mutations: &[Mutation]) -> Result<(usize, usize), u64> {
    let Some(first) = mutations.first() else {
        return Ok((0, 0));
    };
    let contiguous = mutations.windows(2).all(|w| w[1].id == w[0].id + 1);
    if !contiguous || first.id == 0 || first.id > last_applied + 1 {
        return Err(last_applied);
    }
    let already = mutations
        .iter()
        .take_while(|m| m.id <= last_applied)
        .count();
    Ok((already, mutations.len() - already))
}

/// Decides a put or delete: a write over a newer version by another client is a
/// conflict (the first committed write wins and the late one is kept for review);
/// versions written by this same client since its base are its own, not a conflict.
pub fn decide_write(op: &Op, current: Option<&Current>, client_id: &str) -> Result<(), Outcome> {
    let base_version = match op {
        Op::Put { base_version, .. } | Op::Delete { base_version, .. } => *base_version,
        Op::Command { .. } => {
            return Err(Outcome::Refused {
                reason: Refusal::UnknownCommand,
            });
        }
    };
    // A record never changes scope: clients that lose sight of it would keep a stale copy.
    if let (Op::Put { scope, .. }, Some(current)) = (op, current)
        && *scope != current.scope
    {
        return Err(Outcome::Refused {
            reason: Refusal::Validation,
        });
    }
    match current {
        Some(current) if current.version > base_version && current.written_by != client_id => {
            Err(Outcome::Conflict {
                current_version: current.version,
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(id: u64) -> Mutation {
        Mutation {
            id,
            op: Op::Command {
                name: "x".into(),
                args: json!(null),
            },
        }
    }

    #[test]
    fn a_retry_is_answered_and_a_gap_refused() {
        assert_eq!(plan_push(0, &[m(1), m(2)]), Ok((0, 2)));
        assert_eq!(plan_push(2, &[m(1), m(2), m(3)]), Ok((2, 1)));
        assert_eq!(plan_push(5, &[m(1), m(2)]), Ok((2, 0)));
        assert_eq!(plan_push(1, &[m(3)]), Err(1));
        assert_eq!(plan_push(0, &[m(1), m(3)]), Err(0));
        assert_eq!(plan_push(0, &[]), Ok((0, 0)));
    }

    #[test]
    fn only_another_writers_newer_version_is_a_conflict() {
        let put = |base| Op::Put {
            id: "r".into(),
            collection: "c".into(),
            scope: super::super::protocol::Scope::public(),
            base_version: base,
            body: json!({}),
        };
        let current = |version, by: &str| Current {
            version,
            scope: super::super::protocol::Scope::public(),
            written_by: by.into(),
            deleted: false,
        };
        assert_eq!(decide_write(&put(0), None, "a"), Ok(()));
        assert_eq!(decide_write(&put(3), Some(&current(3, "b")), "a"), Ok(()));
        assert_eq!(decide_write(&put(3), Some(&current(5, "a")), "a"), Ok(()));
        assert_eq!(
            decide_write(&put(3), Some(&current(5, "b")), "a"),
            Err(Outcome::Conflict { current_version: 5 })
        );
    }
}
