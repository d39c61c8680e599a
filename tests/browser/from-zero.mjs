// "An owner from zero", in headless Chromium (playwright-core), with nothing set up beforehand and
// no API call: the owner signs up on a phone (360 px) -> the guided set-up with a logo upload and
// the printed poster -> invites a barista, who accepts on their
// own phone and sets a till PIN -> the owner opens the tills page on a desktop, makes a pairing
// code -> a tablet (a second browser) pairs with it -> the barista taps their name and types
// their PIN -> a customer's phone (a third browser) scans the poster's QR
// code, joins and collects -> the barista starts a sale, the customer scans it -> the owner sees
// the customer on the console home and what the barista did on the activity page -> switches to
// Polish: every visible string is Polish. Asserts what is on screen at each step; screenshots go
// to $SCREENS_DIR (zero-*). QR codes are read back with zbarimg.
//
// Env: E2E_BASE_URL, SCREENS_DIR; CHROMIUM (default /usr/bin/chromium).

import { check, launch, paintLogo, screenshots, text } from './lib.mjs';

const base = process.env.E2E_BASE_URL;
const screens = process.env.SCREENS_DIR;
if (!base || !screens) throw new Error('set E2E_BASE_URL and SCREENS_DIR');
const { shot, decodeQr } = screenshots(screens, 'zero-');

