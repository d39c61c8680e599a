//! What a member sees of messages on their phone: the offer to turn notifications on (after a
//! scan or joining, never on a plain page load), the card's service worker, and the page an
//! email's unsubscribe link opens.

use maud::{html, Markup};

use super::page::layout;
use crate::domain::language::Language;
use crate::domain::links::Via;
use crate::domain::program::MerchantConfig;

/// The offer's script (allowed by its hash). It shows the offer only where push works and the
/// member has neither subscribed on this device nor said no; on an iPhone outside the home
/// screen it shows how to add the card first. A tap registers the card's service worker, asks
/// for permission, subscribes with the operator's key and posts the subscription. (The page is
/// outside the worker's scope, so it waits for that registration to be active, not for
/// `serviceWorker.ready`.)
pub const OFFER_SCRIPT: &str = r#"(function(){var b=document.getElementById('push-offer');if(!b)return;var on=document.getElementById('push-on'),note=document.getElementById('push-note'),d=b.dataset;function say(t){note.textContent=t;note.hidden=false}var ios=/iPhone|iPad|iPod/.test(navigator.userAgent);if(!('serviceWorker' in navigator)||!('PushManager' in window)||!('Notification' in window)){if(ios&&!navigator.standalone){b.hidden=false;on.hidden=true;say(d.ios)}return}if(Notification.permission==='denied')return;navigator.serviceWorker.getRegistration(d.scope).then(function(r){return r?r.pushManager.getSubscription():null}).then(function(s){if(!s)b.hidden=false});function key(s){var p='='.repeat((4-s.length%4)%4),r=atob((s+p).replace(/-/g,'+').replace(/_/g,'/')),a=new Uint8Array(r.length);for(var i=0;i<r.length;i++)a[i]=r.charCodeAt(i);return a}function active(r){if(r.active)return Promise.resolve(r);var w=r.installing||r.waiting;return new Promise(function(ok){w.addEventListener('statechange',function(){if(w.state==='activated')ok(r)})})}on.onclick=function(){on.disabled=true;var reg;navigator.serviceWorker.register(d.sw,{scope:d.scope}).then(active).then(function(r){reg=r;return Notification.requestPermission()}).then(function(p){if(p!=='granted')throw new Error('denied');return reg.pushManager.subscribe({userVisibleOnly:true,applicationServerKey:key(d.key)})}).then(function(s){return fetch(d.post,{method:'POST',credentials:'same-origin',headers:{'content-type':'application/json'},body:JSON.stringify(s)})}).then(function(r){if(!r.ok)throw new Error('http');on.hidden=true;b.classList.add('done');say(d.done)}).catch(function(e){on.disabled=false;say(e&&e.message==='denied'?d.denied:d.failed)})}})();"#;

/// The card's service worker: shows a pushed message as a notification; a tap reports itself
/// (so the owner sees what push achieves) and opens the card, or focuses it if open.
pub fn service_worker(merchant: &str) -> String {
    format!(
        r#"var REPORT='/m/{merchant}/p/',SCOPE='/c/{merchant}';
self.addEventListener('install',function(){{self.skipWaiting()}});
self.addEventListener('activate',function(e){{e.waitUntil(self.clients.claim())}});
self.addEventListener('push',function(e){{var d={{}};try{{d=e.data?e.data.json():{{}}}}catch(x){{d={{title:e.data.text()}}}}
e.waitUntil(self.registration.showNotification(d.title||'',{{body:d.body||'',icon:d.icon,data:{{url:d.url||SCOPE,token:d.token}}}}))}});
self.addEventListener('notificationclick',function(e){{e.notification.close();var d=e.notification.data||{{}};
var report=d.token?fetch(REPORT+d.token,{{method:'POST',credentials:'same-origin'}}).catch(function(){{}}):Promise.resolve();
e.waitUntil(Promise.all([report,self.clients.matchAll({{type:'window',includeUncontrolled:true}}).then(function(list){{
for(var i=0;i<list.length;i++){{if(list[i].url.indexOf(d.url)===0&&'focus' in list[i])return list[i].focus()}}
return self.clients.openWindow(d.url)}})]))}});
"#
    )
}

