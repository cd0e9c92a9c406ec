// The home page per role (`/`) in a real browser, on the simulation demo (started by
// tests/app/browser.rs): a registrar sees their tasks with counts and follows "tanpa NIK" to
// the Disdukcapil list, which holds as many; a kanwil's home lists the province's facilities
// with open items and a TPS link lands on that TPS; a KPU liaison's home shows the
// reconciliation differences. Screenshots (prefix `home-`) go to SCREENSHOTS, at 1366×900
// and 390×844, with a check that the page never scrolls sideways. Exit code 0 when all passed.
//
// Environment: LOKSUS_BASE, CHROMIUM, SCREENSHOTS, ACCOUNTS (JSON: {registrar, kanwil, kpu:
// {username, password}}).

import {
  accounts, base, check, finish, follow, journey as run, logIn, number, screenshot,
} from "./common.mjs";

const shot = (page, name) => screenshot(page, `home-${name}`);
// No horizontal scroll of the page itself, at this width.
async function fits(page, name) {
  const [scroll, inner] = await page.evaluate(
    () => [document.documentElement.scrollWidth, window.innerWidth]);
  check(scroll <= inner, `${name}: page scrolls sideways (${scroll} > ${inner})`);
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
const journey = (name, body) =>
  run(name, { viewport: { width: 1366, height: 900 } }, body, `home-${name}-failure`);

await journey("registrar", async (page) => {
  await logIn(page, accounts.registrar);
  await home(page, "registrar");
  const counts = await page.locator("ul.tasks > li .task-count").allInnerTexts();
  check(counts.length >= 4, `only ${counts.length} tasks`);
  check(counts.every((c) => number(c) > 0), `a task without a count: ${counts}`);
  const nik = page.locator("ul.tasks > li", { hasText: "tanpa NIK" });
  const count = number(await nik.locator(".task-count").innerText());
  await follow(page, nik.locator("a.task-text"));
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
  await follow(page, links.first());
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

await finish("every home page passed");
