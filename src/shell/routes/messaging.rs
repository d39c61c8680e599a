//! The console's Messages module: the channels form (with quiet hours and the cap), a test
//! email to oneself, what each channel achieves, the delivery log, a message's attempts and
//! re-send. Owners and managers.

use worker::{Request, Response};

use super::console::{when, Desk, Person};
use crate::domain::channels_form::{ChannelsForm, Problem};
use crate::domain::language::Language;
use crate::domain::messages::{
    render, sample_payload, sms_length, template_problem, variables, Class, Facts, Kind, Settings,
    Template, VARIABLES,
};
use crate::domain::program::MerchantConfig;
use crate::shell::app::App;
use crate::shell::cache;
use crate::shell::deliver::{self, PersonMail};
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::messages as store_messages;
use crate::shell::store::push as store;
use crate::view::email::{self as email_view, EmailView};
use crate::view::messages::{
    self as view, AttemptLine, ChannelLine, LogLine, MessageView, MessagesView, Ready,
};
use crate::view::templates::{self as templates_view, TemplatesView};

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

pub(super) fn log_line(tz: &chrono_tz::Tz, r: &store::LogRow) -> LogLine {
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
        can_resend: view::resendable(&row.status),
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
                Language::En => format!(
                    "Hello {}!\n\nThis is how an email from {} looks to your customers: your name as the sender, your colours, one button to their card.",
                    person.name, desk.config.name
                ),
                Language::Pl => format!(
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
        ["console", "messages", "templates"] => {
            save_template(req, app, person, &desk, fields).await
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

/// The kind and language a words page or preview is about (`kind`, `lang`; defaults: the
/// welcome, in the person's language).
fn which(get: impl Fn(&str) -> Option<String>, fallback: Language) -> (Kind, Language) {
    let kind = get("kind")
        .and_then(|k| Kind::parse(&k))
        .filter(|k| *k != Kind::Campaign)
        .unwrap_or(Kind::Welcome);
    let lang = get("lang")
        .and_then(|v| Language::parse(&v))
        .unwrap_or(fallback);
    (kind, lang)
}

/// The variables of a sample message of `kind` to Marta, for previews.
fn sample_vars(
    config: &MerchantConfig,
    kind: Kind,
    language: Language,
    card_link: &str,
    now: i64,
) -> std::collections::BTreeMap<&'static str, String> {
    let payload = sample_payload(kind, now);
    let level = |n: i64| {
        usize::try_from(n)
            .ok()
            .and_then(|i| config.program.tiers.levels.get(i))
            .map(|l| l.name.clone())
    };
    let facts = Facts {
        kind,
        language,
        member_name: "Marta",
        merchant_name: &config.name,
        points: 120,
        stamps: 3,
        card_size: config.program.stamp_card_size,
        card_reward: &config.program.card_reward,
        tier: None,
        card_link,
        tz: config.tz(),
        payload: &payload,
    };
    variables(&facts, &|_| None, &level)
}

/// `GET /console/messages/templates` (and the form back, with its error or a notice).
#[allow(clippy::too_many_arguments)]
pub async fn templates_page(
    req: &Request,
    app: &App,
    person: &Person,
    desk: &Desk,
    at: Option<(Kind, Language)>,
    posted: Option<(&str, &str, Option<String>)>,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let l = person.language;
    let settings = store_messages::settings(&app.db, &person.merchant.to_string())
        .await?
        .map(|s| s.settings())
        .unwrap_or_default();
    let (kind, language) = at.unwrap_or_else(|| which(|n| http::query(req, n), l));
    let custom = settings
        .templates
        .get(&kind)
        .is_some_and(|t| t.contains_key(&language));
    let current = settings.template(kind, language);
    let (subject, text, error) = match &posted {
        Some((s, t, e)) => (s.to_string(), t.to_string(), e.clone()),
        None => (current.subject, current.text, None),
    };
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("kind", kind.as_str())
        .append_pair("lang", language.as_str())
        .append_pair("subject", &subject)
        .append_pair("text", &text)
        .finish();
    let v = TemplatesView {
        kind,
        language,
        subject: &subject,
        text: &text,
        custom,
        error: error.as_deref(),
        notice,
        variables: &VARIABLES,
        query: &query,
    };
    let status = if error.is_some() { 422 } else { 200 };
    let resp = http::html_with_script(
        status,
        templates_view::page(l, &desk.frame(person), &v),
        templates_view::PREVIEW_SCRIPT,
    )?;
    http::extend_csp(&resp, "frame-src 'self'")?;
    Ok(resp)
}

/// `GET /console/messages/preview?kind&lang&subject&text&as=email|short`: the words as Marta
/// would get them: the email as it will look, or the notification and the text message.
pub async fn preview(
    req: &Request,
    app: &App,
    person: &Person,
    desk: &Desk,
) -> Result<Response, AppError> {
    let l = person.language;
    let (kind, language) = which(|n| http::query(req, n), l);
    // A campaign's words are previewed as a campaign (its own page has no saved words).
    let kind = if http::query(req, "kind").as_deref() == Some("campaign") {
        Kind::Campaign
    } else {
        kind
    };
    // Without words in the query, the saved ones.
    let template = match (http::query(req, "subject"), http::query(req, "text")) {
        (Some(subject), Some(text)) => Template { subject, text },
        _ => store_messages::settings(&app.db, &person.merchant.to_string())
            .await?
            .map(|s| s.settings())
            .unwrap_or_default()
            .template(kind, language),
    };
    let origin = http::origin(req)?;
    let card = format!("{origin}/c/{}", person.merchant);
    let vars = sample_vars(&desk.config, kind, language, &card, app.now_ms);
    let subject = render(&template.subject, &vars);
    let text = render(&template.text, &vars);
    let problem = template_problem(&template, l);
    let page = if http::query(req, "as").as_deref() == Some("email") && problem.is_none() {
        let marketing = kind.class() == Class::Marketing;
        let shop = &desk.config.name;
        email_view::html(&EmailView {
            language,
            shop,
            branding: &desk.config.branding,
            logo: desk
                .config
                .branding
                .logo_url
                .as_ref()
                .map(|u| format!("{origin}{u}")),
            subject: &subject,
            text: &text,
            button: (
                language.pick("Open my card", "Otwórz moją kartę"),
                card.clone(),
            ),
            why: match language {
                Language::En => {
                    format!("You get this email because you have a loyalty card at {shop}.")
                }
                Language::Pl => {
                    format!("Dostajesz tę wiadomość, bo masz kartę stałego klienta w {shop}.")
                }
            },
            unsubscribe: marketing.then(|| format!("{origin}/c/{}/me", person.merchant)),
            open_pixel: None,
        })
    } else {
        let title = if subject.trim().is_empty() {
            desk.config.name.clone()
        } else {
            subject.clone()
        };
        templates_view::short_preview(
            l,
            &desk.config.name,
            &title,
            &text,
            sms_length(&text),
            problem.as_deref(),
        )
    };
    let resp = http::html(200, page)?;
    resp.headers().set(
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https:; form-action 'none'; base-uri 'none'; frame-ancestors 'self'",
    )?;
    resp.headers().set("x-frame-options", "SAMEORIGIN")?;
    Ok(resp)
}

/// `POST /console/messages/templates`: saves, previews or resets one kind's words.
pub async fn save_template(
    req: &Request,
    app: &App,
    person: &Person,
    desk: &Desk,
    fields: &[(String, String)],
) -> Result<Response, AppError> {
    let l = person.language;
    let m = person.merchant.to_string();
    let get = |n: &str| http::form_field(fields, n);
    let (kind, language) = which(get, l);
    let subject = get("subject").unwrap_or_default();
    let text = get("text").unwrap_or_default();
    let template = Template {
        subject: subject.trim().to_string(),
        text: text.trim().to_string(),
    };
    let action = get("action").unwrap_or_default();
    let mut settings = store_messages::settings(&app.db, &m)
        .await?
        .map(|s| s.settings())
        .unwrap_or_default();
    match action.as_str() {
        "reset" => {
            if let Some(t) = settings.templates.get_mut(&kind) {
                t.remove(&language);
            }
            settings.templates.retain(|_, t| !t.is_empty());
        }
        "save" => {
            if let Some(problem) = template_problem(&template, l) {
                return templates_page(
                    req,
                    app,
                    person,
                    desk,
                    Some((kind, language)),
                    Some((subject.as_str(), text.as_str(), Some(problem))),
                    None,
                )
                .await;
            }
            settings
                .templates
                .entry(kind)
                .or_default()
                .insert(language, template);
        }
        _ => {
            let problem = template_problem(&template, l);
            return templates_page(
                req,
                app,
                person,
                desk,
                Some((kind, language)),
                Some((subject.as_str(), text.as_str(), problem)),
                None,
            )
            .await;
        }
    }
    let origin = http::origin(req)?;
    store_messages::put_settings(&app.db, &m, &settings, &origin, app.now_ms).await?;
    let notice = match action.as_str() {
        "reset" => l.pick("Our words are back.", "Przywrócono nasze słowa."),
        _ => l.pick(
            "Saved: the next messages use these words.",
            "Zapisano: kolejne wiadomości użyją tych słów.",
        ),
    };
    templates_page(
        req,
        app,
        person,
        desk,
        Some((kind, language)),
        None,
        Some(notice),
    )
    .await
}
