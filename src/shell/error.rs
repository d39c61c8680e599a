//! The one error type of the Worker and how it becomes a response.
//!
//! Policy: every error has a stable machine-readable `code` and a human message. API callers get
//! an RFC 9457 problem (JSON); phones get a friendly page. Client errors are not logged. Server
//! errors log their cause with the request id; their response says only "something went wrong".

use crate::domain::earn::EarnError;
use crate::domain::idempotency::KeyError;
use crate::domain::reward::{RedemptionError, Refusal};
use crate::domain::token::TokenError;
use crate::domain::webhook::WebhookError;

/// Everything a request can fail with.
#[derive(Debug)]
pub enum AppError {
    Token(TokenError),
    Earn(EarnError),
    NotFound,
    MethodNotAllowed,
    MerchantNotFound,
    MemberNotFound,
    UnknownLocation(u8),
    AuthMissing,
    AuthInvalid,
    Forbidden,
    BodyTooLarge {
        limit: usize,
    },
    UnsupportedMediaType {
        expected: &'static str,
    },
    InvalidJson(String),
    InvalidField {
        field: String,
        message: String,
    },
    EnrolFormInvalid,
    EnrolFormExpired,
    CrossSiteForm,
    /// A redemption or adjustment the guards in D1 refused.
    Refused(Refusal),
    Redemption(RedemptionError),
    ScanNotFound,
    ScanAlreadyReversed,
    IdempotencyKey(KeyError),
    /// The same Idempotency-Key came with a different request.
    IdempotencyKeyReused,
    /// The first request with this Idempotency-Key is still running.
    IdempotencyInProgress,
    Webhook(WebhookError),
    OrderNotFound,
    /// A concurrent refund changed the order first; the sender should retry.
    OrderChanged,
    KeyNotFound,
    /// No location with that number at this merchant.
    LocationNotFound,
    KeyInUse,
    /// An unknown, erased or switched-off invitation, or no such referral.
    ReferralNotFound,
    /// A link from a message (unsubscribe, click, tap) that we did not sign.
    LinkNotFound,
    /// A review of a referral that is not waiting for one (its current decision).
    ReferralNotHeld(String),
    /// A counter key used for another location than its own.
    WrongLocation(u8),
    MessageNotFound,
    /// A re-send of a message that has not failed (its status).
    MessageNotFailed(String),
    /// Messaging needs an endpoint first (a campaign launch without one).
    MessagingOff,
    CampaignNotFound,
    CampaignLaunched,
    /// Too many requests in the current window; retry after this many seconds.
    RateLimited {
        retry_after: i64,
    },
    /// A server-side failure; the text goes to the log only.
    Internal(String),
}

impl AppError {
    /// Wraps a server-side failure.
    pub fn internal(cause: impl Into<String>) -> Self {
        AppError::Internal(cause.into())
    }

    /// Wraps a D1 or KV failure.
    pub fn storage(e: impl std::fmt::Display) -> Self {
        AppError::Internal(format!("storage: {e}"))
    }

