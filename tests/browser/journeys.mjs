// Browser journeys against a running Loksus (started by tests/app/browser.rs), in Debian's
// Chromium driven by playwright-core (no browser download), plus axe-core on the main pages.
// Every page visited is saved as a screenshot under SCREENSHOTS. Exit code 0 when every
// journey passed; the failures are printed otherwise.
//
// Environment: LOKSUS_BASE (http://127.0.0.1:port), CHROMIUM (/usr/bin/chromium),
// SCREENSHOTS (folder), ACCOUNTS (JSON: {registrar, kanwil, kpu: {username, password}}),
// ROLL_FILE (a CSV with a few bad rows), DOWNLOADS (folder).

import { readFileSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import {
  accounts, base, check, finish, follow, journey, logIn as logInAs, screenshot,
} from "./common.mjs";

const require = createRequire(import.meta.url);
const downloads = process.env.DOWNLOADS;
mkdirSync(downloads, { recursive: true });
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// Screenshots are numbered in the order taken.
let shotNo = 0;
async function shot(page, name) {
  shotNo += 1;
  await screenshot(page, `${String(shotNo).padStart(2, "0")}-${name}`);
}
async function logIn(page, who, label) {
  await logInAs(page, who);
  await shot(page, `${label}-masuk`);
}
const cellText = async (page, selector) => (await page.locator(selector).innerText()).trim();

// 1. A registrar uploads a roll with bad rows, sees each rejected row and each row kept with a
// note, confirms the valid rows.
await journey("1-registrar-import", {}, async (page) => {
  await logIn(page, accounts.registrar, "1");
  await page.goto(`${base}/fasilitas/lapas-lubuklinggau/daftar/impor`);
  await shot(page, "1-impor");
  await page.setInputFiles("#berkas", process.env.ROLL_FILE);
  await page.check("input[name=lewati_salah]");
  await follow(page, "form[enctype='multipart/form-data'] button[type=submit]");
  await shot(page, "1-pratinjau");
  const preview = await page.content();
  check(preview.includes("Diterima dengan catatan") && preview.includes("NIK harus 16 angka"),
    "the preview does not show the short NIK as kept with a note");
  check(preview.includes("tanggal lahir"), "the preview does not name the bad date");
  await follow(page, "button:has-text('Konfirmasi dan simpan')");
  await shot(page, "1-hasil");
  check((await page.content()).includes("Daftar sudah diperbarui"), "the import was not confirmed");
  await follow(page, "a:has-text('Kembali ke daftar pemilih')");
  await shot(page, "1-daftar");
  const summary = await cellText(page, "#ringkasan");
  // The short NIK is kept (flagged, for Disdukcapil); the impossible birth date is rejected.
  check(/^4 WBP aktif/.test(summary), `the roll shows "${summary}"`);
});

// 2. A kanwil user updates a TPS's DPT and readiness, and sees the province page change.
async function kanwilJourney(page, label) {
  await logIn(page, accounts.kanwil, label);
  await page.goto(`${base}/provinsi/16`);
  await shot(page, `${label}-provinsi`);
  const before = await cellText(page, "tr[data-facility='lapas-lubuklinggau'] td:nth-of-type(4)");
  await page.goto(`${base}/provinsi/16/tps`);
  await shot(page, `${label}-angka-resmi`);
  const row = page.locator("tbody[data-facility='lapas-lubuklinggau'] tr[data-tps='1']");
  const input = row.locator("input[name^='dpt_']");
  const old = Number(await input.inputValue());
  await input.fill(String(old + 10));
  await follow(page, "button:has-text('Simpan semua perubahan')");
  await shot(page, `${label}-tersimpan`);
  check((await page.content()).includes("1 TPS tersimpan"), "the counts were not saved");
  await page.goto(`${base}/fasilitas/lapas-lubuklinggau/tps/1`);
  const selects = page.locator("#kesiapan ~ form select, section[aria-labelledby=kesiapan] select");
  const n = await selects.count();
  check(n > 0, "no readiness items to mark");
  for (let i = 0; i < n; i += 1) await selects.nth(i).selectOption("siap");
  await follow(page, "button:has-text('Simpan kesiapan')");
  await shot(page, `${label}-kesiapan`);
  await page.goto(`${base}/provinsi/16`);
  await shot(page, `${label}-provinsi-sesudah`);
  const after = await cellText(page, "tr[data-facility='lapas-lubuklinggau'] td:nth-of-type(4)");
  const num = (s) => Number(s.replace(/\./g, ""));
  check(num(after) === num(before) + 10, `DPT on the province page: ${before} -> ${after}`);
  await page.goto(`${base}/provinsi/16/kesiapan`);
  await shot(page, `${label}-matriks`);
}
await journey("2-kanwil-counts-and-readiness", {}, (page) => kanwilJourney(page, "2"));

// 3. A KPU liaison opens the national dashboard, downloads the XLSX, and cannot open a
//    facility of another province.
await journey("3-kpu-dashboard", {}, async (page) => {
  await logIn(page, accounts.kpu, "3");
  await page.goto(`${base}/`);
  await shot(page, "3-nasional");
  check((await page.content()).includes("Ringkasan · DKI Jakarta"), "no dashboard for DKI");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click("a:has-text('tabel ini (XLSX)')"),
  ]);
  const file = path.join(downloads, download.suggestedFilename());
  await download.saveAs(file);
  check(file.endsWith(".xlsx") && statSync(file).size > 1000, `download ${file}`);
  check(readFileSync(file).subarray(0, 2).toString() === "PK", "the XLSX is not a zip workbook");
  const response = await page.goto(`${base}/fasilitas/lapas-lubuklinggau`);
  await shot(page, "3-fasilitas-lain");
  check(response.status() === 404, `another province's facility answered ${response.status()}`);
});

