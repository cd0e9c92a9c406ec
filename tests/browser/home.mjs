// The home page per role (`/`) in a real browser, on the simulation demo (started by
// tests/app/browser.rs): a registrar sees their tasks with counts and follows "tanpa NIK" to
// the Disdukcapil list, which holds as many; a kanwil's home lists the province's facilities
// with open items and a TPS link lands on that TPS; a KPU liaison's home shows the
// reconciliation differences. Screenshots (prefix `home-`) go to SCREENSHOTS, at 1366×900
// and 390×844, with a check that the page never scrolls sideways. Exit code 0 when all passed.
//
// Environment: LOKSUS_BASE, CHROMIUM, SCREENSHOTS, ACCOUNTS (JSON: {registrar, kanwil, kpu:
// {username, password}}).

import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import path from "node:path";

const base = process.env.LOKSUS_BASE;
const shots = process.env.SCREENSHOTS;
const accounts = JSON.parse(process.env.ACCOUNTS);
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});

const failures = [];
function check(cond, message) {
  if (!cond) throw new Error(message);
}
const number = (text) => Number(text.replace(/\./g, ""));

async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, `home-${name}.png`), fullPage: true });
}
// No horizontal scroll of the page itself, at this width.
async function fits(page, name) {
  const [scroll, inner] = await page.evaluate(
    () => [document.documentElement.scrollWidth, window.innerWidth]);
  check(scroll <= inner, `${name}: page scrolls sideways (${scroll} > ${inner})`);
}
async function logIn(page, who) {
  await page.goto(`${base}/masuk`);
  await page.fill("#username", who.username);
  await page.fill("#password", who.password);
  await Promise.all([page.waitForLoadState("load"), page.click("main button[type=submit]")]);
  check(!page.url().includes("/masuk"), `login of ${who.username} failed: ${page.url()}`);
}
// The home page at both sizes; the context's viewport is restored after.
async function home(page, name) {
  await page.goto(`${base}/`);
  await fits(page, `${name} 1366`);
  await shot(page, `${name}-1366`);
  await page.setViewportSize({ width: 390, height: 844 });
  await fits(page, `${name} 390`);
  await shot(page, `${name}-390`);
  await page.setViewportSize({ width: 1366, height: 900 });
}
async function journey(name, body) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  try {
    await body(page);
    console.log(`ok   ${name}`);
  } catch (e) {
    failures.push(`${name}: ${e.message}`);
    console.log(`FAIL ${name}: ${e.message}`);
    await shot(page, `${name}-failure`).catch(() => {});
  } finally {
    await context.close();
  }
}

await journey("registrar", async (page) => {
  await logIn(page, accounts.registrar);
  await home(page, "registrar");
  const counts = await page.locator("ul.tasks > li .task-count").allInnerTexts();
  check(counts.length >= 4, `only ${counts.length} tasks`);
  check(counts.every((c) => number(c) > 0), `a task without a count: ${counts}`);
  const nik = page.locator("ul.tasks > li", { hasText: "tanpa NIK" });
  const count = number(await nik.locator(".task-count").innerText());
  await Promise.all([page.waitForLoadState("load"), nik.locator("a.task-text").click()]);
  check(page.url().includes("/disdukcapil"), `not the Disdukcapil list: ${page.url()}`);
  await shot(page, "registrar-disdukcapil");
  const said = (await page.locator("p.election").innerText()).match(/· ([\d.]+) WBP/);
  check(said && number(said[1]) === count, `the list says ${said && said[1]}, the task ${count}`);
  const rows = await page.locator("main tbody tr").count();
  check(rows === count, `the list holds ${rows} rows, the task says ${count}`);
});

await journey("kanwil", async (page) => {
  await logIn(page, accounts.kanwil);
  await home(page, "kanwil");
  const links = page.locator("ul.task-links a[href*='/tps/']");
  check((await links.count()) > 0, "no TPS with open items listed");
  const label = (await links.first().innerText()).trim(); // "Lapas … · TPS 901"
  const [facility, tps] = label.split(" · ");
  await Promise.all([page.waitForLoadState("load"), links.first().click()]);
  await shot(page, "kanwil-tps");
  const heading = (await page.locator("h1").innerText()).trim();
  check(heading.startsWith(tps), `landed on "${heading}", wanted ${tps}`);
  check((await page.content()).includes(facility), `the TPS page is not ${facility}'s`);
});

await journey("kpu", async (page) => {
  await logIn(page, accounts.kpu);
  await home(page, "kpu");
  const line = page.locator("ul.tasks > li[data-task=rekonsiliasi]");
  check(number(await line.locator(".task-count").innerText()) > 0, "no reconciliation differences");
  const text = await line.innerText();
  check(/Lubuklinggau: [\d.]+ hanya di daftar WBP, [\d.]+ hanya di daftar KPU/.test(text),
    `no differences for Lubuklinggau: ${text}`);
});

await browser.close();
if (failures.length) {
  console.log(failures.join("\n"));
  process.exit(1);
}
