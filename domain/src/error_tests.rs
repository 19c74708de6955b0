//! Error codes stay stable and every code has a sentence in each language.

use super::*;

#[test]
fn codes_are_stable_snake_case_strings() {
    let json = serde_json::to_string(&ErrorCode::DatabaseUnavailable).unwrap();
    assert_eq!(json, "\"database_unavailable\"");
    let back: ErrorCode = serde_json::from_str("\"invalid_json\"").unwrap();
    assert_eq!(back, ErrorCode::InvalidJson);
}

#[test]
fn every_code_has_a_distinct_message_in_each_language() {
    for lang in Lang::ALL {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let msg = code.message(lang);
            assert!(!msg.is_empty());
            assert!(seen.insert(msg), "{code:?} repeats a message in {lang:?}");
        }
    }
}

#[test]
fn japanese_messages_are_japanese_and_english_ones_ascii() {
    for code in ErrorCode::ALL {
        assert!(!code.message(Lang::Ja).is_ascii(), "{code:?}");
        assert!(code.message(Lang::En).is_ascii(), "{code:?}");
    }
}

#[test]
fn client_errors_are_4xx_and_only_internal_is_500() {
    for code in ErrorCode::ALL {
        let status = code.http_status();
        match code {
            ErrorCode::Internal => assert_eq!(status, 500),
            ErrorCode::DatabaseUnavailable => assert_eq!(status, 503),
            _ => assert!((400..500).contains(&status), "{code:?} -> {status}"),
        }
    }
}

#[test]
fn rate_limited_says_how_many_minutes_to_wait() {
    let ja = ApiError::rate_limited(170, Lang::Ja);
    assert!(ja.error.message.contains("3分"), "{}", ja.error.message);
    assert_eq!(ja.error.retry_after_seconds, Some(170));
    let en = ApiError::rate_limited(30, Lang::En);
    assert_eq!(
        en.error.message,
        "Too many attempts. Please try again in 1 minute."
    );
}

#[test]
fn the_error_body_has_the_documented_shape() {
    let body = serde_json::to_value(ApiError::new(ErrorCode::NotFound, Lang::En)).unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(
        body["error"]["message"],
        "We could not find what you asked for."
    );
}