/// The offer box, hidden until its script decides it fits this phone.
pub fn offer(l: Language, config: &MerchantConfig, public_key: &str) -> Markup {
    let m = config.id.0;
    let Some(text) = config.push_offer.as_ref().and_then(|o| o.get(&l).cloned()) else {
        return html! {};
    };
    html! {
        div class="box" id="push-offer" hidden
            data-key=(public_key)
            data-sw={ "/c/" (m) "/sw.js" }
            data-scope={ "/c/" (m) "/" }
            data-post={ "/c/" (m) "/push" }
            data-done=(l.pick("Done: you will get a message on this phone.", "Gotowe: wiadomości przyjdą na ten telefon."))
            data-denied=(l.pick("Notifications are blocked for this page in your browser's settings.", "Powiadomienia dla tej strony są zablokowane w ustawieniach przeglądarki."))
            data-failed=(l.pick("That did not work. Try again in a moment.", "Nie udało się. Spróbuj za chwilę."))
            data-ios=(l.pick("To get messages on an iPhone, add this card to your home screen first: tap Share, then “Add to Home Screen”, and open the card from there.",
                             "Aby dostawać wiadomości na iPhonie, najpierw dodaj kartę do ekranu początkowego: stuknij Udostępnij, potem „Do ekranu początkowego”, i otwórz kartę stamtąd.")) {
            p { strong { (text) } }
            button type="button" id="push-on" { (l.pick("Turn on notifications", "Włącz powiadomienia")) }
            p class="muted" id="push-note" role="status" hidden {}
        }
    }
}

/// The channel's name in a sentence ("by email").
fn by(l: Language, via: Via) -> &'static str {
    match via {
        Via::Email => l.pick("by email", "e-mailem"),
        Via::Push => l.pick("as notifications", "jako powiadomienia"),
        Via::Webhook => l.pick("by text message", "SMS-em"),
    }
}

/// The page an unsubscribe link opens: the state now and one button that turns offers on that
/// channel off (or back on, to undo). Opening the page changes nothing: mail scanners open links.
pub fn unsubscribe_page(
    l: Language,
    config: &MerchantConfig,
    via: Via,
    off: bool,
    just_changed: bool,
    action: &str,
) -> String {
    let shop = &config.name;
    layout(
        l,
        &config.branding,
        shop,
        l.pick("Offers", "Oferty"),
        html! {
            div class="box" {
                @if off {
                    h2 { @match l {
                        Language::En => { "You will get no more offers " (by(l, via)) "." },
                        Language::Pl => { "Nie będziesz już dostawać ofert " (by(l, via)) "." },
                    } }
                    p { (l.pick("Messages about your card (a confirmed reward, points about to expire) still come. You can change this on your card's privacy page.",
                                "Wiadomości o karcie (odebrana nagroda, wygasające punkty) nadal będą przychodzić. Możesz to zmienić na stronie prywatności karty.")) }
                    @if just_changed {
                        form method="post" action=(action) {
                            input type="hidden" name="action" value="on";
                            button type="submit" class="secondary" { (l.pick("Undo: keep sending me offers", "Cofnij: chcę dostawać oferty")) }
                        }
                    } @else {
                        form method="post" action=(action) {
                            input type="hidden" name="action" value="on";
                            button type="submit" { (l.pick("Send me offers again", "Chcę znów dostawać oferty")) }
                        }
                    }
                } @else {
                    h2 { @match l {
                        Language::En => { "Stop offers from " (shop) " " (by(l, via)) "?" },
                        Language::Pl => { "Wyłączyć oferty od " (shop) " " (by(l, via)) "?" },
                    } }
                    @if just_changed {
                        p class="ok" { (l.pick("Offers are on again.", "Oferty są znów włączone.")) }
                    }
                    form method="post" action=(action) {
                        input type="hidden" name="action" value="off";
                        button type="submit" { (l.pick("Stop offers", "Wyłącz oferty")) }
                    }
                }
                p { a href={ "/c/" (config.id.0) } { (l.pick("Open my card", "Otwórz moją kartę")) } }
            }
        },
    )
}
