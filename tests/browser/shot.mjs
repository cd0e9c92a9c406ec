import { chromium } from "playwright-core";
const [base, user, pass, out, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
const page = await (await browser.newContext({ viewport: { width: Number(process.env.WIDTH || 1366), height: 900 } })).newPage();
await page.goto(`${base}/masuk`);
await page.fill("#username", user);
await page.fill("#password", pass);
await Promise.all([page.waitForLoadState("load"), page.click("main button[type=submit]")]);
let i = 0;
for (const p of paths) {
  await page.goto(`${base}${p}`);
  const sel = process.env.SELECTOR;
  if (sel) await page.locator(sel).first().screenshot({ path: `${out}-${i++}.png` });
  else await page.screenshot({ path: `${out}-${i++}.png`, fullPage: process.env.FULL === "1" });
}
await browser.close();
