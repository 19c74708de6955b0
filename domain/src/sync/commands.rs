//! The domain commands a client can push (`Op::Command`): typed here so that the app
//! builds them, the server decides them and the simulation runs them from one
//! definition. A command's effects come back to clients as records written by the
//! server only ([`written_by_commands`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ids::is_client_id;
pub use super::ids::valid_id;
use super::protocol::{Op, Refusal};
use crate::circulars::{READ_COLLECTION, READERS_COLLECTION, TALLY_COLLECTION};
use crate::events::{ATTENDEES_COLLECTION, NOTICE_COLLECTION, PLACES_COLLECTION, RSVP_COLLECTION};
use crate::moderation::{MODERATION_COLLECTION, REPORT_COLLECTION};

/// Every command the server knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "name", content = "args", rename_all = "snake_case")]
pub enum Command {
    /// 参加申込: a party's RSVP to an event, confirmed or waitlisted by the server.
    /// `rsvp_id` is a UUIDv7 the phone made, so it can show the RSVP before it is sent.
    Rsvp {
        rsvp_id: String,
        event_id: String,
        adults: u32,
        children: u32,
    },
    /// Cancels one's own RSVP; waiting parties that now fit are confirmed.
    CancelRsvp { rsvp_id: String },
    /// 受付: an editor of the event's association marks a party as arrived (typed from
    /// the code on the resident's phone; decided once, repeats change nothing).
    CheckIn { rsvp_id: String },
    /// 問題を報告: a resident reports an event or a circular, with a reason of 1–400
    /// characters (`domain::moderation`). `report_id` is a UUIDv7 the phone made; one
    /// report per resident and target counts.
    Report {
        report_id: String,
        target_id: String,
        reason: String,
    },
    /// 既読: the reader opened a circular. Recorded once per person; their household
    /// counts as read.
    ReadCircular { circular_id: String },
}

/// The names of [`Command`]'s variants as they travel.
pub const NAMES: [&str; 5] = ["rsvp", "cancel_rsvp", "check_in", "report", "read_circular"];

impl Command {
    /// Reads a pushed command: an unknown name is `unknown_command`, known but
    /// malformed arguments are `validation`.
    pub fn parse(name: &str, args: &Value) -> Result<Command, Refusal> {
        if !NAMES.contains(&name) {
            return Err(Refusal::UnknownCommand);
        }
        let tagged = serde_json::json!({ "name": name, "args": args });
        let command: Command = serde_json::from_value(tagged).map_err(|_| Refusal::Validation)?;
        let ids_ok = match &command {
            Command::Rsvp {
                rsvp_id, event_id, ..
            } => is_client_id(rsvp_id) && valid_id(event_id),
            Command::CancelRsvp { rsvp_id } | Command::CheckIn { rsvp_id } => valid_id(rsvp_id),
            Command::Report {
                report_id,
                target_id,
                reason,
            } => {
                is_client_id(report_id)
                    && valid_id(target_id)
                    && crate::moderation::check_reason(reason).is_ok()
            }
            Command::ReadCircular { circular_id } => valid_id(circular_id),
        };
        if ids_ok {
            Ok(command)
        } else {
            Err(Refusal::Validation)
        }
    }

    /// The mutation that carries this command.
    pub fn op(&self) -> Op {
        let Ok(Value::Object(mut tagged)) = serde_json::to_value(self) else {
            unreachable!("a command serialises to an object");
        };
        Op::Command {
            name: tagged
                .remove("name")
                .and_then(|n| n.as_str().map(str::to_owned))
                .unwrap_or_default(),
            args: tagged.remove("args").unwrap_or(Value::Null),
        }
    }
}

/// Collections only commands write: a client's put or delete there is refused.
pub fn written_by_commands(collection: &str) -> bool {
    [
        RSVP_COLLECTION,
        PLACES_COLLECTION,
        NOTICE_COLLECTION,
        ATTENDEES_COLLECTION,
        MODERATION_COLLECTION,
        REPORT_COLLECTION,
        READ_COLLECTION,
        TALLY_COLLECTION,
        READERS_COLLECTION,
    ]
    .contains(&collection)
}

/// Server-written records the reader may still delete (a notice, once read).
pub fn deletable_by_reader(collection: &str) -> bool {
    collection == NOTICE_COLLECTION
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_command_goes_out_and_comes_back_as_itself() {
        let command = Command::Rsvp {
            rsvp_id: "0193-a".into(),
            event_id: "0193-e".into(),
            adults: 2,
            children: 1,
        };
        let Op::Command { name, args } = command.op() else {
            panic!("not a command");
        };
        assert_eq!(name, "rsvp");
        assert_eq!(
            args,
            json!({"rsvp_id": "0193-a", "event_id": "0193-e", "adults": 2, "children": 1})
        );
        assert_eq!(Command::parse(&name, &args), Ok(command));
    }

    #[test]
    fn unknown_and_malformed_commands_are_told_apart() {
        assert_eq!(
            Command::parse("reserve", &json!({})),
            Err(Refusal::UnknownCommand)
        );
        assert_eq!(
            Command::parse("cancel_rsvp", &json!({"rsvp_id": 3})),
            Err(Refusal::Validation)
        );
        assert_eq!(
            Command::parse("cancel_rsvp", &json!({"rsvp_id": "no spaces"})),
            Err(Refusal::Validation)
        );
        assert_eq!(
            Command::parse("read_circular", &json!({"circular_id": "0193-c"})),
            Ok(Command::ReadCircular {
                circular_id: "0193-c".into()
            })
        );
        assert_eq!(
            Command::parse("read_circular", &json!({"circular_id": ""})),
            Err(Refusal::Validation)
        );
        assert_eq!(
            Command::parse(
                "rsvp",
                &json!({"rsvp_id": "a", "event_id": "e", "adults": -1, "children": 0})
            ),
            Err(Refusal::Validation)
        );
    }

    #[test]
    fn a_report_needs_ids_and_a_reason_of_1_to_400_characters() {
        let report = |reason: &str| {
            Command::parse(
                "report",
                &json!({"report_id": "0193-r", "target_id": "0193-e", "reason": reason}),
            )
        };
        assert_eq!(
            report("不適切な内容"),
            Ok(Command::Report {
                report_id: "0193-r".into(),
                target_id: "0193-e".into(),
                reason: "不適切な内容".into(),
            })
        );
        assert_eq!(report(""), Err(Refusal::Validation));
        assert_eq!(report(&"長".repeat(401)), Err(Refusal::Validation));
        assert_eq!(
            Command::parse(
                "report",
                &json!({"report_id": "0193-r", "target_id": "no spaces", "reason": "x"})
            ),
            Err(Refusal::Validation)
        );
    }

    #[test]
    fn moderation_and_reports_are_written_by_the_server_only() {
        assert!(written_by_commands("moderation"));
        assert!(written_by_commands("report"));
        assert!(!deletable_by_reader("report"));
    }
}
