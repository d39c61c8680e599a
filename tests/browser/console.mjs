// The owner's first minutes in the console, in headless Chromium (playwright-core), on a phone
// (360 px) and on a desktop: open /signup -> a mistake comes back beside its field with the input
// kept -> sign up -> the console home's checklist -> the menu -> a module not built yet ->
// Insights and Customers -> the account page with this device -> switch to Polish: every visible
// string of the home page is Polish, and Insights and Customers are Polish -> sign out. Screenshots of each step go to $SCREENS_DIR (console-*).
//
// Env: E2E_BASE_URL, SCREENS_DIR; CHROMIUM (default /usr/bin/chromium).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

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
  await Promise.all([phone.waitForURL(`${base}/console`), phone.click('button[type=submit]')]);
  const home = await text(phone);
  check(home.includes('Set up your programme') && home.includes('Add a reward'), 'the checklist on the home page');
  check(home.includes('Ala Nowak · Owner'), 'who is signed in');
  await shot(phone, 'home-phone');
  check(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the home page fits 360 px');

  console.log('  the menu, a module not built yet, Insights, Customers, the account page');
  await phone.click('details.menu summary');
  await shot(phone, 'menu-open');
  await Promise.all([phone.waitForURL(`${base}/console/rewards`), phone.click('details.menu a[href="/console/rewards"]')]);
  check((await text(phone)).includes('not built yet'), 'a module not built yet says so');
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
  await Promise.all([desk.waitForURL(`${base}/console`), desk.click('button[name=language][value=pl]')]);
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
