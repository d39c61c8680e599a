// The customer's and the counter's journey in a real browser (Debian's headless Chromium driven
// by playwright-core) against the built Worker on local workerd, with a phone viewport:
// staff start a sale -> the phone opens the scan link -> joins -> sees the stamp -> redeems ->
// staff confirm the code on the counter screen -> the card shows it -> a friend joins through the
// invitation on a phone of their own -> the history lists each entry with its reason -> the
// privacy page saves preferences and downloads the member's data -> a Polish phone gets Polish.
// Every QR code on the way (sale, invitation, redemption, poster) is screenshotted as the browser
// drew it and decoded by zbarimg, an independent decoder, back to what it must say. Screenshots
// of each step go to $SCREENS_DIR. Then the dashboard draws its charts from the rolled-up days and explains the
// member's ledger, and the owner changes a setting in its field. Exits non-zero on the first
// failed check.
//
// Env: E2E_BASE_URL, E2E_ADMIN_SECRET, SCREENS_DIR; CHROMIUM (default /usr/bin/chromium).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, launch, screenshots } from './lib.mjs';

const base = process.env.E2E_BASE_URL;
const admin = process.env.E2E_ADMIN_SECRET;
const screens = process.env.SCREENS_DIR;
if (!base || !admin || !screens) throw new Error('set E2E_BASE_URL, E2E_ADMIN_SECRET and SCREENS_DIR');
const { shot, decodeQr } = screenshots(screens, '');

// Waits for `selector` to be visible; a failure names the step instead of a bare timeout.
async function visible(page, selector, what) {
  try {
    await page.waitForSelector(selector, { state: 'visible', timeout: 15000 });
  } catch (e) {
    throw new Error(`check failed: ${what} (no ${selector} on ${page.url()})`);
  }
  console.log(`    ok: ${what}`);
}

async function api(method, path, key, body) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

// A merchant of its own, with a reward the first sale pays for and referrals on.
const merchant = await api('POST', '/admin/v1/merchants', admin, {
  name: 'Kawiarnia Lipa',
  branding: { primary_color: '#5b3a29', accent_color: '#e0a458' },
  currency: { code: 'PLN', minor_units: 2 },
  time_zone: 'Europe/Warsaw',
  locations: ['Rynek 1'],
  program: {
    stamp_card_size: 8,
    referral: { enabled: true, referrer: { points: 20 }, referee: { points: 10 } },
  },
});
const owner = merchant.api_key;
const m = merchant.merchant_id;
await api('POST', '/api/v1/rewards', owner, { name: 'Cookie', kind: 'free_item', cost_points: 10 });
const till = (await api('POST', '/api/v1/keys', owner, { scope: 'counter', name: 'till', location: 1 })).api_key;