async function fits(page, what) {
  check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${what} fits the screen`);
}

const phoneView = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const started = Date.now();
const browser = await launch();
try {
  const email = `zero-${Date.now()}@example.com`;
  const password = 'kawa z mlekiem o 7';

  console.log('  the owner signs up on a phone');
  const owner = await (await browser.newContext({ locale: 'en-GB', ...phoneView })).newPage();
  await owner.goto(`${base}/signup`);
  await owner.fill('#f-business', 'Kawiarnia Zero');
  await owner.fill('#f-name', 'Ewa Zając');
  await owner.fill('#f-email', email);
  await owner.fill('#f-password', password);
  await owner.selectOption('#f-country', 'PL');
  await Promise.all([owner.waitForURL(`${base}/console/setup/business`), owner.click('button[type=submit]')]);
  check((await text(owner)).includes('Kawiarnia Zero'), 'the console opens on the guided set-up for the new café');

  console.log('  the guided set-up: a logo, earning, rewards, locations, the poster');
  const png = await paintLogo(browser, { width: 120, height: 120, colour: '#7a3e1d', label: 'Z',
    font: 'bold 64px sans-serif', x: 38, y: 84 });
  await owner.setInputFiles('#f-logo', { name: 'logo.png', mimeType: 'image/png', buffer: png });
  await Promise.all([owner.waitForURL(`${base}/console/setup/business`), owner.click('form[action="/console/setup/logo"] button[type=submit]')]);
  const logo = await (await owner.waitForSelector('iframe')).contentFrame();
  check((await logo.$('header img')) !== null, 'the card preview shows the uploaded logo');
  await shot(owner, 'setup-logo');
  await fits(owner, 'the business step at 360 px');
  await Promise.all([owner.waitForURL(`${base}/console/setup/earn`), owner.click('form[action="/console/setup/business"] button[type=submit]:not([name])')]);
  await Promise.all([owner.waitForURL(`${base}/console/setup/rewards`), owner.click('main form button[type=submit]:not([name])')]);
  await Promise.all([owner.waitForURL(`${base}/console/setup/locations`), owner.click('main form button[type=submit]:not([name])')]);
  await Promise.all([owner.waitForURL(`${base}/console/setup/print`), owner.click('main form button[type=submit]:not([name])')]);
  await owner.click('a[href="/console/poster?location=1"]');
  await owner.waitForSelector('.poster');
  const posterUrl = await decodeQr(owner, 'poster');
  check(posterUrl.startsWith(`${base}/s/`), 'the printed poster\'s QR code is a scan link');
  await shot(owner, 'poster');
  await owner.goto(`${base}/console/setup/print`);
  await Promise.all([owner.waitForURL(`${base}/console`), owner.click('form[action="/console/setup/print"] button[type=submit]:not([name])')]);

  console.log('  the owner invites a barista, who accepts on their own phone and sets a PIN');
  await owner.goto(`${base}/console/people`);
  await owner.fill('#f-email', `barista-${Date.now()}@example.com`);
  await owner.selectOption('#f-role', 'staff');
  await owner.click('form[action="/console/people/invite"] button[type=submit]');
  await owner.waitForSelector('#invite-link');
  const link = await owner.inputValue('#invite-link');
  const barista = await (await browser.newContext({ locale: 'pl-PL', ...phoneView })).newPage();
  await barista.goto(link);
  await barista.fill('#f-name', 'Kuba');
  await barista.fill('#f-password', 'mleko z pianką 12');
  await Promise.all([barista.waitForURL(`${base}/console/account`), barista.click('button[type=submit]')]);
  check((await text(barista)).includes('PIN do kasy'), 'the barista\'s account page offers a till PIN, in Polish');
  await barista.fill('#f-pin', '1234');
  await barista.fill('#f-pin_again', '1234');
  await barista.click('form[action="/console/account/pin"] button[type=submit]');
  await barista.waitForSelector('#f-pin-err');
  check((await barista.textContent('#f-pin-err')).includes('każdy sprawdzi najpierw'), 'a guessable PIN is refused beside its field');
  await barista.fill('#f-pin', '2468');
  await barista.fill('#f-pin_again', '2468');
  await barista.click('form[action="/console/account/pin"] button[type=submit]');
  await barista.waitForSelector('.ok');
  check((await text(barista)).includes('PIN zapisany'), 'the PIN is saved');
  await shot(barista, 'barista-pin');
  await fits(barista, 'the account page at 360 px');

  console.log('  the owner makes a pairing code on a desktop');
  const desk = await (await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } })).newPage();
  await desk.goto(`${base}/signin?lang=en`);
  await desk.fill('#f-email', email);
  await desk.fill('#f-password', password);
  await Promise.all([desk.waitForURL(/\/console/), desk.click('button[type=submit]')]);
  await desk.goto(`${base}/console/people`);
  await Promise.all([desk.waitForURL(`${base}/console/tills`), desk.click('nav.tabs a[href="/console/tills"]')]);
  check((await text(desk)).includes('No till is paired yet'), 'the tills page says what to do first');
  await desk.fill('#f-label', 'Counter');
  await desk.click('form[action="/console/tills/pair"] button[type=submit]');
  await desk.waitForSelector('.pairing-code');
  const shown = (await desk.textContent('.pairing-code')).trim();
  check(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/.test(shown), `a pairing code to read out (${shown})`);
  const pairUrl = await decodeQr(desk, 'pairing');
  check(pairUrl === `${base}/staff/pair?code=${shown.replace('-', '')}`, 'its QR code opens the pairing page with the code');
  await shot(desk, 'pairing-code');

  console.log('  the tablet at the counter pairs with the code typed in, then the barista signs in');
  const tablet = await (await browser.newContext({ locale: 'pl-PL', viewport: { width: 800, height: 1100 }, hasTouch: true })).newPage();
  await tablet.goto(`${base}/staff/pair`);
  check((await text(tablet)).includes('Połącz ten tablet jako kasę'), 'the pairing form, in the tablet\'s Polish');
  await tablet.fill('#code', shown.toLowerCase());
  await shot(tablet, 'tablet-pair');
  await Promise.all([tablet.waitForURL(`${base}/staff`), tablet.click('button[type=submit]')]);
  check((await text(tablet)).includes('Dotknij swojego imienia'), 'the paired till asks who is working');
  await tablet.click('.names label:has-text("Kuba")');
  await tablet.fill('#pin', '1357');
  await tablet.click('form[action="/staff/pin"] button[type=submit]');
  await tablet.waitForSelector('.warn');
  check((await text(tablet)).includes('To nie ten PIN. Pozostało prób: 4'), 'a wrong PIN says how many tries are left');
  check(await tablet.isChecked('.names input[type=radio]:checked'), 'the name stays picked');
  await shot(tablet, 'tablet-pin-wrong');
  await tablet.fill('#pin', '2468');
  await Promise.all([tablet.waitForURL(`${base}/staff`), tablet.click('form[action="/staff/pin"] button[type=submit]')]);
  const counter = await text(tablet);
  check(counter.includes('Nowa sprzedaż') && counter.includes('Kuba · Counter'), 'the counter, as Kuba at this till');
  await shot(tablet, 'tablet-counter');

  console.log('  a customer scans the poster, joins and collects');
  const customer = await (await browser.newContext({ locale: 'en-GB', ...phoneView })).newPage();
  await customer.goto(posterUrl);
  await customer.fill('input[name=name]', 'Marta');
  await customer.click('button[type=submit]');
  await customer.waitForSelector('.stamp.on');
  check((await text(customer)).includes('Kawiarnia Zero'), 'the customer\'s card, in the café\'s name');
  await shot(customer, 'customer-joined');

  console.log('  a sale at the till, scanned by the customer');
  await tablet.goto(`${base}/staff`);
  await tablet.fill('#amount', '14,50');
  await tablet.click('form[action="/staff/sale"] button');
  await tablet.waitForSelector('.qr svg');
  const saleUrl = await decodeQr(tablet, 'sale');
  await customer.goto(saleUrl);
  // The set-up's default: 8 stamps for a free coffee, a stamp per purchase.
  await customer.waitForSelector('.stamp.on.new');
  await tablet.waitForSelector('text=Zebrano ✓', { timeout: 15000 });
  check((await text(tablet)).includes('Marta'), 'the till says who collected');
  await shot(tablet, 'tablet-collected');

  console.log('  the owner sees the customer and what the barista did');
  await desk.goto(`${base}/console`);
  const home = await text(desk);
  check(home.includes('1 member so far') && home.includes('Marta'), 'the new member on the console home');
  const left = await desk.$$eval('ol.check li', (items) => items.filter((i) => !i.querySelector('.done')).map((i) => i.innerText.split('\n')[0]));
  check(!left.includes('Pair the till') && !left.includes('Invite your staff') && !left.includes('Print the poster'),
    `the checklist ticks the till, the staff and the poster (left: ${left.join(', ')})`);
  await shot(desk, 'home-with-member');
  await desk.goto(`${base}/console/activity`);
  const activity = await text(desk);
  check(activity.includes('Kuba') && activity.includes('signed in with their PIN')
    && activity.includes('showed the QR code of a sale of 14.50'), 'the activity page names the barista and the till');
  await shot(desk, 'activity');

  console.log('  in Polish, every visible string is Polish');
  await Promise.all([desk.waitForURL(`${base}/console/activity`), desk.click('button[name=language][value=pl]')]);
  for (const path of ['/console', '/console/activity', '/console/tills', '/console/people']) {
    await desk.goto(`${base}${path}`);
    const polish = await text(desk);
    for (const english of ['Home', 'Sign out', 'members so far', 'signed in with their PIN', 'Paired tills',
      'Pair a till', 'Tills', 'Activity', 'People', 'My account', 'Save', 'Nobody', 'showed the QR code']) {
      check(!polish.includes(english), `${path}: no English left ("${english}")`);
    }
  }
  await desk.goto(`${base}/console/activity`);
  check((await text(desk)).includes('zalogował(a) się PIN-em'), 'the activity in Polish');
  await shot(desk, 'activity-pl');
  console.log('  the owner adds a passkey (Chromium\'s virtual authenticator) and signs in with it');
  // Passkeys need a site name: the same worker as http://localhost.
  const local = base.replace('127.0.0.1', 'localhost');
  const keyed = await (await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } })).newPage();
  const cdp = await keyed.context().newCDPSession(keyed);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { protocol: 'ctap2', transport: 'internal',
    hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true } });
  await keyed.goto(`${local}/signin?lang=en`);
  await keyed.fill('#f-email', email);
  await keyed.fill('#f-password', password);
  await Promise.all([keyed.waitForURL(/\/console/), keyed.click('form[action="/signin"] button[type=submit]')]);
  await keyed.goto(`${local}/console/account`);
  await keyed.fill('#f-passkey-name', 'Office laptop');
  await Promise.all([keyed.waitForNavigation(), keyed.click('#passkey-button')]);
  const withKey = await text(keyed);
  // The owner chose Polish above: the console keeps it on every device.
  check(withKey.includes('Dodano klucz dostępu.') && withKey.includes('Office laptop'), 'the passkey is added and listed, in the owner\'s Polish');
  await shot(keyed, 'passkey-added');
  await Promise.all([keyed.waitForURL(`${local}/signin`), keyed.click('header button.quiet')]);
  await Promise.all([keyed.waitForURL(`${local}/console`), keyed.click('#passkey-button')]);
  check((await text(keyed)).includes('Kawiarnia Zero'), 'signed in with the passkey, no password typed');
  console.log(`    the owner-from-zero journey took ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await browser.close();
}