// 4. Journey 2 without JavaScript: every page works without scripts.
await journey("4-kanwil-without-javascript", { javaScriptEnabled: false }, (page) =>
  kanwilJourney(page, "4"),
);

// Accessibility: axe-core on the main pages; no serious or critical violations.
await journey("5-accessibility", { bypassCSP: true }, async (page) => {
  const pages = [
    ["masuk", "/masuk", null],
    ["nasional", "/", accounts.kanwil],
    ["provinsi", "/provinsi/16", null],
    ["fasilitas", "/fasilitas/lapas-lubuklinggau", null],
    ["tps", "/fasilitas/lapas-lubuklinggau/tps/1", null],
    ["angka-resmi", "/provinsi/16/tps", null],
    ["kesiapan", "/provinsi/16/kesiapan", null],
    ["cetak", "/fasilitas/lapas-lubuklinggau/tps/1/cetak", null],
    ["rekonsiliasi", "/fasilitas/lapas-lubuklinggau/rekonsiliasi", null],
    ["daftar", "/fasilitas/lapas-lubuklinggau/daftar", null],
  ];
  const problems = [];
  for (const [name, url, login] of pages) {
    if (login) await logIn(page, login, "5");
    await page.goto(`${base}${url}`);
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      axe.run(document, { resultTypes: ["violations"] }),
    );
    await shot(page, `5-axe-${name}`);
    const minor = result.violations.filter((v) => v.impact === "minor" || v.impact === "moderate");
    console.log(`     axe ${url}: ${result.violations.length} violation(s)` +
      (minor.length ? ` (minor/moderate: ${minor.map((v) => v.id).join(", ")})` : ""));
    for (const v of result.violations) {
      if (v.impact === "serious" || v.impact === "critical") {
        problems.push(`${url}: ${v.id} (${v.impact}) ${v.nodes.length}× ${v.nodes[0]?.target}`);
      }
    }
  }
  check(problems.length === 0, `accessibility:\n  ${problems.join("\n  ")}`);
});

await finish("all journeys passed; screenshots in target/browser-screenshots/");
