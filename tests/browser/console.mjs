// The owner's first minutes in the console, in headless Chromium (playwright-core), on a phone
// (360 px) and on a desktop: open /signup -> a mistake comes back beside its field with the input
// kept -> sign up -> the guided set-up (an SVG refused, a real PNG logo uploaded, the card
// preview, earning, rewards, a skipped step, the table tent) -> the console home's checklist ->
// the menu -> Settings -> Insights and Customers -> the account page with this
// device -> switch to Polish: every visible string of the home page is Polish, and Insights and
// Customers are Polish -> sign out. Screenshots of each step go to $SCREENS_DIR (console-*).
//
// Env: E2E_BASE_URL, SCREENS_DIR; CHROMIUM (default /usr/bin/chromium).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { paintLogo } from './lib.mjs';

const base = process.env.E2E_BASE_URL;
const screens = process.env.SCREENS_DIR;
if (!base || !screens) throw new Error('set E2E_BASE_URL and SCREENS_DIR');
mkdirSync(screens, { recursive: true });

let step = 0;
function check(ok, what) {
  if (!ok) throw new Error(`check failed: ${what}`);
  console.log(`    ok: ${what}`);
}

async function shot(page, name) {
  step += 1;
  const file = join(screens, `console-${String(step).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`    screenshot: ${file}`);
}

async function text(page) {
  return page.evaluate(() => document.body.innerText);
}

const started = Date.now();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const email = `owner-${Date.now()}@example.com`;
  const password = 'kawa z mlekiem o 7';
  const phone = await (await browser.newContext({ locale: 'en-US',
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true })).newPage();

  console.log('  the owner signs up on a phone');
  await phone.goto(`${base}/signup`);
  check((await text(phone)).includes('Start your loyalty card'), 'the sign-up page in English');
  await phone.fill('#f-business', 'Café Ala');
  await phone.fill('#f-name', 'Ala Nowak');
  await phone.fill('#f-email', email);
  await phone.fill('#f-password', 'short');
  await phone.selectOption('#f-country', 'PL');
  await phone.click('button[type=submit]');
  await phone.waitForSelector('#f-password-err');
  check((await phone.textContent('#f-password-err')).includes('at least 10 characters'), 'the error beside the password');
  check(await phone.inputValue('#f-business') === 'Café Ala', 'what was typed is kept');
  check(await phone.inputValue('#f-password') === '', 'the password is never sent back');
  await shot(phone, 'sign-up-error');
  const noScroll = await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  check(noScroll, 'no horizontal scrolling at 360 px');
  await phone.fill('#f-password', password);
  await Promise.all([phone.waitForURL(`${base}/console/setup/business`), phone.click('button[type=submit]')]);

  console.log('  the guided set-up: logo and colours with the card preview, earning, rewards, locations, poster');
  const fits = async (what) => check(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${what} fits 360 px`);
  check((await text(phone)).includes('1. Your business'), 'sign-up lands on the first set-up step');
  await fits('the business step');
  const png = await paintLogo(browser, { width: 160, height: 64, colour: '#1f6f5c', label: 'Café Ala',
    font: 'bold 30px sans-serif', x: 10, y: 42 });
  await phone.setInputFiles('#f-logo', { name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') });
  await phone.click('form[action="/console/setup/logo"] button[type=submit]');
  await phone.waitForSelector('#f-logo-err');
  check((await phone.textContent('#f-logo-err')).includes('SVG images are not accepted'), 'an SVG is refused beside the field');
  await shot(phone, 'setup-logo-svg-refused');
  await phone.setInputFiles('#f-logo', { name: 'logo.png', mimeType: 'image/png', buffer: png });
  await Promise.all([phone.waitForURL(`${base}/console/setup/business`), phone.click('form[action="/console/setup/logo"] button[type=submit]')]);
  const logo = await phone.getAttribute('img.logo', 'src');
  check(/^\/files\/[0-9a-f]{8}\/[0-9a-f]{64}\.png$/.test(logo), `the logo is served from our origin (${logo})`);
  const served = await phone.request.get(`${base}${logo}`);
  check(served.headers()['content-type'] === 'image/png' && served.headers()['x-content-type-options'] === 'nosniff', 'served as image/png, nosniff');
  await phone.fill('#f-primary', '#1f6f5c');
  await phone.click('button[name=preview]');
  const frame = await (await phone.waitForSelector('iframe')).contentFrame();
  await frame.waitForSelector('header .logo');
  check((await frame.textContent('header')).includes('Café Ala'), 'the preview is the real card, with the logo');
  check(frame.url().includes('primary=%231f6f5c'), 'the preview follows the typed colour');
  await phone.waitForTimeout(300);
  await shot(phone, 'setup-business-phone');
  await Promise.all([phone.waitForURL(`${base}/console/setup/earn`), phone.click('form[action="/console/setup/business"] button[type=submit]:not([name])')]);
  check(await phone.inputValue('#f-card_size') === '8' && (await phone.inputValue('#f-card_reward')) === 'a free coffee', '8 stamps for a free coffee by default');
  await fits('the earn step');
  await shot(phone, 'setup-earn-phone');
  await phone.fill('#f-card_size', '70');
  await phone.click('main form button[type=submit]:not([name])');
  await phone.waitForSelector('#f-card_size-err');
  check((await phone.textContent('#f-card_size-err')).includes('from 1 to 50'), 'a bad number beside its field');
  await phone.fill('#f-card_size', '8');
  await Promise.all([phone.waitForURL(`${base}/console/setup/rewards`), phone.click('main form button[type=submit]:not([name])')]);
  check(await phone.inputValue('#f-name1') === 'A free coffee', 'a first reward ready to save');
  await shot(phone, 'setup-rewards-phone');
  await Promise.all([phone.waitForURL(`${base}/console/setup/locations`), phone.click('main form button[type=submit]:not([name])')]);
  await fits('the locations step');
  await shot(phone, 'setup-locations-phone');
  await Promise.all([phone.waitForURL(`${base}/console/setup/print`), phone.click('main button[name=skip]')]);
  check((await text(phone)).includes('4. Locations and time zone · skipped'), 'a skipped step says so');
  await shot(phone, 'setup-print-phone');
  await fits('the print step');
  await Promise.all([phone.waitForURL(/\/console\/poster\?location=1&layout=tent/), phone.click('a[href$="layout=tent"]')]);
  check((await text(phone)).includes('fold here') && (await phone.$('.qr svg')) !== null, 'the table tent with its QR code');
  await shot(phone, 'setup-table-tent');
  await phone.goto(`${base}/console/setup/print`);
  await Promise.all([phone.waitForURL(`${base}/console`), phone.click('form[action="/console/setup/print"] button[type=submit]:not([name])')]);
  const home = await text(phone);
  check(home.includes('Check locations and time zone') && home.includes('4 of 8 steps left'), 'the checklist shows what is left');
  check(home.includes('Set up your programme') && home.includes('Add a reward'), 'the checklist on the home page');
  check(home.includes('Ala Nowak · Owner'), 'who is signed in');
  await shot(phone, 'home-phone');
  check(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the home page fits 360 px');

  console.log('  the menu, Settings, Insights, Customers, the account page');
  await phone.click('details.menu summary');
  await shot(phone, 'menu-open');
  await Promise.all([phone.waitForURL(`${base}/console/settings`), phone.click('details.menu a[href="/console/settings"]')]);
  check((await text(phone)).includes('Your café') && (await text(phone)).includes('The currency is fixed'), 'Settings: the name, the time zone, the currency');
  await shot(phone, 'settings-phone');
  check(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'Settings fit 360 px');
  await phone.goto(`${base}/console/insights`);
  check((await text(phone)).includes('No day has been rolled up yet'), 'Insights say when figures come');
  await shot(phone, 'insights-phone');
  check(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'Insights fit 360 px');
  await phone.goto(`${base}/console/customers`);
  await phone.fill('#query', 'Ola');
  await Promise.all([phone.waitForURL(/query=Ola/), phone.click('form[role=search] button')]);
  check((await text(phone)).includes('Nothing yet'), 'a lookup that finds nobody says so');
  await shot(phone, 'customers-phone');
  check(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'Customers fit 360 px');
  await phone.goto(`${base}/console/account`);
  check((await text(phone)).includes('(this one)'), 'this device in the list of signed-in devices');
  await shot(phone, 'account-phone');
  check(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the account page fits 360 px');

  console.log('  the owner invites a staff member, who accepts on a tablet of their own');
  await phone.goto(`${base}/console/people`);
  await phone.fill('#f-email', `staff-${Date.now()}@example.com`);
  await phone.selectOption('#f-role', 'staff');
  await phone.click('form[action="/console/people/invite"] button[type=submit]');
  await phone.waitForSelector('#invite-link');
  const link = await phone.inputValue('#invite-link');
  check(link.startsWith(`${base}/invite/`), 'an invitation link to copy');
  await shot(phone, 'people-invited');
  check(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the people page fits 360 px');
  const tablet = await (await browser.newContext({ locale: 'pl-PL', viewport: { width: 800, height: 1000 } })).newPage();
  await tablet.goto(link);
  check((await text(tablet)).includes('Café Ala zaprasza'), 'the invitation, in the tablet\'s Polish');
  await tablet.fill('#f-name', 'Kasia');
  await tablet.fill('#f-password', 'mleko z pianką 12');
  await shot(tablet, 'invitation');
  await Promise.all([tablet.waitForURL(`${base}/console/account`), tablet.click('button[type=submit]')]);
  const staffPage = await text(tablet);
  check(staffPage.includes('Kasia · Obsługa') && !staffPage.includes('Klienci'), 'staff see their account and the till only');

  console.log('  on a desktop, in Polish');
  const desk = await (await browser.newContext({ locale: 'pl-PL', viewport: { width: 1280, height: 900 } })).newPage();
  await desk.goto(`${base}/signin?lang=pl`);
  check((await text(desk)).includes('Logowanie'), 'the sign-in page in Polish');
  await desk.fill('#f-email', email);
  await desk.fill('#f-password', 'wrong password here');
  await desk.click('button[type=submit]');
  await desk.waitForSelector('.alert');
  check((await text(desk)).includes('Ten e-mail i hasło nie pasują'), 'a wrong password, in Polish');
  await desk.fill('#f-password', password);
  await Promise.all([desk.waitForURL(`${base}/console`), desk.click('button[type=submit]')]);
  await shot(desk, 'home-desktop-en');
  await desk.goto(`${base}/console/setup/business`);
  const deskFrame = await (await desk.waitForSelector('iframe')).contentFrame();
  await deskFrame.waitForSelector('header .logo');
  await shot(desk, 'setup-business-desktop');
  await desk.goto(`${base}/console`);
  await Promise.all([desk.waitForURL(`${base}/console`), desk.click('button[name=language][value=pl]')]);
  await desk.waitForSelector('html[lang=pl] main');
  const polish = await text(desk);
  for (const english of ['Set up your programme', 'Add a reward', 'Sign out', 'Home', 'My account', 'members so far']) {
    check(!polish.includes(english), `no English left: "${english}"`);
  }
  check(polish.includes('Przygotuj swój program') && polish.includes('Właściciel'), 'the home page in Polish');
  await shot(desk, 'home-desktop-pl');
  for (const [path, english] of [['/console/insights', 'Rolled up through'], ['/console/customers', 'Find']]) {
    await desk.goto(`${base}${path}`);
    const shown = await text(desk);
    check(!shown.includes(english) && !shown.includes('Sign out'), `${path} in Polish`);
    await shot(desk, `${path.split('/').pop()}-desktop-pl`);
  }
  await Promise.all([desk.waitForURL(`${base}/signin`), desk.click('header button.quiet')]);
  check((await text(desk)).includes('Logowanie'), 'signed out, back at sign-in');
  console.log(`    the console journey took ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await browser.close();
}
