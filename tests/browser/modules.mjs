// The console's modules set up once as an owner would, in headless Chromium (playwright-core),
// then every console page checked for accessibility with axe-core in both languages and on a
// phone and a desktop.
//
// Rewards: the empty catalog -> a new reward with one mistake (an error beside its field, the
// typed words kept) -> a picture drawn by the browser, a preview on the card in the phone frame
// -> saved, listed with its picture and words -> archived after its confirmation, offered again;
// the catalog and the form fit a 360 px phone.
// Card & brand: the designer says what the card does with the colours -> a typed colour reaches
// the phone preview by itself -> a stamp picture, a shorter card, a logo drawn by the browser,
// saved -> a bad colour refused beside its field with the typing kept.
// Earning rules: the sentence of what customers get -> a bad number refused beside its field ->
// a cooldown, a birthday gift from the catalog and expiry after inactivity, saved.
// Automations: the ready-made ones in one sentence each -> one switched on -> its stamps changed.
// Integrations: the address to paste -> a test event listed -> a till key without a location
// refused beside it -> made and shown once.
// Campaigns: messages on -> two customers join from the poster, agreeing to offers -> the
// nightly scoring (the operator's call) puts them in "new customers" -> a campaign to that
// group, with two versions and a live preview; a mistake refused beside its field -> the review
// says who gets what -> sent -> its results page says what it did, in a sentence.
// Customers: one of them found -> a correction taking away more than she has refused beside
// its field -> a forgotten stamp added with a reason -> her history says why.
// Accessibility: axe-core (npm, pinned) over every console page -> no serious or critical
// violation, in English and Polish, at 360 px and 1280 px; and no identifier (snake_case) in any
// page's words outside code.
//
// Env: E2E_BASE_URL, E2E_ADMIN_SECRET, SCREENS_DIR; CHROMIUM (default /usr/bin/chromium).

import { readFileSync } from 'node:fs';
import { check, launch, paintLogo, screenshots, text } from './lib.mjs';

const base = process.env.E2E_BASE_URL;
const screens = process.env.SCREENS_DIR;
const admin = process.env.E2E_ADMIN_SECRET;
if (!base || !screens || !admin) throw new Error('set E2E_BASE_URL, E2E_ADMIN_SECRET and SCREENS_DIR');
const { shot } = screenshots(screens, 'modules-');
const phoneView = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const desktopView = { viewport: { width: 1280, height: 900 } };
const axeSource = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const started = Date.now();