const browser = await launch();
try {
  const staff = await (await browser.newContext({ locale: 'en-US', viewport: { width: 800, height: 1000 } })).newPage();
  const phone = await (await browser.newContext({ locale: 'en-US',
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    userAgent: 'Mozilla/5.0 (Linux; Android 13; Pixel 6a) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36',
  })).newPage();

  console.log('==> the counter starts a sale');
  await staff.goto(`${base}/staff`);
  await staff.fill('#key', till);
  await staff.click('button[type=submit]');
  await staff.fill('#amount', '12,50');
  await shot(staff, 'counter-amount');
  await staff.click('form[action="/staff/sale"] button');
  await staff.waitForSelector('.qr svg');
  const saleUrl = await staff.getAttribute('.qr', 'data-url');
  check(saleUrl.startsWith(`${base}/s/`), `the sale QR is a scan link (${saleUrl.slice(0, 40)}...)`);
  check((await decodeQr(staff, 'sale')) === saleUrl, 'the sale QR decodes to its scan link');
  await shot(staff, 'counter-sale-qr');

  console.log('==> the phone opens the scan link and joins');
  await phone.goto(saleUrl);
  await shot(phone, 'phone-join-form');
  await phone.fill('input[name=name]', 'Ola');
  await phone.check('input[name=marketing_consent]');
  await phone.click('button[type=submit]');
  await phone.waitForSelector('text=+12 points');
  check(await phone.isVisible('.stamp.on.new'), 'the new stamp is drawn on the card');
  await shot(phone, 'phone-collected');

  console.log('==> the counter screen sees the scan');
  await staff.waitForSelector('text=Collected ✓', { timeout: 15000 });
  check(await staff.isVisible('text=12.50 PLN · Ola'), 'the counter says who collected');
  await shot(staff, 'counter-collected');

  console.log('==> the phone redeems');
  await phone.goto(`${base}/c/${m}`);
  await phone.waitForSelector('text=Cookie');
  const invite = (await phone.textContent('.link')).trim();
  check(invite.includes('/r/'), `the card shows an invitation link (${invite})`);
  check((await decodeQr(phone, 'invitation')) === invite, 'the invitation QR decodes to the link');
  await shot(phone, 'phone-card');
  await phone.click('button:has-text("Redeem")');
  await phone.waitForSelector('.code');
  const code = (await phone.textContent('.code')).trim();
  check(/^\d{6}$/.test(code), `a six-digit code is shown (${code})`);
  check((await decodeQr(phone, 'redemption')) === code, 'the redemption QR decodes to the code');
  const bar = await phone.$eval('.bar span', (e) => getComputedStyle(e).animationName);
  check(bar === 'run', 'the countdown bar moves (a screenshot cannot fake it)');
  await shot(phone, 'phone-code');

  console.log('==> the counter confirms the code');
  await staff.goto(`${base}/staff`);
  await staff.fill('#code', code);
  await staff.click('form[action="/staff/confirm"] button');
  await staff.waitForSelector(`text=Confirmed: Cookie (code ${code})`);
  await shot(staff, 'counter-confirmed');

  console.log('==> the card shows the result');
  await phone.reload();
  await phone.waitForSelector('text=Redeemed');
  await phone.goto(`${base}/c/${m}`);
  await phone.waitForSelector('text=Reward redeemed');
  const points = await phone.textContent('.big');
  check(points.trim() === '2', `2 points left after the 10-point cookie (${points.trim()})`);
  await shot(phone, 'phone-card-after');

  // A phone of its own: a fresh context, as a friend's phone would be.
  const phoneContext = (locale) => browser.newContext({ locale,
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36',
  });

  console.log('==> a friend joins through the invitation');
  const friend = await (await phoneContext('en-US')).newPage();
  await friend.goto(invite);
  await visible(friend, 'text=Ola invited you to Kawiarnia Lipa', 'the friend sees who invited them');
  await visible(friend, 'text=10 points', 'the friend sees what they get');
  await shot(friend, 'friend-invitation');
  await friend.fill('input[name=name]', 'Basia');
  await friend.click('button[type=submit]');
  await visible(friend, 'text=Hi Basia!', 'the friend lands on their own card');
  check(friend.url() === `${base}/c/${m}`, `the friend is on the card page (${friend.url()})`);
  check(!(await friend.isVisible('text=Hi Ola!')), "the friend's card is not Ola's");
  await visible(friend, "text=You joined through Ola's invitation", 'the card says the friend came through the invitation');
  await shot(friend, 'friend-card');

  console.log("==> the member's history");
  await phone.click('text=Full history and expiries');
  await visible(phone, 'h2:has-text("History")', 'the history page opens from the card');
  const rows = (await phone.locator('table tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
  check(rows.some((r) => r.includes('Collected') && r.includes('+12')), `the earned points are listed with their reason (${rows.join(' | ')})`);
  check(rows.some((r) => r.includes('Held for a reward code') && r.includes('-10')), 'the 10 points the code took are listed with their reason');
  check(rows.some((r) => r.includes('Reward redeemed')), 'the redemption is listed');
  await shot(phone, 'phone-history');

  console.log('==> the privacy page: preferences saved, data downloaded');
  await phone.goto(`${base}/c/${m}`);
  await phone.click('text=My data and privacy');
  await visible(phone, 'h2:has-text("Messages")', 'the privacy page opens from the card');
  check(await phone.isChecked('input[name=marketing_consent]'), 'the consent given at joining is ticked');
  await phone.uncheck('input[name=marketing_consent]');
  await phone.selectOption('#language', 'pl');
  await phone.click('button:has-text("Save")');
  await visible(phone, 'text=Zapisano.', 'the page says it saved (in the language just chosen)');
  await phone.reload();
  check(!(await phone.isChecked('input[name=marketing_consent]')), 'the consent stays withdrawn after a reload');
  check((await phone.inputValue('#language')) === 'pl', 'the language stays Polish after a reload');
  const [download] = await Promise.all([
    phone.waitForEvent('download', { timeout: 15000 }),
    phone.click('text=Pobierz moje dane'),
  ]);
  const file = join(screens, 'my-loyalty-data.json');
  await download.saveAs(file);
  let data;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`check failed: the download is JSON (${e.message})`);
  }
  console.log(`    ok: the download is JSON (${download.suggestedFilename()})`);
  check(data.member?.name === 'Ola', 'the download holds the member (her name)');
  check(data.member?.marketing_consent === 0, 'the download holds the consent just withdrawn');
  const reasons = (data.ledger ?? []).map((e) => e.reason).join(',');
  check(reasons === 'earn,reserve,redeem', `the download holds her ledger (${reasons})`);
  await shot(phone, 'phone-privacy');
  await phone.goto(`${base}/c/${m}`);
  await visible(phone, 'text=Cześć, Ola!', 'her card now speaks Polish');

  console.log('==> a Polish phone sees Polish pages');
  const polish = await (await phoneContext('pl-PL')).newPage();
  await polish.goto(invite);
  await visible(polish, 'text=Ola zaprasza Cię: Kawiarnia Lipa', 'the invitation is in Polish');
  await visible(polish, 'label:has-text("Imię")', 'the join form is in Polish');
  await visible(polish, 'button:has-text("Dołącz")', 'the join button is in Polish');
  check((await polish.getAttribute('html', 'lang')) === 'pl', 'the page says it is Polish (<html lang="pl">)');
  await shot(polish, 'phone-polish-invitation');

  console.log('==> the poster');
  const ownerScreen = await (await browser.newContext({ locale: 'en-US', viewport: { width: 800, height: 1100 } })).newPage();
  await ownerScreen.goto(`${base}/staff`);
  await ownerScreen.fill('#key', owner);
  await ownerScreen.click('button[type=submit]');
  await ownerScreen.click('text=Print the poster of Rynek 1');
  await ownerScreen.waitForSelector('.poster .qr svg');
  const posterUrl = await ownerScreen.getAttribute('.qr', 'data-url');
  check((await decodeQr(ownerScreen, 'poster')) === posterUrl, 'the poster QR decodes to its visit link');
  await ownerScreen.emulateMedia({ media: 'print' });
  await shot(ownerScreen, 'poster-print');
  console.log('==> the dashboard draws its charts from the rolled-up days');
  await api('POST', `/admin/v1/merchants/${m}/rollups`, admin, { now: Date.now() + 2 * 86400000 });
  const dash = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
  await dash.goto(`${base}/dashboard`);
  await dash.fill('#key', owner);
  await dash.click('button[type=submit]');
  await dash.waitForSelector('svg.chart');
  check((await dash.locator('svg.chart').count()) === 3, 'three charts are drawn');
  check((await dash.locator('svg.chart polyline').count()) >= 2, 'the member lines are drawn');
  check(await dash.isVisible('text=/ha(s|ve) your card/'), 'each card says in a sentence what its figure means');
  await dash.click('.kpi details summary >> nth=0');
  check(await dash.isVisible('text=members at the end of the day'), 'its definition is under "How is this computed?"');
  await shot(dash, 'dashboard');
  await dash.click('text=Find a member');
  await dash.fill('#query', 'Ola');
  await dash.click('button[type=submit]');
  await dash.click("text=Open Ola's ledger");
  await dash.waitForSelector('text=Reward redeemed');
  await shot(dash, 'dashboard-member');

  console.log('==> the owner changes a setting in its field');
  await dash.goto(`${base}/dashboard/program`);
  check((await dash.inputValue('#stamp_card_size')) === '8', 'the stamp card size field shows 8');
  await dash.getByLabel('Stamps that fill a card').fill('10');
  await dash.click('button:has-text("Save settings")');
  await visible(dash, 'text=/Saved as version \\d+\\./', 'the page says the new version is stored');
  check((await dash.inputValue('#stamp_card_size')) === '10', 'the field now shows 10');
  check((await api('GET', '/api/v1/program', owner)).program.stamp_card_size === 10, 'the API serves the new card size');
  await shot(dash, 'dashboard-settings');
  console.log(`    the journey passed; screenshots in ${screens}`);
} finally {
  await browser.close();
}
