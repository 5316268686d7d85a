/*
 * hostile.js — names a list could hold (markup, quotes, SQL), imported
 * from hostile.csv (invented people, made for this test) into a database
 * of their own, served by a server of its own: every record's page and the search show them as text,
 * exactly as written, and nothing in them runs — no script, no event
 * handler, no element made from a name, no refusal by the CSP (which would
 * mean the page tried).
 */
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const CSV = path.join(__dirname, "hostile.csv");

/* The surnames and given names as the list writes them (CSV quotes undone). */
const NAMES = [
  ["<script>window.__pwned=1</script>Kowalik", "Jan"],
  ["O'Brien\"); DROP TABLE record;--", "Józef \"Józek\""],
  ["Wiśniak\"><svg onload=window.__pwned=3>", "<a href=\"javascript:window.__pwned=4\">Adam</a>"],
];

/* bin: the kartoteka binary; startServer(db) -> {srv, base}, as run.js has it. */
module.exports.run = async function hostile(browser, bin, startServer, check) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kartoteka-hostile-"));
  const db = path.join(dir, "k.db");
  execFileSync(bin, ["init", "--db", db], { stdio: "ignore" });
  execFileSync(bin, ["import", CSV, "--source", "hostile", "--db", db], { stdio: "ignore" });
  const { srv, base } = await startServer(db);
  const ctx = await browser.newContext({ locale: "en-GB" });
  const page = await ctx.newPage();
  const ran = [];
  page.on("dialog", async (d) => { ran.push("dialog " + d.message()); await d.dismiss(); });
  page.on("pageerror", (e) => ran.push("error " + e.message));
  page.on("console", (m) => { if (m.type() === "error") ran.push("console " + m.text()); });
  const madeFromName = () => window.__pwned !== undefined ||
    document.querySelector("svg[onload], img[onerror], a[href^='javascript:'], b") !== null ||
    [...document.scripts].some((s) => !s.src);
  try {
    const list = await (await page.request.get(base + "/api/records?source=hostile")).json();
    check("hostile: the list is in, verbatim", list.items.length === NAMES.length &&
          NAMES.every(([s]) => list.items.some((r) => r.surname === s)),
          JSON.stringify(list.items.map((r) => r.surname)));
    for (const r of list.items) {
      await page.goto(base + "/record/" + r.id);
      await page.locator("main").filter({ hasText: r.given_names }).first()
        .waitFor({ timeout: 10000 }).catch(() => {});
      const text = await page.locator("body").innerText();
      check("hostile: record " + r.id + " shows its names as text",
            text.includes(r.surname) && text.includes(r.given_names), text.slice(0, 300));
      check("hostile: record " + r.id + " runs nothing from them",
            !(await page.evaluate(madeFromName)), r.surname);
    }
    for (const [surname] of NAMES) {
      const word = surname.replace(/[^A-Za-zśŚ]+/g, " ").trim().split(" ").pop();
      await page.goto(base + "/");
      await page.locator("#q").fill(surname);
      await page.locator(".hit").first().waitFor({ timeout: 10000 }).catch(() => {});
      const text = await page.locator("body").innerText();
      check("hostile: searching " + JSON.stringify(surname) + " shows it as text",
            text.includes(surname), word + ": " + text.slice(0, 300));
      check("hostile: the search runs nothing from it", !(await page.evaluate(madeFromName)));
    }
    check("hostile: no dialog, script error or CSP refusal", ran.length === 0, ran.join("; "));
  } finally {
    await ctx.close();
    srv.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

/* The file is read by `kartoteka import`; it must be there. */
if (!fs.existsSync(CSV)) throw new Error(CSV + " is missing");
