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
    /// The route needs a signed-in user.
    Unauthenticated,
    /// Sign-in failed: the same answer for an unknown name and a wrong password.
    InvalidCredentials,
    /// Signed in, but this account may not do this to an object it can see.
    Forbidden,
    /// A state-changing request that did not come from this app's own pages.
    CrossSiteRequest,
    /// Too many attempts; `retry_after_seconds` says when to try again.
    RateLimited,
    /// A log-in name must be an email address or 3–64 letters, digits and . _ - @ +.
    LoginInvalid,
    /// Someone already uses this log-in name.
    LoginTaken,
    /// The password has fewer than 10 characters.
    PasswordTooShort,
    /// The password has more than 128 characters.
    PasswordTooLong,
    /// The password is on the list of well-known passwords.
    PasswordTooCommon,
    /// The password is (or contains) the log-in name.
    PasswordLikeLogin,
    /// Changing the password: the current password given is wrong.
    CurrentPasswordWrong,
    /// A display name must be 1–40 characters.
    DisplayNameInvalid,
    /// A child's name must be 1–40 characters.
    ChildNameInvalid,
    /// A birth date must be a real day, YYYY-MM-DD, at most 10 months ahead.
    BirthDateInvalid,
    /// A handbook note must be 1–2000 characters.
    NoteInvalid,
    /// Pregnancy dates that cannot be true: a last period in the future, a due date not
    /// after it or more than 45 weeks after it, a due date too far ahead.
    PregnancyDatesInvalid,
    /// A height or weight that cannot be an adult's (a slip of units or digits).
    BodySizeInvalid,
    /// A birth record with a size no newborn has, a time that is not HH:MM, or a gestation
    /// outside 22–45 weeks.
    BirthRecordInvalid,
    /// A birth record for a child whose day of birth is still to come.
    BirthInFuture,
    /// A growth measurement with no value, or a value no young child has.
    MeasurementInvalid,
    /// A measurement dated before the birth or after today.
    MeasurementDateInvalid,
    /// A vaccination record the rules do not know (vaccine, dose number or product), or
    /// a lot number or facility too long.
    DoseInvalid,
    /// A lab result out of its range (a rubella HI titre that is not a doubling from 8,
    /// a haemoglobin outside 3–25 g/dL).
    LabResultInvalid,
    /// A 妊婦健診 record with a value no pregnant woman has (a slip of units), a blood
    /// pressure whose upper number is not above the lower, or a next visit not after it.
    PrenatalVisitInvalid,
    /// A 乳幼児健診 record (findings or the parent's record) with a value no child has, a
    /// teeth count before 1 y 6 m, a question or milestone of another age, or text too long.
    CheckupInvalid,
    /// A checkup or a milestone dated before the birth or after today.
    CheckupDateInvalid,
    /// The invite code is unknown, used or expired.
    InviteInvalid,
    /// The user already belongs to this family or association.
    AlreadyMember,
    /// A family must keep at least one guardian.
    LastGuardian,
    /// An association needs a slug (a-z, 0-9, -), a name and an area.
    AssociationInvalid,
    /// Another association uses this slug.
    AssociationSlugTaken,
    /// An event's title must be 1–80 characters.
    EventTitleInvalid,
    /// An event's description may have at most 4000 characters.
    EventDescriptionInvalid,
    /// Dates must be real days (YYYY-MM-DD), times HH:MM, and the end after the start.
    EventDatesInvalid,
    /// The place's name must be 1–80 characters.
    EventVenueInvalid,
    /// Address and contact up to 120 characters, area up to 40.
    EventDetailsInvalid,
    /// Capacity 1–10000 or none; reserved places from 0 up to the capacity.
    EventPlacesInvalid,
    /// A circular needs a title of 1–80 characters and a text of at most 8000.
    CircularInvalid,
    /// A circular's due date must be a real day, on or after the day it is posted.
    CircularDueDateInvalid,
    /// An attachment must be a JPEG, PNG or WebP picture or a PDF, judged by its content.
    AttachmentInvalid,
    /// An attachment may be at most 5 MB.
    AttachmentTooLarge,
    /// A report needs a reason of 1–400 characters.
    ReportReasonInvalid,
    /// No one grants a ward role to themself (separation of duties).
    OwnRoles,
    /// Admin and health staff are never held together (separation of duties).
    RolesIncompatible,
    /// A handbook file that is not one (not JSON, another format), or with a record or
    /// child that fails its checks.
    HandbookFileInvalid,
    /// A handbook file of a version this app cannot read.
    HandbookFileVersion,
    /// A handbook file with a kind of record this version of the app does not know.
    HandbookFileUnknown,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 56] = [
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::InvalidJson,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::PayloadTooLarge,
        ErrorCode::BadRequest,
        ErrorCode::DatabaseUnavailable,
        ErrorCode::Internal,
        ErrorCode::Unauthenticated,
        ErrorCode::InvalidCredentials,
        ErrorCode::Forbidden,
        ErrorCode::CrossSiteRequest,
        ErrorCode::RateLimited,
        ErrorCode::LoginInvalid,
        ErrorCode::LoginTaken,
        ErrorCode::PasswordTooShort,
        ErrorCode::PasswordTooLong,
        ErrorCode::PasswordTooCommon,
        ErrorCode::PasswordLikeLogin,
        ErrorCode::CurrentPasswordWrong,
        ErrorCode::DisplayNameInvalid,
        ErrorCode::ChildNameInvalid,
        ErrorCode::BirthDateInvalid,
        ErrorCode::NoteInvalid,
        ErrorCode::PregnancyDatesInvalid,
        ErrorCode::BodySizeInvalid,
        ErrorCode::BirthRecordInvalid,
        ErrorCode::BirthInFuture,
        ErrorCode::MeasurementInvalid,
        ErrorCode::MeasurementDateInvalid,
        ErrorCode::DoseInvalid,
        ErrorCode::LabResultInvalid,
        ErrorCode::PrenatalVisitInvalid,
        ErrorCode::CheckupInvalid,
        ErrorCode::CheckupDateInvalid,
        ErrorCode::InviteInvalid,
        ErrorCode::AlreadyMember,
        ErrorCode::LastGuardian,
        ErrorCode::AssociationInvalid,
        ErrorCode::AssociationSlugTaken,
        ErrorCode::EventTitleInvalid,
        ErrorCode::EventDescriptionInvalid,
        ErrorCode::EventDatesInvalid,
        ErrorCode::EventVenueInvalid,
        ErrorCode::EventDetailsInvalid,
        ErrorCode::EventPlacesInvalid,
        ErrorCode::CircularInvalid,
        ErrorCode::CircularDueDateInvalid,
        ErrorCode::AttachmentInvalid,
        ErrorCode::AttachmentTooLarge,
        ErrorCode::ReportReasonInvalid,
        ErrorCode::OwnRoles,
        ErrorCode::RolesIncompatible,
        ErrorCode::HandbookFileInvalid,
        ErrorCode::HandbookFileVersion,
        ErrorCode::HandbookFileUnknown,
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
            ErrorCode::Unauthenticated => 401,
            ErrorCode::InvalidCredentials => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::CrossSiteRequest => 403,
            ErrorCode::RateLimited => 429,
            ErrorCode::LoginInvalid => 422,
            ErrorCode::LoginTaken => 409,
            ErrorCode::PasswordTooShort => 422,
            ErrorCode::PasswordTooLong => 422,
            ErrorCode::PasswordTooCommon => 422,
            ErrorCode::PasswordLikeLogin => 422,
            ErrorCode::CurrentPasswordWrong => 422,
            ErrorCode::DisplayNameInvalid => 422,
            ErrorCode::ChildNameInvalid => 422,
            ErrorCode::BirthDateInvalid => 422,
            ErrorCode::NoteInvalid => 422,
            ErrorCode::PregnancyDatesInvalid => 422,
            ErrorCode::BodySizeInvalid => 422,
            ErrorCode::BirthRecordInvalid => 422,
            ErrorCode::BirthInFuture => 422,
            ErrorCode::MeasurementInvalid => 422,
            ErrorCode::MeasurementDateInvalid => 422,
            ErrorCode::DoseInvalid => 422,
            ErrorCode::LabResultInvalid => 422,
            ErrorCode::PrenatalVisitInvalid => 422,
            ErrorCode::CheckupInvalid => 422,
            ErrorCode::CheckupDateInvalid => 422,
            ErrorCode::InviteInvalid => 422,
            ErrorCode::AlreadyMember => 409,
            ErrorCode::LastGuardian => 409,
            ErrorCode::AssociationInvalid => 422,
            ErrorCode::AssociationSlugTaken => 409,
            ErrorCode::EventTitleInvalid => 422,
            ErrorCode::EventDescriptionInvalid => 422,
            ErrorCode::EventDatesInvalid => 422,
            ErrorCode::EventVenueInvalid => 422,
            ErrorCode::EventDetailsInvalid => 422,
            ErrorCode::EventPlacesInvalid => 422,
            ErrorCode::CircularInvalid => 422,
            ErrorCode::CircularDueDateInvalid => 422,
            ErrorCode::AttachmentInvalid => 415,
            ErrorCode::AttachmentTooLarge => 413,
            ErrorCode::ReportReasonInvalid => 422,
            ErrorCode::OwnRoles => 403,
            ErrorCode::RolesIncompatible => 422,
            ErrorCode::HandbookFileInvalid
            | ErrorCode::HandbookFileVersion
            | ErrorCode::HandbookFileUnknown => 422,
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
            (ErrorCode::Unauthenticated, Lang::Ja) => "ログインしてください。",
            (ErrorCode::Unauthenticated, Lang::En) => "Please sign in.",
            (ErrorCode::InvalidCredentials, Lang::Ja) => {
                "ログイン名またはパスワードが違います。もう一度入力してください。"
            }
            (ErrorCode::InvalidCredentials, Lang::En) => {
                "The sign-in name or the password is not right. Please enter them again."
            }
            (ErrorCode::Forbidden, Lang::Ja) => "この操作をする権限がありません。",
            (ErrorCode::Forbidden, Lang::En) => "Your account may not do this.",
            (ErrorCode::CrossSiteRequest, Lang::Ja) => {
                "このページからは操作できません。アプリを開き直してください。"
            }
            (ErrorCode::CrossSiteRequest, Lang::En) => {
                "This action must come from the app itself. Please open the app again."
            }
            (ErrorCode::RateLimited, Lang::Ja) => {
                "試した回数が多すぎます。しばらく待ってからもう一度お試しください。"
            }
            (ErrorCode::RateLimited, Lang::En) => {
                "Too many attempts. Please wait a little and try again."
            }
            (ErrorCode::LoginInvalid, Lang::Ja) => {
                "ログイン名は、メールアドレスか、半角英数字3〜64文字で入力してください。"
            }
            (ErrorCode::LoginInvalid, Lang::En) => {
                "Use an email address or 3 to 64 letters and digits as your sign-in name."
            }
            (ErrorCode::LoginTaken, Lang::Ja) => {
                "このログイン名はすでに使われています。別の名前にしてください。"
            }
            (ErrorCode::LoginTaken, Lang::En) => {
                "This sign-in name is already taken. Please choose another."
            }
            (ErrorCode::PasswordTooShort, Lang::Ja) => "パスワードは10文字以上にしてください。",
            (ErrorCode::PasswordTooShort, Lang::En) => {
                "Use at least 10 characters for your password."
            }
            (ErrorCode::PasswordTooLong, Lang::Ja) => "パスワードは128文字以内にしてください。",
            (ErrorCode::PasswordTooLong, Lang::En) => {
                "Use at most 128 characters for your password."
            }
            (ErrorCode::PasswordTooCommon, Lang::Ja) => {
                "このパスワードはよく使われていて危険です。別のものにしてください。"
            }
            (ErrorCode::PasswordTooCommon, Lang::En) => {
                "This password is too common to be safe. Please choose another."
            }
            (ErrorCode::PasswordLikeLogin, Lang::Ja) => {
                "パスワードにログイン名を使わないでください。"
            }
            (ErrorCode::PasswordLikeLogin, Lang::En) => {
                "Do not use your sign-in name in your password."
            }
            (ErrorCode::CurrentPasswordWrong, Lang::Ja) => "今のパスワードが違います。",
            (ErrorCode::CurrentPasswordWrong, Lang::En) => "Your current password is not right.",
            (ErrorCode::DisplayNameInvalid, Lang::Ja) => "表示名は1〜40文字で入力してください。",
            (ErrorCode::DisplayNameInvalid, Lang::En) => "Enter a name of 1 to 40 characters.",
            (ErrorCode::ChildNameInvalid, Lang::Ja) => {
                "お子さんの名前は1〜40文字で入力してください。"
            }
            (ErrorCode::ChildNameInvalid, Lang::En) => {
                "Enter the child's name in 1 to 40 characters."
            }
            (ErrorCode::BirthDateInvalid, Lang::Ja) => {
                "生年月日（予定日）を正しく入力してください。"
            }
            (ErrorCode::BirthDateInvalid, Lang::En) => "Enter a real date of birth (or due date).",
            (ErrorCode::NoteInvalid, Lang::Ja) => "記録は1〜2000文字で書いてください。",
            (ErrorCode::NoteInvalid, Lang::En) => "Write a note of 1 to 2,000 characters.",
            (ErrorCode::PregnancyDatesInvalid, Lang::Ja) => {
                "最終月経の開始日と出産予定日を確かめてください。"
            }
            (ErrorCode::PregnancyDatesInvalid, Lang::En) => {
                "Check the first day of the last period and the due date."
            }
            (ErrorCode::BodySizeInvalid, Lang::Ja) => "身長（cm）と体重（kg）を確かめてください。",
            (ErrorCode::BodySizeInvalid, Lang::En) => {
                "Check the height (in cm) and the weight (in kg)."
            }
            (ErrorCode::BirthRecordInvalid, Lang::Ja) => {
                "出生時の体重（g）・身長・頭囲・胸囲（cm）と在胎週数を確かめてください。"
            }
            (ErrorCode::BirthRecordInvalid, Lang::En) => {
                "Check the birth weight (g), length, head and chest (cm) and the weeks of pregnancy."
            }
            (ErrorCode::BirthInFuture, Lang::Ja) => {
                "生まれる前の日付です。出生時の記録は生まれた後に入力してください。"
            }
            (ErrorCode::BirthInFuture, Lang::En) => {
                "The birth day is still to come. Enter the birth record after the birth."
            }
            (ErrorCode::MeasurementInvalid, Lang::Ja) => {
                "体重（kg）・身長（cm）・頭囲（cm）のどれかを、正しい単位で入力してください。"
            }
            (ErrorCode::MeasurementInvalid, Lang::En) => {
                "Enter a weight (kg), length (cm) or head size (cm) in the right unit."
            }
            (ErrorCode::MeasurementDateInvalid, Lang::Ja) => {
                "測った日は、生まれた日から今日までの日にしてください。"
            }
            (ErrorCode::MeasurementDateInvalid, Lang::En) => {
                "The day measured must be between the birth and today."
            }
            (ErrorCode::DoseInvalid, Lang::Ja) => {
                "ワクチンの種類・回数・ロット番号を確かめてください。"
            }
            (ErrorCode::DoseInvalid, Lang::En) => {
                "Check the vaccine, the dose number and the lot number."
            }
            (ErrorCode::LabResultInvalid, Lang::Ja) => {
                "検査の結果を確かめてください（風しん抗体は8倍・16倍…、ヘモグロビンはg/dL）。"
            }
            (ErrorCode::LabResultInvalid, Lang::En) => {
                "Check the lab results (rubella HI titre 8, 16, 32 and so on; haemoglobin in g/dL)."
            }
            (ErrorCode::PrenatalVisitInvalid, Lang::Ja) => {
                "体重（kg）・血圧（上が下より大きい）・子宮底長と腹囲（cm）、次回の日付を確かめてください。"
            }
            (ErrorCode::PrenatalVisitInvalid, Lang::En) => {
                "Check the weight (kg), blood pressure (upper above lower), fundal height and girth (cm), and the next visit's date."
            }
            (ErrorCode::CheckupInvalid, Lang::Ja) => {
                "健診の記録を確かめてください（体重はkg、身長と頭囲はcm、歯は1歳6か月から）。"
            }
            (ErrorCode::CheckupInvalid, Lang::En) => {
                "Check the checkup record (weight in kg, length and head in cm, teeth from 1 y 6 m)."
            }
            (ErrorCode::CheckupDateInvalid, Lang::Ja) => {
                "日付は生まれた日から今日までの間にしてください。"
            }
            (ErrorCode::CheckupDateInvalid, Lang::En) => {
                "The date must be between the day of birth and today."
            }
            (ErrorCode::InviteInvalid, Lang::Ja) => {
                "招待コードが正しくないか、期限が切れています。家族にもう一度発行してもらってください。"
            }
            (ErrorCode::InviteInvalid, Lang::En) => {
                "This invite code is wrong, used or expired. Please ask your family for a new one."
            }
            (ErrorCode::AlreadyMember, Lang::Ja) => "すでにメンバーです。",
            (ErrorCode::AlreadyMember, Lang::En) => "You are already a member.",
            (ErrorCode::LastGuardian, Lang::Ja) => "保護者が一人もいなくなるため、できません。",
            (ErrorCode::LastGuardian, Lang::En) => "A family must keep at least one guardian.",
            (ErrorCode::AssociationInvalid, Lang::Ja) => {
                "町会・自治会の入力内容を確かめてください。"
            }
            (ErrorCode::AssociationInvalid, Lang::En) => "Please check the association's details.",
            (ErrorCode::AssociationSlugTaken, Lang::Ja) => {
                "この識別名はほかの町会・自治会が使っています。"
            }
            (ErrorCode::AssociationSlugTaken, Lang::En) => {
                "Another association already uses this short name."
            }
            (ErrorCode::EventTitleInvalid, Lang::Ja) => "催し名は1〜80文字で入力してください。",
            (ErrorCode::EventTitleInvalid, Lang::En) => {
                "Give the event a title of 1 to 80 characters."
            }
            (ErrorCode::EventDescriptionInvalid, Lang::Ja) => {
                "内容は4000文字までで入力してください。"
            }
            (ErrorCode::EventDescriptionInvalid, Lang::En) => {
                "Keep the description to 4,000 characters or fewer."
            }
            (ErrorCode::EventDatesInvalid, Lang::Ja) => {
                "日付と時刻を確かめてください。終わりは始まりより後にしてください。"
            }
            (ErrorCode::EventDatesInvalid, Lang::En) => {
                "Check the dates and times. The end must come after the start."
            }
            (ErrorCode::EventVenueInvalid, Lang::Ja) => "会場名は1〜80文字で入力してください。",
            (ErrorCode::EventVenueInvalid, Lang::En) => {
                "Give the place a name of 1 to 80 characters."
            }
            (ErrorCode::EventDetailsInvalid, Lang::Ja) => {
                "住所と問い合わせ先は120文字まで、地域は40文字までで入力してください。"
            }
            (ErrorCode::EventDetailsInvalid, Lang::En) => {
                "Keep the address and contact to 120 characters and the area to 40."
            }
            (ErrorCode::EventPlacesInvalid, Lang::Ja) => {
                "定員は1〜10000人で、予約枠は0人以上、定員以下にしてください。"
            }
            (ErrorCode::EventPlacesInvalid, Lang::En) => {
                "Capacity must be 1 to 10,000 people, and reserved places from 0 up to the capacity."
            }
            (ErrorCode::CircularInvalid, Lang::Ja) => {
                "回覧板の題名は1〜80文字、本文は8000文字までで入力してください。"
            }
            (ErrorCode::CircularInvalid, Lang::En) => {
                "A circular needs a title of 1 to 80 characters and at most 8,000 characters of text."
            }
            (ErrorCode::CircularDueDateInvalid, Lang::Ja) => {
                "期限は、正しい日付で、出す日と同じ日かそれより後にしてください。"
            }
            (ErrorCode::CircularDueDateInvalid, Lang::En) => {
                "The due date must be a real day, on or after the day the circular is posted."
            }
            (ErrorCode::AttachmentInvalid, Lang::Ja) => {
                "添付できるのは写真（JPEG・PNG・WebP）かPDFだけです。"
            }
            (ErrorCode::AttachmentInvalid, Lang::En) => {
                "Only pictures (JPEG, PNG, WebP) and PDF files can be attached."
            }
            (ErrorCode::AttachmentTooLarge, Lang::Ja) => {
                "添付ファイルは5MBまでです。小さくしてからもう一度お試しください。"
            }
            (ErrorCode::AttachmentTooLarge, Lang::En) => {
                "Attachments can be at most 5 MB. Please make it smaller and try again."
            }
            (ErrorCode::ReportReasonInvalid, Lang::Ja) => {
                "報告の理由を1〜400文字で書いてください。"
            }
            (ErrorCode::ReportReasonInvalid, Lang::En) => {
                "Please give a reason of 1 to 400 characters."
            }
            (ErrorCode::OwnRoles, Lang::Ja) => {
                "自分に役割を付けることはできません。ほかの管理者に頼んでください。"
            }
            (ErrorCode::OwnRoles, Lang::En) => {
                "You cannot grant a role to yourself. Please ask another admin."
            }
            (ErrorCode::RolesIncompatible, Lang::Ja) => {
                "管理者と保健師の役割は、同じ人に付けられません。"
            }
            (ErrorCode::RolesIncompatible, Lang::En) => {
                "One person cannot be both an admin and health staff."
            }
            (ErrorCode::HandbookFileInvalid, Lang::Ja) => {
                "手帳のファイルとして読めませんでした。書き出したファイルをそのまま選んでください。"
            }
            (ErrorCode::HandbookFileInvalid, Lang::En) => {
                "This file cannot be read as a handbook. Choose the file as it was exported."
            }
            (ErrorCode::HandbookFileVersion, Lang::Ja) => {
                "この版のアプリでは読めない形式のファイルです。アプリを新しくしてから読み込んでください。"
            }
            (ErrorCode::HandbookFileVersion, Lang::En) => {
                "This file is from another version of the app. Update the app, then try again."
            }
            (ErrorCode::HandbookFileUnknown, Lang::Ja) => {
                "このアプリがまだ知らない種類の記録が入っています。アプリを新しくしてから読み込んでください。"
            }
            (ErrorCode::HandbookFileUnknown, Lang::En) => {
                "This file has records this version of the app does not know. Update the app, then try again."
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
    /// With `rate_limited`: seconds until a new attempt may succeed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
}

impl ApiError {
    pub fn new(code: ErrorCode, lang: Lang) -> ApiError {
        ApiError {
            error: ApiErrorBody {
                code,
                message: code.message(lang).to_owned(),
                retry_after_seconds: None,
            },
        }
    }

    /// `rate_limited`, saying in words how many minutes to wait.
    pub fn rate_limited(retry_after_seconds: u64, lang: Lang) -> ApiError {
        let minutes = retry_after_seconds.div_ceil(60).max(1);
        let message = match lang {
            Lang::Ja => format!(
                "試した回数が多すぎます。{minutes}分ほど待ってから、もう一度お試しください。"
            ),
            Lang::En if minutes == 1 => {
                "Too many attempts. Please try again in 1 minute.".to_owned()
            }
            Lang::En => format!("Too many attempts. Please try again in {minutes} minutes."),
        };
        ApiError {
            error: ApiErrorBody {
                code: ErrorCode::RateLimited,
                message,
                retry_after_seconds: Some(retry_after_seconds),
            },
        }
    }
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