    /// Returns the HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Token(
                TokenError::Malformed | TokenError::UnsupportedVersion | TokenError::NotYetValid,
            ) => 400,
            AppError::Token(
                TokenError::WrongMerchant | TokenError::UnknownKey | TokenError::BadSignature,
            ) => 403,
            AppError::Token(TokenError::Expired) => 410,
            AppError::Earn(_) => 422,
            AppError::Refused(Refusal::UnknownReward) => 404,
            AppError::Refused(Refusal::CodeCollision) => 503,
            AppError::Refused(_) => 409,
            AppError::Redemption(RedemptionError::NotFound) | AppError::ScanNotFound => 404,
            AppError::Redemption(RedemptionError::Expired) => 410,
            AppError::Redemption(_) | AppError::ScanAlreadyReversed => 409,
            AppError::IdempotencyKey(_) => 400,
            AppError::IdempotencyKeyReused => 422,
            AppError::IdempotencyInProgress => 409,
            AppError::Webhook(WebhookError::MissingHeader(_) | WebhookError::BadTimestamp) => 400,
            AppError::Webhook(_) => 401,
            AppError::OrderNotFound => 404,
            AppError::OrderChanged => 409,
            AppError::KeyNotFound | AppError::LocationNotFound => 404,
            AppError::KeyInUse | AppError::ReferralNotHeld(_) => 409,
            AppError::ReferralNotFound | AppError::LinkNotFound => 404,
            AppError::MessageNotFound | AppError::CampaignNotFound => 404,
            AppError::MessageNotFailed(_) | AppError::MessagingOff | AppError::CampaignLaunched => {
                409
            }
            AppError::WrongLocation(_) => 403,
            AppError::RateLimited { .. } => 429,
            AppError::NotFound | AppError::MerchantNotFound | AppError::MemberNotFound => 404,
            AppError::MethodNotAllowed => 405,
            AppError::UnknownLocation(_) | AppError::InvalidField { .. } => 422,
            AppError::AuthMissing | AppError::AuthInvalid => 401,
            AppError::Forbidden | AppError::CrossSiteForm => 403,
            AppError::BodyTooLarge { .. } => 413,
            AppError::UnsupportedMediaType { .. } => 415,
            AppError::InvalidJson(_) | AppError::EnrolFormInvalid => 400,
            AppError::EnrolFormExpired => 410,
            AppError::Internal(_) => 500,
        }
    }

    /// Returns the stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Token(e) => e.code(),
            AppError::Earn(e) => e.code(),
            AppError::NotFound => "not_found",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::MerchantNotFound => "merchant_not_found",
            AppError::MemberNotFound => "member_not_found",
            AppError::UnknownLocation(_) => "unknown_location",
            AppError::AuthMissing => "auth_missing",
            AppError::AuthInvalid => "auth_invalid",
            AppError::Forbidden => "forbidden",
            AppError::BodyTooLarge { .. } => "body_too_large",
            AppError::UnsupportedMediaType { .. } => "unsupported_media_type",
            AppError::InvalidJson(_) => "invalid_json",
            AppError::InvalidField { .. } => "invalid_field",
            AppError::EnrolFormInvalid => "enrol_form_invalid",
            AppError::EnrolFormExpired => "enrol_form_expired",
            AppError::CrossSiteForm => "cross_site_form",
            AppError::Refused(r) => r.code(),
            AppError::Redemption(e) => e.code(),
            AppError::ScanNotFound => "scan_not_found",
            AppError::ScanAlreadyReversed => "scan_already_reversed",
            AppError::IdempotencyKey(KeyError::Missing) => "idempotency_key_missing",
            AppError::IdempotencyKey(KeyError::Invalid) => "idempotency_key_invalid",
            AppError::IdempotencyKeyReused => "idempotency_key_reused",
            AppError::IdempotencyInProgress => "idempotency_key_in_progress",
            AppError::Webhook(e) => e.code(),
            AppError::OrderNotFound => "order_not_found",
            AppError::OrderChanged => "order_changed_retry",
            AppError::KeyNotFound => "api_key_not_found",
            AppError::LocationNotFound => "location_not_found",
            AppError::KeyInUse => "api_key_in_use",
            AppError::ReferralNotFound => "referral_not_found",
            AppError::LinkNotFound => "link_not_found",
            AppError::ReferralNotHeld(_) => "referral_not_held",
            AppError::WrongLocation(_) => "location_forbidden",
            AppError::MessageNotFound => "message_not_found",
            AppError::MessageNotFailed(_) => "message_not_failed",
            AppError::MessagingOff => "messaging_not_configured",
            AppError::CampaignNotFound => "campaign_not_found",
            AppError::CampaignLaunched => "campaign_already_launched",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Internal(_) => "internal",
        }
    }

    /// Returns a short title for the error page or problem.
    pub fn title(&self) -> &'static str {
        match self.status() {
            400 => "This request is not valid",
            401 => "Authentication needed",
            403 => "Not allowed",
            404 => "Not found",
            405 => "Method not allowed",
            409 => "Conflict",
            410 => "Expired",
            413 => "Too large",
            415 => "Wrong content type",
            422 => "Cannot be processed",
            429 => "Too many requests",
            503 => "Try again",
            _ => "Something went wrong",
        }
    }

    /// Returns the human message: specific for client errors, generic for server errors.
    pub fn message(&self) -> String {
        match self {
            AppError::Token(e) => e.to_string(),
            AppError::Earn(e) => e.to_string(),
            AppError::NotFound => "there is nothing at this address".into(),
            AppError::MethodNotAllowed => "this address does not accept that method".into(),
            AppError::MerchantNotFound => {
                "this shop is not (or no longer) on the loyalty program".into()
            }
            AppError::MemberNotFound => "no member with that id at this merchant".into(),
            AppError::UnknownLocation(n) => {
                format!("location {n} is not one of this merchant's locations")
            }
            AppError::AuthMissing => "send your API key as `Authorization: Bearer lek_...`".into(),
            AppError::AuthInvalid => "that API key is not valid or has been revoked".into(),
            AppError::Forbidden => "this key's scope does not allow that".into(),
            AppError::BodyTooLarge { limit } => {
                format!("the request body is larger than {limit} bytes")
            }
            AppError::UnsupportedMediaType { expected } => format!("send the body as {expected}"),
            AppError::InvalidJson(e) => {
                format!("the body is not valid JSON for this endpoint: {e}")
            }
            AppError::InvalidField { field, message } => format!("{field}: {message}"),
            AppError::EnrolFormInvalid => "this join form is not valid; scan the code again".into(),
            AppError::EnrolFormExpired => {
                "this join form was open too long; scan the code again".into()
            }
            AppError::CrossSiteForm => {
                "this form was sent from another website; open the shop's link again".into()
            }
            AppError::Refused(r) => r.to_string(),
            AppError::Redemption(e) => e.to_string(),
            AppError::ScanNotFound => "no scan with that id at this merchant".into(),
            AppError::ScanAlreadyReversed => "this scan was already reversed".into(),
            AppError::IdempotencyKey(KeyError::Missing) => {
                "this call changes balances: send an Idempotency-Key header (a fresh UUID per operation)".into()
            }
            AppError::IdempotencyKey(KeyError::Invalid) => {
                "the Idempotency-Key must be 1 to 255 visible ASCII characters".into()
            }
            AppError::IdempotencyKeyReused => {
                "this Idempotency-Key was used for a different request; use a new key".into()
            }
            AppError::IdempotencyInProgress => {
                "a request with this Idempotency-Key is still running; retry in a moment".into()
            }
            AppError::Webhook(e) => e.to_string(),
            AppError::OrderNotFound => {
                "no order with that id at this merchant (was purchase.completed sent?)".into()
            }
            AppError::OrderChanged => {
                "another refund of this order was applied at the same moment; retry".into()
            }
            AppError::KeyNotFound => "no active API key with that id at this merchant".into(),
            AppError::LocationNotFound => "no location with that number at this merchant".into(),
            AppError::KeyInUse => {
                "a key cannot revoke itself; use another owner key (make one first)".into()
            }
            AppError::WrongLocation(l) => format!("this counter key serves location {l} only"),
            AppError::ReferralNotFound => {
                "this invitation is not valid (any more), or there is no such referral".into()
            }
            AppError::LinkNotFound => {
                "this link is not one of ours, or it was changed on the way: open it again from the message".into()
            }
            AppError::ReferralNotHeld(d) => {
                format!("this referral is not waiting for a review (it is {d})")
            }
            AppError::MessageNotFound => "no message with that id at this merchant".into(),
            AppError::MessageNotFailed(status) => format!(
                "only a dead or suppressed message can be sent again; this one is {status}"
            ),
            AppError::MessagingOff => {
                "turn a channel on first (email, push or an endpoint_url in PUT /api/v1/messaging)".into()
            }
            AppError::CampaignNotFound => "no campaign with that id at this merchant".into(),
            AppError::CampaignLaunched => {
                "this campaign was launched already; make a new one to send again".into()
            }
            AppError::RateLimited { retry_after } => {
                format!("too many requests; please try again in {retry_after} s")
            }
            AppError::Internal(_) => "something went wrong on our side; please try again".into(),
        }
    }
}

impl From<TokenError> for AppError {
    fn from(e: TokenError) -> Self {
        AppError::Token(e)
    }
}

impl From<EarnError> for AppError {
    fn from(e: EarnError) -> Self {
        AppError::Earn(e)
    }
}

impl From<crate::domain::config::ConfigError> for AppError {
    fn from(e: crate::domain::config::ConfigError) -> Self {
        AppError::InvalidField {
            field: e.field,
            message: e.message,
        }
    }
}

impl From<worker::Error> for AppError {
    fn from(e: worker::Error) -> Self {
        AppError::Internal(format!("worker: {e}"))
    }
}
