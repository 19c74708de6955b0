//! Errors as values a person can be told about: a stable code for programs and a
//! plain sentence in the reader's language for people.

use serde::{Deserialize, Serialize};

use crate::Lang;

/// A stable, machine-readable error code. The string form (snake_case) is part of the
/// API contract: clients match on it, so a code is never renamed once shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No such route or object (also for objects the caller may not see).
    NotFound,
    /// The route exists but not for this HTTP method.
    MethodNotAllowed,
    /// The request body is not valid JSON or does not have the expected shape.
    InvalidJson,
    /// The request body is not sent as `application/json`.
    UnsupportedMediaType,
    /// The request body is larger than the route accepts.
    PayloadTooLarge,
    /// A query string or path parameter is malformed.
    BadRequest,
    /// The database does not answer right now.
    DatabaseUnavailable,
    /// A bug on the server; details are in its log, never in the answer.
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 8] = [
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::InvalidJson,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::PayloadTooLarge,
        ErrorCode::BadRequest,
        ErrorCode::DatabaseUnavailable,
        ErrorCode::Internal,
    ];

    /// The HTTP status that carries this code.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::InvalidJson => 422,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::BadRequest => 400,
            ErrorCode::DatabaseUnavailable => 503,
            ErrorCode::Internal => 500,
        }
    }

    /// A plain sentence that tells a person what happened and what to do.
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ErrorCode::NotFound, Lang::Ja) => "お探しのものは見つかりませんでした。",
            (ErrorCode::NotFound, Lang::En) => "We could not find what you asked for.",
            (ErrorCode::MethodNotAllowed, Lang::Ja) => "この操作はここではできません。",
            (ErrorCode::MethodNotAllowed, Lang::En) => "This action is not possible here.",
            (ErrorCode::InvalidJson, Lang::Ja) => {
                "送られた内容を読み取れませんでした。入力を確かめてください。"
            }
            (ErrorCode::InvalidJson, Lang::En) => {
                "We could not read what was sent. Please check your entry."
            }
            (ErrorCode::UnsupportedMediaType, Lang::Ja) => "送られた内容の形式が違います。",
            (ErrorCode::UnsupportedMediaType, Lang::En) => "What was sent is in the wrong format.",
            (ErrorCode::PayloadTooLarge, Lang::Ja) => "送られた内容が大きすぎます。",
            (ErrorCode::PayloadTooLarge, Lang::En) => "What was sent is too large.",
            (ErrorCode::BadRequest, Lang::Ja) => "リクエストの内容が正しくありません。",
            (ErrorCode::BadRequest, Lang::En) => "The request is not correct.",
            (ErrorCode::DatabaseUnavailable, Lang::Ja) => {
                "ただいまサーバーが混み合っています。しばらくしてからもう一度お試しください。"
            }
            (ErrorCode::DatabaseUnavailable, Lang::En) => {
                "The server is busy right now. Please try again in a little while."
            }
            (ErrorCode::Internal, Lang::Ja) => {
                "サーバーで問題が起きました。しばらくしてからもう一度お試しください。"
            }
            (ErrorCode::Internal, Lang::En) => {
                "Something went wrong on the server. Please try again in a little while."
            }
        }
    }
}

/// The JSON body of every error answer: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub error: ApiErrorBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, lang: Lang) -> ApiError {
        ApiError {
            error: ApiErrorBody {
                code,
                message: code.message(lang).to_owned(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
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
    fn the_error_body_has_the_documented_shape() {
        let body = serde_json::to_value(ApiError::new(ErrorCode::NotFound, Lang::En)).unwrap();
        assert_eq!(body["error"]["code"], "not_found");
        assert_eq!(
            body["error"]["message"],
            "We could not find what you asked for."
        );
    }
}
