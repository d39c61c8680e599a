//! The console's Messages module: the channels form (with quiet hours and the cap), a test
//! email to oneself, what each channel achieves, the delivery log, a message's attempts and
//! re-send. Owners and managers.

use worker::{Request, Response};

use super::console::{when, Desk, Person};
use crate::domain::channels_form::{ChannelsForm, Problem};
use crate::domain::messages::Settings;
use crate::shell::app::App;
use crate::shell::cache;
use crate::shell::deliver::{self, PersonMail};
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::messages as store_messages;
use crate::shell::store::push as store;
use crate::view::messages::{
    self as view, AttemptLine, ChannelLine, LogLine, MessageView, MessagesView, Ready,
};

/// Results cover the messages of the last 30 days; a conversion is a visit within 7 days.
const RESULTS_DAYS: i64 = 30;
const CONVERSION_MS: i64 = 7 * 86_400_000;

fn ready(app: &App, settings: &Settings) -> Ready {
    Ready {
        email_from: app.mail.as_ref().map(|m| m.from.clone()),
        push: super::notify::public_key(app).is_some(),
        webhook: settings.endpoint_url.clone(),
    }
}

fn log_line(tz: &chrono_tz::Tz, r: &store::LogRow) -> LogLine {
    LogLine {
        id: r.id.clone(),
        kind: r.kind.clone(),
        member: r.member_name.clone(),
        channel: r.channel.clone(),
        status: r.status.clone(),
        when: when(tz, r.created_at),
        opened: r.opened_at.is_some(),
        clicked: r.clicked_at.is_some(),
    }
}

