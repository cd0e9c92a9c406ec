// Tables that fit: every account's main pages at 1366×900 (a laptop) and 390×844 (a phone),
// in Debian's Chromium driven by playwright-core, against a running Loksus (started by
// tests/app/browser.rs). On each page:
//   - the page itself never scrolls sideways (documentElement.scrollWidth <= innerWidth);
//   - a table wider than its box sits in a box that scrolls (overflow-x auto or scroll);
//   - a box that does scroll sideways can be reached with the keyboard (tabindex="0"), has a
//     role and a name for screen readers, and keeps its first column in view (sticky).
// Every page is saved as `fit-<account>-<width>-<page>.png` under SCREENSHOTS. Exit code 0 when
// every page fits; the problems are printed otherwise.
//
// Environment: LOKSUS_BASE (http://127.0.0.1:port), CHROMIUM (/usr/bin/chromium),
// SCREENSHOTS (folder), ACCOUNTS (JSON: {name: {username, password, province, facility}}).

import { accounts, base, browser, failure, finish, logIn, screenshot } from "./common.mjs";

const sizes = [
  { label: "1366", viewport: { width: 1366, height: 900 } },
  { label: "390", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
];

// The pages an account visits: its home page, the province pages, the readiness matrix, and a
// facility in its scope with a TPS, its roll and its reconciliation; then its extra pages.
function pagesOf(account) {
  const pages = [
    ["beranda", "/"],
    ["provinsi-16", "/provinsi/16"],
  ];
  if (account.province !== "16") pages.push([`provinsi-${account.province}`, `/provinsi/${account.province}`]);
  pages.push(
    ["kesiapan", `/provinsi/${account.province}/kesiapan`],
    ["fasilitas", `/fasilitas/${account.facility}`],
    // The first TPS the facility page (just visited) links to.
    ["tps", (page) => page.locator("a[href*='/tps/']").first().getAttribute("href")],
    ["daftar", `/fasilitas/${account.facility}/daftar`],
    ["rekonsiliasi", `/fasilitas/${account.facility}/rekonsiliasi`],
  );
  for (const extra of account.extra ?? []) pages.push(extra);
  return pages;
}

// Runs in the page: what does not fit, as sentences.
function measure(wide) {
  const problems = [];
  const doc = document.documentElement;
  document.querySelectorAll("table").forEach((table, i) => {
    const box = table.parentElement;
    const name = table.caption?.innerText.trim() || table.id || `table ${i + 1}`;
    const overflowX = getComputedStyle(box).overflowX;
    const scrolls = overflowX === "auto" || overflowX === "scroll";
    if (table.getBoundingClientRect().width > box.clientWidth + 1 && !scrolls) {
      problems.push(`"${name}" is ${Math.round(table.getBoundingClientRect().width)} px in a box of ${box.clientWidth} px that does not scroll`);
    }
    if (!scrolls || box.scrollWidth <= box.clientWidth + 1) return;
    box.setAttribute("data-fit-scrolls", "");
    if (wide) console.log(`note: "${name}" scrolls at ${window.innerWidth} px (${box.scrollWidth} in ${box.clientWidth})`);
    if (box.getAttribute("tabindex") !== "0") problems.push(`"${name}" scrolls but its box has no tabindex="0"`);
    if (!box.getAttribute("role") || !(box.getAttribute("aria-label") || box.getAttribute("aria-labelledby"))) {
      problems.push(`"${name}" scrolls but its box has no role and name`);
    }
    const first = table.querySelector("tbody tr > :first-child:not([colspan])");
    if (first && getComputedStyle(first).position !== "sticky") {
      problems.push(`"${name}" scrolls but its first column is not sticky`);
    }
  });
  if (doc.scrollWidth > window.innerWidth) {
    // The outermost elements that stick out, outside the boxes that scroll.
    const out = (e) => e.getBoundingClientRect().right > window.innerWidth + 1;
    const culprits = [...document.querySelectorAll("body *")]
      .filter((e) => out(e) && !out(e.parentElement) && !e.closest("[data-fit-scrolls]"))
      .slice(0, 3)
      .map((e) => `${e.tagName.toLowerCase()}${e.className ? "." + String(e.className).split(" ")[0] : ""}`);
    problems.push(`the page is ${doc.scrollWidth} px wide in ${window.innerWidth} (${culprits.join(", ")})`);
  }
  return problems;
}

for (const [key, account] of Object.entries(accounts)) {
  for (const size of sizes) {
    const { label, ...options } = size;
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.on("console", (m) => { if (m.text().startsWith("note:")) console.log(`     ${m.text()}`); });
    try {
      await logIn(page, account);
    } catch (e) {
      failure(`${key}: ${e.message}`);
      await context.close();
      continue;
    }
    for (const [name, target] of pagesOf(account)) {
      const url = typeof target === "function" ? await target(page) : target;
      const response = await page.goto(new URL(url, base).href);
      const problems = await page.evaluate(measure, label === "1366");
      await screenshot(page, `fit-${key}-${label}-${name}`);
      const where = `${key} ${label} ${url} (${response.status()})`;
      if (problems.length) {
        failure(`${where}:\n    ${problems.join("\n    ")}`);
      } else {
        console.log(`ok   ${where}`);
      }
    }
    await context.close();
  }
}

await finish("every page fits; screenshots in target/browser-screenshots/");
