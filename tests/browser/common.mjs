// What the browser scripts share: Debian's Chromium, the environment they are given by
// tests/app/browser.rs, logging in, following a link or a form to the page it leads to, and
// named journeys whose failures are collected and reported at the end.
//
// Environment: LOKSUS_BASE (http://127.0.0.1:port), CHROMIUM (/usr/bin/chromium),
// SCREENSHOTS (folder), ACCOUNTS (JSON: {key: {username, password, …}}).

import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import path from "node:path";

export const base = process.env.LOKSUS_BASE;
export const accounts = JSON.parse(process.env.ACCOUNTS);
const shots = process.env.SCREENSHOTS;
mkdirSync(shots, { recursive: true });

export const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
  ],
});

export function check(cond, message) {
  if (!cond) throw new Error(message);
}

// "1.160" → 1160.
export const number = (text) => Number(text.replace(/\./g, ""));

// Saves the whole page as SCREENSHOTS/{name}.png.
export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

// Clicks `target` (a selector or a locator) that leads to another page, and returns once that
// page has loaded. (A click returns when the navigation has begun; reading the page before
// its `load` would race the server's answer, which a busy machine makes slow.)
export async function follow(page, target) {
  const loaded = page.waitForEvent("load");
  await (typeof target === "string" ? page.click(target) : target.click());
  await loaded;
}

// Logs `who` in on the login page; fails unless the server let them in.
export async function logIn(page, who) {
  await page.goto(`${base}/masuk`);
  await page.fill("#username", who.username);
  await page.fill("#password", who.password);
  await follow(page, "main button[type=submit]");
  check(!page.url().includes("/masuk"), `login of ${who.username} failed: ${page.url()}`);
}

const failures = [];

// Runs `body(page)` in a fresh browser context made with `options`; a failure is printed,
// kept for `finish`, and its page saved as `{failureShot}.png`.
export async function journey(name, options, body, failureShot = `${name}-failure`) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  try {
    await body(page);
    console.log(`ok   ${name}`);
  } catch (e) {
    failure(`${name}: ${e.message}`);
    await screenshot(page, failureShot).catch(() => {});
  } finally {
    await context.close();
  }
}

// Records a failure without ending the script.
export function failure(message) {
  failures.push(message);
  console.log(`FAIL ${message}`);
}

// Closes the browser and exits: 0 when nothing failed, else 1 after repeating the failures
// (last, where a truncated log still shows them).
export async function finish(success) {
  await browser.close();
  if (failures.length) {
    console.log(`\n${failures.length} failure(s):\n${failures.join("\n")}`);
    process.exit(1);
  }
  console.log(`\n${success}`);
}