/// `GET /console/messages` (and the form back with its errors, or a notice).
pub async fn page(
    app: &App,
    person: &Person,
    desk: &Desk,
    posted: Option<(&ChannelsForm, &[(&'static str, Problem)])>,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let l = person.language;
    let m = person.merchant.to_string();
    let since = app.now_ms - RESULTS_DAYS * 86_400_000;
    let (stored, results, log) = store::console_page(&app.db, &m, since, CONVERSION_MS, 30).await?;
    let settings = stored.map(|s| s.settings()).unwrap_or_default();
    let tz = desk.config.tz();
    let form = ChannelsForm::of(&settings);
    let (form, errors) = posted.unwrap_or((&form, &[]));
    let results: Vec<ChannelLine> = results
        .into_iter()
        .map(|r| ChannelLine {
            channel: r.channel,
            sent: r.sent,
            failed: r.failed,
            opened: r.opened,
            clicked: r.clicked,
            converted: r.converted,
        })
        .collect();
    let log: Vec<LogLine> = log.iter().map(|r| log_line(&tz, r)).collect();
    let v = MessagesView {
        ready: &ready(app, &settings),
        form,
        errors,
        notice,
        me: &person.email,
        results: &results,
        log: &log,
    };
    let status = if errors.is_empty() { 200 } else { 422 };
    http::html(status, view::page(l, &desk.frame(person), &v))
}

/// `GET /console/messages/{id}`: one message with its attempts.
pub async fn message_page(
    app: &App,
    person: &Person,
    desk: &Desk,
    id: &str,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let m = person.merchant.to_string();
    let row = store::message(&app.db, &m, id)
        .await?
        .ok_or(AppError::MessageNotFound)?;
    let tz = desk.config.tz();
    #[derive(serde::Deserialize)]
    struct Attempt {
        at: i64,
        channel: Option<String>,
        http_status: Option<i64>,
        latency_ms: i64,
        error: Option<String>,
    }
    let attempts: Vec<Attempt> = row
        .attempts_log
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    let l = person.language;
    let attempts: Vec<AttemptLine> = attempts
        .into_iter()
        .map(|a| AttemptLine {
            at: when(&tz, a.at),
            channel: a.channel,
            answer: match a.http_status {
                Some(s) => format!("HTTP {s}, {} ms", a.latency_ms),
                None => format!("{} ms", a.latency_ms),
            },
            error: a.error,
        })
        .collect();
    let line = log_line(&tz, &row);
    let v = MessageView {
        id,
        line: &line,
        note: row.channel_note.as_deref(),
        last_error: row.last_error.as_deref(),
        opened: row.opened_at.map(|t| when(&tz, t)),
        clicked: row.clicked_at.map(|t| when(&tz, t)),
        attempts: &attempts,
        can_resend: matches!(row.status.as_str(), "dead" | "suppressed"),
        notice,
    };
    http::html(200, view::message(l, &desk.frame(person), &v))
}

/// The Messages module's forms.
pub async fn change(
    req: &Request,
    app: &App,
    person: &Person,
    fields: &[(String, String)],
    segments: &[&str],
) -> Result<Response, AppError> {
    let l = person.language;
    let m = person.merchant.to_string();
    let desk = Desk::open(app, person).await?;
    match segments {
        ["console", "messages", "channels"] => {
            let form = ChannelsForm::read(|name| http::form_field(fields, name));
            let current = store_messages::settings(&app.db, &m)
                .await?
                .map(|s| s.settings())
                .unwrap_or_default();
            match form.apply(&current) {
                Err(errors) => page(app, person, &desk, Some((&form, &errors)), None).await,
                Ok(settings) => {
                    let origin = http::origin(req)?;
                    store_messages::put_settings(&app.db, &m, &settings, &origin, app.now_ms)
                        .await?;
                    cache::refresh(app, person.merchant).await?;
                    let notice = l.pick("Saved.", "Zapisano.");
                    page(app, person, &desk, None, Some(notice)).await
                }
            }
        }
        ["console", "messages", "test"] => {
            let settings = store_messages::settings(&app.db, &m)
                .await?
                .map(|s| s.settings())
                .unwrap_or_default();
            let origin = http::origin(req)?;
            let text = match l {
                crate::domain::language::Language::En => format!(
                    "Hello {}!\n\nThis is how an email from {} looks to your customers: your name as the sender, your colours, one button to their card.",
                    person.name, desk.config.name
                ),
                crate::domain::language::Language::Pl => format!(
                    "Cześć, {}!\n\nTak wygląda e-mail od {} u Twoich klientów: Twoja nazwa jako nadawca, Twoje kolory, jeden przycisk do karty.",
                    person.name, desk.config.name
                ),
            };
            let mail = PersonMail {
                config: &desk.config,
                settings: &settings,
                origin: &origin,
                to: &person.email,
                language: l,
                subject: l.pick("A test message", "Wiadomość testowa"),
                text: &text,
                button: (
                    l.pick("Open the console", "Otwórz konsolę"),
                    format!("{origin}/console/messages"),
                ),
                why: l
                    .pick(
                        "You asked for this test in the console.",
                        "Ten test zamówiono w konsoli.",
                    )
                    .to_string(),
            };
            let notice = match deliver::mail_person(app, &mail).await {
                Ok(()) => format!(
                    "{}{}.",
                    l.pick("Test sent to ", "Wysłano test na adres "),
                    person.email
                ),
                Err(e) => {
                    worker::console_error!("test email: {e}");
                    l.pick(
                        "The test could not be sent: this server's email is not working. Ask your operator.",
                        "Nie udało się wysłać testu: poczta tego serwera nie działa. Zapytaj operatora.",
                    )
                    .to_string()
                }
            };
            page(app, person, &desk, None, Some(&notice)).await
        }
        ["console", "messages", id, "resend"] => {
            let notice = if store_messages::resend(&app.db, &m, id, app.now_ms).await? {
                app.wake(&m);
                l.pick("It goes out again now.", "Wiadomość wychodzi ponownie.")
            } else {
                l.pick(
                    "Only a failed or unsent message can be sent again.",
                    "Ponownie można wysłać tylko nieudaną lub niewysłaną wiadomość.",
                )
            };
            message_page(app, person, &desk, id, Some(notice)).await
        }
        _ => Err(AppError::NotFound),
    }
}
