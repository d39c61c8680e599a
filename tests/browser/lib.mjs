// What the browser journeys share: checks that name what failed, numbered screenshots, the
// visible text of a page, reading a drawn QR code back with zbarimg, and Chromium's start.

import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/// Fails with `what` unless `ok`; prints it when it holds.
export function check(ok, what) {
  if (!ok) throw new Error(`check failed: ${what}`);
  console.log(`    ok: ${what}`);
}

/// Numbered full-page screenshots into `dir`, named `<prefix>NN-<name>.png`.
export function screenshots(dir, prefix) {
  mkdirSync(dir, { recursive: true });
  let step = 0;
  return {
    async shot(page, name) {
      step += 1;
      const file = join(dir, `${prefix}${String(step).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`    screenshot: ${file}`);
    },
    // Screenshots the first QR code on the page as drawn and decodes it with zbarimg.
    async decodeQr(page, name) {
      const file = join(dir, `${prefix}qr-${name}.png`);
      await page.locator('.qr svg').first().screenshot({ path: file });
      return execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    },
  };
}

/// The text a person sees on the page.
export async function text(page) {
  return page.evaluate(() => document.body.innerText);
}

/// Headless Chromium ($CHROMIUM, default /usr/bin/chromium), without its background traffic.
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/// A real PNG logo, drawn by the browser itself on a blank page: `label` in white on `colour`.
export async function paintLogo(browser, { width, height, colour, label, font, x, y }) {
  const painter = await browser.newPage();
  const dataUrl = await painter.evaluate((o) => {
    const c = document.createElement('canvas'); c.width = o.width; c.height = o.height;
    const g = c.getContext('2d'); g.fillStyle = o.colour; g.fillRect(0, 0, o.width, o.height);
    g.fillStyle = '#fff'; g.font = o.font; g.fillText(o.label, o.x, o.y);
    return c.toDataURL('image/png');
  }, { width, height, colour, label, font, x, y });
  await painter.close();
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}
