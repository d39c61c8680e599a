// Messages in headless Chromium (playwright-core): an owner signs up and turns notifications and
// email on in the console's Messages page and sends a test to herself -> a customer's phone scans
// the poster and joins: the card offers notifications after that credit (never on a plain page
// load), the permission is granted through the browser's automation protocol, the card's service
// worker registers in its scope and the subscription is posted -> the owner re-sends the welcome
// that could not go before, and the test push service (npm web-push-testing, started here)
// receives it, VAPID-checked and decrypted -> the delivery log shows it, in English and Polish.
//
// Chromium's own push service is out of reach offline, so the page's PushManager.subscribe is
// answered with a subscription of web-push-testing (what the browser would get from its push
// service); everything else is the real page, script and service worker.
//
// Env: E2E_BASE_URL, SCREENS_DIR; CHROMIUM (default /usr/bin/chromium).

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { check, launch, screenshots, text } from './lib.mjs';

const base = process.env.E2E_BASE_URL;
const screens = process.env.SCREENS_DIR;
if (!base || !screens) throw new Error('set E2E_BASE_URL and SCREENS_DIR');
const { shot, decodeQr } = screenshots(screens, 'messages-');
const phoneView = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const desktopView = { viewport: { width: 1280, height: 900 } };

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function fits(page, what) {
  check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${what} fits the screen`);
}

const pushPort = await freePort();
const push = spawn(process.execPath, [new URL('../../node_modules/web-push-testing/src/bin/server.js', import.meta.url).pathname, String(pushPort)], { stdio: 'ignore' });
const pushBase = `http://localhost:${pushPort}`;
async function service(path, body) {
  const r = await fetch(`${pushBase}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => ({})) };
}
for (let i = 0; ; i += 1) {
  try { if ((await fetch(`${pushBase}/status`, { method: 'POST' })).ok) break; } catch { /* not yet */ }
  if (i > 100) throw new Error('web-push-testing did not start');
  await new Promise((r) => setTimeout(r, 100));
}

const browser = await launch();
try {
  console.log('  the owner signs up and opens Messages');
  const owner = await (await browser.newContext({ locale: 'en-GB', ...desktopView })).newPage();
  await owner.goto(`${base}/signup`);
  await owner.fill('#f-business', 'Kawiarnia Sygnał');
  await owner.fill('#f-name', 'Ola Wrona');
  const email = `messages-${Date.now()}@example.com`;
  await owner.fill('#f-email', email);
  await owner.fill('#f-password', 'kawa z mlekiem o 7');
  await owner.selectOption('#f-country', 'PL');
  await Promise.all([owner.waitForURL(`${base}/console/setup/business`), owner.click('button[type=submit]')]);
  await owner.goto(`${base}/console`);
  const home = await text(owner);
  check(home.includes('Turn on messages'), 'the home checklist offers to turn on messages');
  await owner.click('main a[href="/console/messages"]');
  await owner.waitForURL(`${base}/console/messages`);
  check((await text(owner)).includes('How messages reach your customers'), 'the Messages page explains the channels');

  console.log('  a bad reply-to comes back beside its field; then notifications and email go on');
  await owner.check('input[name=push]');
  await owner.check('input[name=email]');
  await owner.fill('#f-reply_to', 'ola@');
  await owner.click('form[action="/console/messages/channels"] button[type=submit]');
  await owner.waitForSelector('#f-reply_to-err');
  check(await owner.inputValue('#f-reply_to') === 'ola@', 'the typed address is kept');
  await shot(owner, 'console-error');
  await owner.fill('#f-reply_to', email);
  await owner.fill('#f-offer_en', 'Get a message when your free coffee is ready');
  await owner.click('form[action="/console/messages/channels"] button[type=submit]');
  await owner.waitForSelector('p.ok');
  check((await text(owner)).includes('Saved.'), 'the channels are saved');
  await owner.click('form[action="/console/messages/test"] button[type=submit]');
  await owner.waitForSelector('p.ok');
  check((await text(owner)).includes(`Test sent to ${email}`), 'a test email goes to the owner');
  await shot(owner, 'console-channels');

  console.log('  a customer joins from the poster: the offer comes with that first stamp');
  await owner.goto(`${base}/console/poster?location=1`);
  await owner.waitForSelector('.poster');
  const posterUrl = await decodeQr(owner, 'poster');
  const phoneContext = await browser.newContext({ locale: 'en-GB', ...phoneView });
  await phoneContext.grantPermissions(['notifications'], { origin: base });
  const customer = await phoneContext.newPage();
  await customer.goto(posterUrl);
  check(!(await customer.$('#push-offer')), 'no offer on the join form');
  await customer.fill('input[name=name]', 'Marta');
  await customer.click('button[type=submit]');
  await customer.waitForSelector('#push-offer:not([hidden])');
  check((await text(customer)).includes('Get a message when your free coffee is ready'), 'the owner\'s offer, after the credit');
  await shot(customer, 'offer');
  await fits(customer, 'the scan result with the offer at 360 px');
  const key = await customer.getAttribute('#push-offer', 'data-key');
  const merchant = (await customer.getAttribute('#push-offer', 'data-scope')).split('/')[2];
  const sub = (await service('/subscribe', { applicationServerKey: key })).body.data;
  check(sub && sub.endpoint.startsWith(pushBase), 'the test push service gives a subscription for the offered key');
  await customer.evaluate((s) => {
    PushManager.prototype.subscribe = async function subscribe() { return { toJSON() { return s; } }; };
  }, { endpoint: sub.endpoint, expirationTime: null, keys: sub.keys });
  await customer.click('#push-on');
  await customer.waitForSelector('#push-offer.done');
  check((await text(customer)).includes('Done: you will get a message on this phone.'), 'the card says notifications are on');
  const scope = await customer.evaluate(async (m) => {
    const r = await navigator.serviceWorker.getRegistration(`/c/${m}/`);
    return r && r.active && r.active.scriptURL;
  }, merchant);
  check(scope === `${base}/c/${merchant}/sw.js`, `the card's service worker is active in its scope (${scope})`);
  await shot(customer, 'offer-done');
  await customer.goto(`${base}/c/${merchant}`);
  check(!(await customer.$('#push-offer')), 'the card itself offers nothing on load');
  await customer.goto(`${base}/c/${merchant}/me`);
  check((await text(customer)).includes('Notifications from this card are on for 1 device.'), 'the privacy page shows the device and a way to turn it off');
  await shot(customer, 'privacy');

  console.log('  the owner re-sends the welcome that could not go: it arrives as a notification');
  await owner.goto(`${base}/console/messages`);
  await owner.click('table a[href^="/console/messages/welcome"]');
  await owner.waitForSelector('form[action$="/resend"]');
  check((await text(owner)).includes('no channel reaches the member'), 'the log says why the welcome was not sent');
  await owner.click('form[action$="/resend"] button');
  await owner.waitForSelector('p.ok');
  let got = [];
  for (let i = 0; i < 100 && got.length === 0; i += 1) {
    got = (await service('/get-notifications', { clientHash: sub.clientHash })).body.data.messages;
    if (got.length === 0) await new Promise((r) => setTimeout(r, 150));
  }
  check(got.length === 1, 'the push service received exactly one message, VAPID-checked and decrypted');
  const n = JSON.parse(got[0]);
  check(n.title.length > 0 && n.body.includes('Marta') && n.url === `${base}/c/${merchant}`, `it greets Marta and opens her card (${n.title}: ${n.body})`);
  await owner.goto(`${base}/console/messages`);
  const log = await text(owner);
  check(log.includes('Welcome') && log.includes('Notification') && log.includes('Sent'), 'the delivery log shows the welcome sent as a notification');
  await shot(owner, 'console-log');

  console.log('  the words of the birthday offer, with the previews following the typing');
  await owner.click('nav.tabs a[href="/console/messages/templates"]');
  await owner.click('ul.kinds a[href*="kind=birthday_offer"]');
  await owner.waitForSelector('#f-text');
  await owner.fill('#f-text', 'Happy birthday, {{name}}! A cake on us at {{merchant}} this week.');
  const frame = owner.frameLocator('iframe[data-as=email]');
  await frame.locator('p', { hasText: 'A cake on us' }).first().waitFor();
  const short = owner.frameLocator('iframe[data-as=short]');
  await short.locator('text=1 part').waitFor();
  check(true, 'the email preview and the notification follow the typed words, with Marta as the customer');
  await shot(owner, 'console-words');
  await owner.click('#words button[value=save]');
  await owner.waitForSelector('p.ok');
  check((await text(owner)).includes('These are your own words.'), 'the words are saved as the café\'s own');
  await owner.click('nav.tabs a[href="/console/messages"]');

  console.log('  the same page in Polish, and on a phone');
  await Promise.all([owner.waitForURL(`${base}/console/messages`), owner.click('button[name=language][value=pl]')]);
  await owner.waitForSelector('html[lang=pl] main');
  const pl = await text(owner);
  check(pl.includes('Jak wiadomości docierają do klientów') && pl.includes('Ostatnie wiadomości') && !pl.includes('Latest messages'), 'Messages speaks Polish');
  await shot(owner, 'console-pl');
  await owner.setViewportSize({ width: 360, height: 740 });
  await fits(owner, 'Messages at 360 px');
  await shot(owner, 'console-phone');
} finally {
  await browser.close();
  push.kill();
}