/// Clicks what submits a form and waits for the page it brings (a POST answered in place too).
async function submit(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function fits(page, what) {
  check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${what} fits the screen`);
}

/// The serious and critical axe-core violations of the page as it is now, in words.
async function violations(page) {
  // Injected through the automation protocol, not a <script> of the page: its CSP stays as it is.
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  return found;
}

const browser = await launch();
try {
  console.log('  the owner signs up and opens Rewards');
  const ctx = await browser.newContext({ locale: 'en-GB', ...desktopView });
  const owner = await ctx.newPage();
  await owner.goto(`${base}/signup`);
  await owner.fill('#f-business', 'Piekarnia Modułowa');
  await owner.fill('#f-name', 'Ewa Kłos');
  await owner.fill('#f-email', `modules-${Date.now()}@example.com`);
  await owner.fill('#f-password', 'chleb na zakwasie 12');
  await owner.selectOption('#f-country', 'PL');
  await Promise.all([owner.waitForURL(`${base}/console/setup/business`), owner.click('main form button[type=submit]')]);
  await owner.goto(`${base}/console/rewards`);
  check((await text(owner)).includes('No reward is on offer yet'), 'an empty catalog says what that means');
  await shot(owner, 'rewards-empty');

  console.log('  a new reward, first with a mistake');
  await owner.click('a[href="/console/rewards/new"]');
  await owner.fill('#f-name', 'Drożdżówka z serem');
  await owner.fill('#f-description', 'Fresh every morning');
  await owner.check('#k-amount_off');
  check(await owner.isHidden('#f-percent'), 'the per cent field hides for money off');
  check(await owner.isVisible('#f-amount'), 'the amount field shows for money off');
  await owner.fill('#f-amount', 'five');
  check(await owner.isHidden('#f-points'), 'a stamp café starts with a full card as the price, the points field hidden');
  await owner.check('#p-points');
  await owner.fill('#f-points', '80');
  await owner.fill('#f-limit', '1');
  await submit(owner, 'main form button[type=submit]:not([name])');
  check((await owner.textContent('#f-amount-err')).includes('Type an amount'), 'the error is beside the amount');
  check(await owner.inputValue('#f-name') === 'Drożdżówka z serem', 'the typed name is kept');
  await shot(owner, 'reward-error');
  await owner.fill('#f-amount', '4,50');
  const png = await paintLogo(browser, { width: 160, height: 160, colour: '#c27c2c', label: 'D', font: 'bold 96px sans-serif', x: 48, y: 114 });
  await owner.setInputFiles('#f-image', { name: 'bun.png', mimeType: 'image/png', buffer: png });
  await submit(owner, 'button[name=preview]');
  const frame = await (await owner.waitForSelector('.phone iframe')).contentFrame();
  await frame.waitForSelector('text=Drożdżówka z serem');
  check((await frame.textContent('body')).includes('4.50 PLN off the bill'), 'the preview shows the reward on the card as typed');
  await shot(owner, 'reward-preview');
  // The preview keeps no file: choose the picture again and save.
  await owner.setInputFiles('#f-image', { name: 'bun.png', mimeType: 'image/png', buffer: png });
  await submit(owner, 'main form button[type=submit]:not([name])');
  const listed = await text(owner);
  check(listed.includes('is on offer') && listed.includes('4.50 PLN off the bill') && listed.includes('once per customer'), 'the reward is listed in words');
  check(await owner.isVisible('ul.rewards img'), 'with its picture');
  const card = await (await owner.waitForSelector('.phone iframe')).contentFrame();
  await card.waitForLoadState('load');
  check((await card.$('#rewards img.pic')) !== null, 'the card preview shows the picture');
  await shot(owner, 'rewards-listed');

  console.log('  archived after a confirmation, then offered again');
  await submit(owner, 'form[action$="/archive"] button');
  check((await text(owner)).includes('Customers will no longer see this reward'), 'archiving asks first, saying what happens');
  await shot(owner, 'reward-archive-confirm');
  await submit(owner, 'main form[action$="/archive"] button');
  check((await text(owner)).includes('is archived'), 'archived');
  await submit(owner, 'form[action$="/restore"] button');
  check((await text(owner)).includes('is on offer again'), 'offered again');

  console.log('  Card & brand: a logo, colours, a stamp picture; the preview follows the typing');
  await owner.goto(`${base}/console/card`);
  check((await text(owner)).includes('Header and buttons: white text on your main colour'), 'the designer says what the card does with the colours');
  const preview = await (await owner.waitForSelector('#card-preview')).contentFrame();
  await preview.waitForLoadState('load');
  const before = await owner.getAttribute('#card-preview', 'src');
  await owner.fill('#f-accent', '#fff3b0');
  await owner.waitForFunction((b) => document.getElementById('card-preview').getAttribute('src') !== b, before);
  const live = await (await owner.waitForSelector('#card-preview')).contentFrame();
  // The frame reloads with the typed colour; a timeout means it did not follow.
  const followed = await live
    .waitForFunction(() => getComputedStyle(document.documentElement).getPropertyValue('--a').trim() === '#fff3b0', null, { timeout: 15000 })
    .then(() => true, () => false);
  check(followed, 'the preview follows the typed colour without a button');
  await owner.check('#i-cup');
  await owner.fill('#f-card_size', '6');
  await owner.fill('#f-card_reward', 'drożdżówka gratis');
  await owner.check('#t-formal');
  const logo = await paintLogo(browser, { width: 200, height: 200, colour: '#6b3e26', label: 'PM', font: 'bold 88px sans-serif', x: 22, y: 130 });
  await owner.setInputFiles('#f-logo', { name: 'logo.png', mimeType: 'image/png', buffer: logo });
  await submit(owner, '#card-form button[type=submit]:not([name])');
  const designed = await text(owner);
  check(designed.includes('The card is saved') && designed.includes('faint on white'), 'saved, and the faint accent is explained');
  check(await owner.isVisible('img.logo'), 'the logo shows on the designer');
  const saved = await (await owner.waitForSelector('#card-preview')).contentFrame();
  await saved.waitForSelector('.stamp svg');
  check((await saved.textContent('body')).includes('drożdżówka gratis'), 'the card preview says what a full card gives');
  await shot(owner, 'card-designed');
  await owner.fill('#f-primary', 'brown');
  await submit(owner, '#card-form button[type=submit]:not([name])');
  check((await owner.textContent('#f-primary-err')).includes('Type a colour'), 'a bad colour is refused beside its field');
  check(await owner.inputValue('#f-primary') === 'brown', 'the typed colour is kept');
  await owner.fill('#f-accent', '#d4a373');
  await owner.fill('#f-primary', '#3b2f2f');
  await submit(owner, '#card-form button[type=submit]:not([name])');

  console.log('  Earning rules: what customers get in one sentence; a rule changed as a field');
  await owner.goto(`${base}/console/earning`);
  check((await owner.textContent('.summary')).includes('Scanning the poster: 1 stamp'), 'the rules page says what customers get');
  await owner.fill('#f-cooldown_hours', 'a while');
  await submit(owner, 'main form button[type=submit]');
  check((await owner.textContent('#f-cooldown_hours-err')).includes('Type a whole number'), 'a bad number is refused beside its field');
  await owner.fill('#f-cooldown_hours', '3');
  await owner.check('#f-birthday');
  await owner.selectOption('#f-bday_reward', { label: 'Drożdżówka z serem' });
  await owner.check('#f-expiry-inactive');
  await submit(owner, 'main form button[type=submit]');
  const ruled = await owner.textContent('.summary');
  check(ruled.includes('3 hours apart') && ruled.includes('without a visit'), 'saved: the sentence follows the rules');
  await shot(owner, 'earning-saved');

  console.log('  Levels: the suggested ladder switched on after a mistake; a promotion on the calendar; points per item');
  await Promise.all([owner.waitForURL(`${base}/console/earning/tiers`), owner.click('nav.tabs a[href="/console/earning/tiers"]')]);
  check((await text(owner)).includes('No levels yet'), 'no levels yet, a ladder suggested');
  await owner.check('#f-enabled');
  await owner.fill('#f-threshold_2', '400');
  await submit(owner, 'main form button[type=submit]');
  check((await owner.textContent('#f-threshold_2-err')).includes('more than the level before'), 'a threshold below the level before is refused beside it');
  check(await owner.inputValue('#f-threshold_2') === '400', 'the typed threshold is kept');
  await owner.fill('#f-threshold_2', '2000');
  await owner.fill('#f-benefits_2', 'Darmowa dolewka');
  await submit(owner, 'main form button[type=submit]');
  check((await owner.textContent('ul.ladder')).includes('Gold: from 2000 points earned in the last 365 days; 1.5× points; Darmowa dolewka.'), 'each level says what it gives');
  await shot(owner, 'levels');
  await Promise.all([owner.waitForURL(`${base}/console/earning/promotions`), owner.click('nav.tabs a[href="/console/earning/promotions"]')]);
  check((await text(owner)).includes('No promotion yet'), 'no promotion yet');
  await owner.fill('#f-name', 'Popołudnie z kawą');
  await owner.check('#f-days-tue');
  await owner.check('#f-days-thu');
  await owner.fill('#f-from', '17:00');
  await owner.fill('#f-until', '14:00');
  await submit(owner, 'main form button[type=submit]');
  check((await owner.textContent('#f-until-err')).includes('ends before it starts'), 'an end before the start is refused beside it');
  check(await owner.isChecked('#f-days-thu'), 'the ticked days are kept');
  await owner.fill('#f-from', '14:00');
  await owner.fill('#f-until', '17:00');
  await submit(owner, 'main form button[type=submit]');
  check((await text(owner)).includes('Double points on every purchase, Tuesdays and Thursdays, 14:00–17:00.'), 'the promotion in one sentence');
  check((await owner.locator('table.cal span.num').count()) >= 8, 'four weeks of Tuesdays and Thursdays on the calendar');
  await shot(owner, 'promotions');
  await Promise.all([owner.waitForURL(`${base}/console/earning/items`), owner.click('nav.tabs a[href="/console/earning/items"]')]);
  await owner.fill('#f-table', 'kod;punkty\nLATTE-L;5\nSERNIK\n');
  await submit(owner, 'main form button[type=submit]');
  check((await text(owner)).includes('Line 3: give an item code'), 'a bad line is named by its number');
  await owner.fill('#f-table', 'kod;punkty\nLATTE-L;5\nSERNIK;10\n');
  await submit(owner, 'main form button[type=submit]');
  check((await text(owner)).includes('The table is saved: 2 items earn points'), 'the pasted table is saved');
  await shot(owner, 'items');

  console.log('  Automations: a ready-made one switched on, its numbers changed');
  await owner.goto(`${base}/console/automations`);
  check((await text(owner)).includes('After their first purchase, a customer gets'), 'each ready-made automation says what a customer gets');
  await submit(owner, 'form[action="/console/automations/add"]:has(input[value="welcome_reward"]) button');
  check((await text(owner)).includes('Saved: it counts from the next visit'), 'switched on');
  await owner.click('#a-welcome_reward summary');
  await owner.fill('#f-stamps-welcome_reward', '2');
  await submit(owner, '#a-welcome_reward details form button[type=submit]');
  check((await owner.textContent('#a-welcome_reward .says')).includes('2 stamps'), 'the sentence follows the numbers');
  await shot(owner, 'automations');
  await owner.click('#a-welcome_reward summary');
  await owner.fill('#f-subject-welcome_reward', 'Witamy w piekarni');
  await owner.fill('#f-text-welcome_reward', '{{name}}, dziękujemy za pierwszy zakup!');
  await submit(owner, '#a-welcome_reward details form button[type=submit]');
  check((await text(owner)).includes('Saved'), 'its own words are saved');
  await owner.click('#a-welcome_reward summary');
  check(await owner.inputValue('#f-subject-welcome_reward') === 'Witamy w piekarni', 'its own words are kept');
  await shot(owner, 'automations-words');

  console.log('  Integrations: the till system address, a test event, a till key shown once');
  await owner.goto(`${base}/console/integrations`);
  check((await owner.textContent('#endpoint')).includes('/webhooks/v1/'), 'the address to paste into the till system');
  await submit(owner, 'form[action="/console/integrations/test"] button');
  check((await text(owner)).includes('Test event received'), 'the test event is in the last deliveries');
  await owner.fill('#f-name', 'Kasa przy wejściu');
  await owner.check('#s-counter');
  await submit(owner, 'form[action="/console/integrations/keys"] button[type=submit]');
  check((await owner.textContent('#f-location-err')).length > 0, 'a till key without a location is refused beside it');
  await owner.selectOption('#f-location', { index: 1 });
  await submit(owner, 'form[action="/console/integrations/keys"] button[type=submit]');
  check((await owner.textContent('#new-key code')).startsWith('lek_'), 'the new key is shown once');
  await shot(owner, 'integrations-key');

  console.log('  Campaigns: messages on, two customers join from the poster, agreeing to offers');
  await owner.goto(`${base}/console/messages`);
  await owner.check('input[name=email]');
  await owner.fill('#f-reply_to', `modules-reply-${Date.now()}@example.com`);
  await submit(owner, 'form[action="/console/messages/channels"] button[type=submit]');
  check((await text(owner)).includes('Saved.'), 'email is on');
  await owner.goto(`${base}/console/poster?location=1`);
  await owner.waitForSelector('.poster');
  const posterUrl = await owner.evaluate(() => document.querySelector('.qr[data-url]')?.dataset.url);
  check(Boolean(posterUrl), 'the poster carries its scan link');
  for (const name of ['Marta', 'Janek']) {
    const visit = await (await browser.newContext({ locale: 'pl-PL', ...phoneView })).newPage();
    await visit.goto(posterUrl);
    await visit.fill('input[name=name]', name);
    await visit.fill('input[name=email]', `${name.toLowerCase()}-${Date.now()}@example.com`);
    await visit.check('input[name=marketing_consent]');
    await visit.click('button[type=submit]');
    await visit.waitForSelector('.stamp.on');
    await visit.context().close();
  }
  // The nightly run scores customers into groups; the operator's call runs it now.
  const merchant = (await (await owner.goto(`${base}/console`)).text()).match(/\/c\/([0-9a-f]{8})/)[1];
  const rolled = await fetch(`${base}/admin/v1/merchants/${merchant}/rollups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    // A day and six minutes on: a local day counts as over five minutes after its midnight.
    body: JSON.stringify({ now: Date.now() + 86400000 + 6 * 60000 }),
  });
  check(rolled.status === 200, 'the nightly scoring ran');
  await owner.goto(`${base}/console/insights`);
  check((await text(owner)).includes('of your customers came in during the last 30 days'), 'each figure says what it means in a sentence');
  await owner.click('.kpi details summary >> nth=0');
  await shot(owner, 'insights-figures');

  console.log('  a campaign to the new customers, two versions, a mistake first');
  await owner.goto(`${base}/console/campaigns`);
  check((await text(owner)).includes('No campaign yet'), 'an empty list says how to start');
  await Promise.all([owner.waitForURL(`${base}/console/campaigns/new`), owner.click('a[href="/console/campaigns/new"]')]);
  check((await owner.textContent('#f-segment')).includes('New customers (2)'), 'each group shows how many it reaches');
  await owner.fill('#f-name', 'Zimowa drożdżówka');
  await owner.selectOption('#f-segment', 'new');
  await owner.fill('#f-subject_a', 'Ciepła drożdżówka w {{merchant}}');
  await owner.fill('#f-text_a', '{{name}}, zajrzyj do nas: pierwsza drożdżówka w tym tygodniu na nas. {{card_link}}');
  const campaignPreview = await owner.getAttribute('iframe[data-v=a]', 'src');
  await owner.waitForFunction((b) => document.querySelector('iframe[data-v=a]').getAttribute('src') !== b, campaignPreview);
  const mail = await (await owner.waitForSelector('iframe[data-v=a]')).contentFrame();
  const typedIn = await mail.waitForFunction(() => document.body.innerText.includes('Marta, zajrzyj do nas'), null, { timeout: 15000 })
    .then(() => true, () => false);
  check(typedIn, 'the email preview follows the typing, filled in for a sample customer');
  await owner.click('details:has(#f-subject_b) summary');
  await owner.fill('#f-subject_b', 'Tęsknimy, {{name}}');
  await owner.fill('#f-text_b', 'Wpadnij na kawę: {{card_link}}');
  await owner.fill('#f-holdout', '70');
  await submit(owner, '#campaign button[type=submit]');
  check((await owner.textContent('#f-holdout-err')).includes('from 0 to 50'), 'a share over half is refused beside its field');
  check(await owner.inputValue('#f-text_b') === 'Wpadnij na kawę: {{card_link}}', 'the second version is kept');
  await shot(owner, 'campaign-error');
  await owner.fill('#f-holdout', '20');
  await submit(owner, '#campaign button[type=submit]');
  const reviewed = await text(owner);
  check(reviewed.includes('It goes to 2 customers (new customers, as of now)'), 'the review says who gets it before anything goes');
  await shot(owner, 'campaign-review');
  const campaignPath = await owner.evaluate(() => location.pathname);

  console.log('  sent, and its results page');
  await submit(owner, `form[action="${campaignPath}/send"] button`);
  const result = await text(owner);
  check(result.includes('Sent: the messages are on their way'), 'sent');
  check(result.includes('Sent on') && result.includes('to 2 customers (new customers)'), 'the results page says when and to whom');
  const verdicts = await owner.$$eval('p.verdict', (ns) => ns.map((n) => n.innerText));
  check(verdicts.length === 2 && verdicts.every((v) => /^(Version [AB]\b|Too early to tell for version [AB]\b)/.test(v)),
    `each version has its sentence (${verdicts.join(' | ')})`);
  check(result.includes('these figures can still change'), 'it says the figures still move');
  await shot(owner, 'campaign-results');

  console.log('  Customers: Marta found, a stamp forgotten at the till added with a reason, a mistake first');
  await owner.goto(`${base}/console/customers?query=Marta`);
  await Promise.all([owner.waitForNavigation({ waitUntil: 'load' }), owner.click('a[href^="/console/customers/"]:has-text("Marta")')]);
  const customerPath = await owner.evaluate(() => location.pathname);
  check((await text(owner)).includes('Messages to them'), 'her page lists the messages sent to her');
  await owner.check('#f-direction-take');
  await owner.fill('#f-stamps', '5');
  await owner.fill('#f-reason', 'Pomyłka przy kasie');
  await submit(owner, '#correct button[type=submit]');
  check((await owner.textContent('#f-stamps-err')).includes('They have only'), 'taking away more than she has is refused beside the field');
  check(await owner.inputValue('#f-reason') === 'Pomyłka przy kasie', 'the reason is kept');
  await shot(owner, 'customer-correction-error');
  await owner.check('#f-direction-add');
  await owner.fill('#f-stamps', '1');
  await owner.fill('#f-reason', 'Stamp forgotten at the till');
  await submit(owner, '#correct button[type=submit]');
  const corrected = await text(owner);
  check(corrected.includes('The correction is recorded.') && corrected.includes('Stamp forgotten at the till'),
    'the correction is recorded and her history says why');
  await shot(owner, 'customer-corrected');

  console.log("  back on the campaign's results, as an owner checks them the next day");
  await owner.goto(`${base}/console/insights`);
  await Promise.all([owner.waitForURL(`${base}${campaignPath}`), owner.click(`a[href="${campaignPath}"]`)]);
  check((await text(owner)).includes('to 2 customers (new customers)'), 'Insights lead to the campaign and its results');

  console.log('  on a phone');
  const phoneCtx = await browser.newContext({ locale: 'pl-PL', ...phoneView, storageState: await ctx.storageState() });
  const phone = await phoneCtx.newPage();
  await phone.goto(`${base}/console/rewards`);
  await fits(phone, 'the catalog at 360 px');
  await shot(phone, 'rewards-phone');
  await Promise.all([phone.waitForNavigation({ waitUntil: 'load' }), phone.click('ul.rewards a')]);
  await fits(phone, 'the reward form at 360 px');
  await shot(phone, 'reward-form-phone');

  console.log('  accessibility: every console page, both languages, phone and desktop (axe-core)');
  const rewardPath = await phone.evaluate(() => location.pathname);
  await phone.goto(`${base}${customerPath}`);
  await fits(phone, "a customer's page at 360 px");
  await shot(phone, 'customer-phone');
  const pages = ['/console', '/console/customers', '/console/rewards', '/console/rewards/new', rewardPath,
    '/console/earning', '/console/earning/tiers', '/console/earning/promotions', '/console/earning/items', '/console/card', '/console/messages', '/console/messages/templates', '/console/automations',
    '/console/campaigns', '/console/campaigns/new', campaignPath, customerPath, '/console/insights', '/console/people', '/console/locations', '/console/tills', '/console/activity',
    '/console/account', '/console/integrations', '/console/settings', '/console/setup/business',
    '/console/setup/earn', '/console/setup/rewards', '/console/setup/locations', '/console/setup/print'];
  const problems = [];
  let runs = 0;
  for (const [view, viewName] of [[phone, 'phone'], [owner, 'desktop']]) {
    for (const lang of ['en', 'pl']) {
      // The language is the person's, saved by the header's switch.
      await view.goto(`${base}/console/account`);
      await submit(view, `header button[value=${lang}]`);
      for (const path of pages) {
        await view.goto(`${base}${path}`);
        runs += 1;
        for (const v of await violations(view)) problems.push(`${viewName} ${lang} ${path}: ${v}`);
        // Plain words: no identifier like revenue_per_member_365d_minor outside code (keys, addresses).
        const words = await view.evaluate(() => {
          const copy = document.body.cloneNode(true);
          copy.querySelectorAll('code, script, style, textarea').forEach((n) => n.remove());
          return copy.innerText;
        });
        for (const id of words.match(/\b[a-z]+(?:_[a-z0-9]+)+\b/g) || []) problems.push(`${viewName} ${lang} ${path}: an identifier on the page: ${id}`);
        // The catalog in Polish on a phone, as a Polish owner sees it.
        if (viewName === 'phone' && lang === 'pl' && (path === '/console/rewards' || path === rewardPath)) {
          check(!(await text(view)).includes('On offer') && !(await text(view)).includes('What it gives'), `${path} is in Polish`);
          await fits(view, `${path} in Polish at 360 px`);
          await shot(view, path === rewardPath ? 'reward-form-phone-pl' : 'rewards-phone-pl');
        }
        if (lang === 'pl' && viewName === 'phone' && (path === '/console/campaigns/new' || path === campaignPath)) {
          check(!(await text(view)).includes('Who gets it') && !(await text(view)).includes('The figures'), `${path} is in Polish`);
          await fits(view, `${path} in Polish at 360 px`);
          await shot(view, path === campaignPath ? 'campaign-results-phone-pl' : 'campaign-form-phone-pl');
        }
        if (lang === 'pl' && viewName === 'phone' && path === customerPath) {
          check(!(await text(view)).includes('Correct the balance') && (await text(view)).includes('Popraw saldo'), "a customer's page is in Polish");
          await fits(view, "a customer's page in Polish at 360 px");
          await shot(view, 'customer-phone-pl');
        }
        if (lang === 'pl' && viewName === 'phone' && path === '/console/locations') {
          check(!(await text(view)).includes('Add a location'), 'Locations are in Polish');
          await fits(view, 'Locations in Polish at 360 px');
          await shot(view, 'locations-phone-pl');
        }
        if (lang === 'pl' && viewName === 'phone' && path === '/console/automations') {
          check(!(await text(view)).includes('Ready to switch on'), 'Automations are in Polish');
          await fits(view, 'Automations in Polish at 360 px');
          await shot(view, 'automations-phone-pl');
        }
        if (lang === 'pl' && viewName === 'phone' && path === '/console/integrations') {
          check(!(await text(view)).includes('API keys'), 'Integrations are in Polish');
          await fits(view, 'Integrations in Polish at 360 px');
          await shot(view, 'integrations-phone-pl');
        }
        if (lang === 'pl' && viewName === 'phone' && path === '/console/earning') {
          check(!(await text(view)).includes('Visits and purchases'), 'the rules are in Polish');
          await fits(view, 'the rules in Polish at 360 px');
          await shot(view, 'earning-phone-pl');
        }
        if (lang === 'pl' && viewName === 'phone' && (path === '/console/earning/tiers' || path === '/console/earning/promotions')) {
          check(!(await text(view)).includes('The ladder') && !(await text(view)).includes('What runs when'), `${path} is in Polish`);
          await fits(view, `${path} in Polish at 360 px`);
          await shot(view, path.endsWith('tiers') ? 'levels-phone-pl' : 'promotions-phone-pl');
        }
        if (lang === 'pl' && path === '/console/card') {
          check(!(await text(view)).includes('Colours') && (await text(view)).includes('Kolor akcentu'), 'the designer is in Polish');
          await fits(view, `the designer in Polish on a ${viewName}`);
          await shot(view, `card-${viewName}-pl`);
        }
      }
    }
  }
  for (const p of problems) console.log(`    ${p}`);
  check(problems.length === 0, `${runs} pages checked by axe-core: no serious or critical violation`);
  console.log(`    the modules journey took ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await browser.close();
}
