/* run.js — the pages in a real browser: Debian's chromium, driven by
 * playwright-core, against a server this script starts on a free loopback
 * port with a fresh database of the bundled data. Every check prints
 * "ok" or "FAIL"; screenshots of every page at desktop and phone width go
 * to $SCREENSHOTS (default build/screenshots/); axe-core looks for
 * accessibility violations on each page. The last line is the count:
 * "browser: N passed, M failed"; the exit code is 1 when any failed.
 *
 * usage: node tests/browser/run.js   (KARTOTEKA_BIN = the binary) */
"use strict";
const { chromium } = require("playwright-core");
const { spawn, execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const hostile = require("./hostile");

const BIN = path.resolve(process.env.KARTOTEKA_BIN || "build/kartoteka");
const SHOTS = path.resolve(process.env.SCREENSHOTS || "build/screenshots");
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const DESKTOP = { width: 1280, height: 900 }, PHONE = { width: 390, height: 844 };

let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) { passed++; console.log("ok   " + name); }
  else { failed++; console.log("FAIL " + name + (detail ? ": " + detail : "")); }
}

/* Starts `kartoteka serve --port 0` and reads the port it printed. */
function startServer(db) {
  return new Promise((resolve, reject) => {
    const srv = spawn(BIN, ["serve", "--db", db, "--port", "0", "--quiet"],
                      { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const timer = setTimeout(() => reject(new Error("the server did not start: " + out)), 30000);
    srv.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:([0-9]+)\//);
      if (m) { clearTimeout(timer); resolve({ srv, base: "http://127.0.0.1:" + m[1] }); }
    });
    srv.on("exit", (code) => reject(new Error("the server exited with " + code + ": " + out)));
  });
}

async function axeCheck(page, name) {
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE); /* not subject to the CSP */
  const res = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  const bad = res.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  check("no serious accessibility violation: " + name, bad.length === 0,
        bad.map((v) => v.id + " (" + v.nodes.length + ": " +
                v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ") + ")").join("; "));
}

/* Every screenshot's page is also read for text that is no text: an
 * object or a missing value printed where a word should be. */
const junk = [];
async function shot(page, name) {
  const text = await page.locator("body").innerText();
  const bad = text.match(/\[object [A-Za-z]+\]|\bundefined\b|\bNaN\b|^null$/m);
  if (bad) junk.push(name + ": " + bad[0]);
  await page.screenshot({ path: path.join(SHOTS, name + ".png"), fullPage: true });
}

/* Addresses that lead nowhere: a guessed or mistyped path, a person the
 * registry does not hold, the /search people guess for a search; a record
 * by its list's own key; and the sources' percent-encoded addresses shown
 * as the letters they encode. */
async function wrongAddresses(browser, base) {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: "en-GB",
    extraHTTPHeaders: { "Accept-Language": "en-GB,en;q=0.9" } });
  const page = await ctx.newPage();
  const scriptErrors = [];
  page.on("pageerror", (e) => scriptErrors.push(e.message));

  const res = await page.goto(base + "/Smorawinski");
  await page.locator("main h1").waitFor({ timeout: 10000 });
  check("a path that is no page answers 404", res.status() === 404, String(res.status()));
  check("... with the site's own page saying so",
        (await page.locator("main h1").innerText()) === "No such page" &&
        await page.locator("#nav a").count() === 7);
  await shot(page, "no-such-page-desktop");
  await axeCheck(page, "no such page");
  await page.locator("main a", { hasText: "Search for Smorawinski" }).click();
  await page.locator(".hit").first().waitFor({ timeout: 10000 });
  check("... and its search for the address's last word finds the man",
        new URL(page.url()).search === "?q=Smorawinski" &&
        (await page.locator(".hit").first().innerText()).includes("Smorawiński"), page.url());

  await page.goto(base + "/person/99999");
  await page.locator("main .notice").waitFor({ timeout: 10000 });
  const gone = await page.locator("main").innerText();
  check("a person the registry does not hold is said so, without a stale 'Loading…'",
        gone.includes("This registry holds nothing under this address.") &&
        !gone.includes("Loading") && !gone.includes("Something went wrong") &&
        await page.locator("main a", { hasText: "Search the registry" }).count() === 1, gone);
  await shot(page, "no-such-person-desktop");

  await page.goto(base + "/search?q=Smorawinski");
  await page.locator(".hit").first().waitFor({ timeout: 10000 });
  check("/search?q= is the search page (the address becomes /?q=)",
        new URL(page.url()).pathname === "/" && new URL(page.url()).search === "?q=Smorawinski",
        page.url());

  /* a record by its list's own key: two lists give P001, one of them names one */
  await page.goto(base + "/record?key=P001");
  await page.locator("ul.bykey li").first().waitFor({ timeout: 10000 });
  const both = await page.locator("ul.bykey").innerText();
  check("/record?key= lists every record a key names, with its source",
        await page.locator("ul.bykey li").count() === 2 && both.includes("prisoners_pl") &&
        both.includes("prisoners_ru") && both.includes("Сморавинский"), both);
  await shot(page, "record-key-desktop");
  await axeCheck(page, "record by key");
  await page.goto(base + "/record?key=P999");
  await page.locator("main .notice").waitFor({ timeout: 10000 });
  check("... and a key no list gives is said so",
        !(await page.locator("main").innerText()).includes("Loading"));
  await page.goto(base + "/record?key=P001&source=prisoners_ru");
  await page.locator("main h1", { hasText: "Сморавинский" }).waitFor({ timeout: 10000 });
  check("... and with &source= the one record, at its own address",
        /^\/record\/[0-9]+$/.test(new URL(page.url()).pathname) &&
        (await page.locator("main .meta").first().innerText()).includes("P001"), page.url());

  await page.goto(base + "/person/1");
  await page.locator(".side .col").first().waitFor({ timeout: 10000 });
  const link = page.locator('main a.url[href*="%D0%A1%D0%BC%D0%BE%D1%80"]').first();
  check("a source's address is shown in letters, linked as given",
        await link.count() === 1 && (await link.innerText()).includes("/wiki/Сморавинский"),
        await link.count() ? await link.innerText() : "no such link");
  await ctx.close();

  const pl = await browser.newContext({ viewport: DESKTOP, locale: "pl-PL",
    extraHTTPHeaders: { "Accept-Language": "pl-PL,pl;q=0.9" } });
  const plPage = await pl.newPage();
  await plPage.goto(base + "/nie/ma");
  await plPage.locator("main h1").waitFor({ timeout: 10000 });
  check("Polish: the page that is not there speaks Polish",
        (await plPage.locator("main h1").innerText()) === "Nie ma takiej strony");
  await pl.close();
  check("no script errors on the wrong addresses", scriptErrors.length === 0, scriptErrors.join("; "));
}

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kartoteka-browser-"));
  const db = path.join(dir, "k.db");
  execFileSync(BIN, ["init", "--db", db], { stdio: "ignore" });
  const { srv, base } = await startServer(db);
  process.on("exit", () => srv.kill("SIGTERM"));
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    /* playwright gives the browser a fresh --user-data-dir of its own */
  });
  try {
    for (const [label, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
      const ctx = await browser.newContext({ viewport, locale: "en-GB",
        extraHTTPHeaders: { "Accept-Language": "en-GB,en;q=0.9" } });
      const page = await ctx.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });

      /* search as you type */
      await page.goto(base + "/");
      await page.locator("#q").pressSequentially("Smorawinski", { delay: 20 });
      await page.locator(".hit").first().waitFor({ timeout: 10000 });
      const first = (await page.locator(".hit").first().locator(".form").first().innerText());
      check(label + ": search Smorawinski shows the Cyrillic record first",
            first.includes("Сморавинский"), first.slice(0, 80));
      const hitText = await page.locator(".hit").first().innerText();
      check(label + ": the hit shows both forms, source, year and why",
            hitText.includes("Smorawiński") && hitText.includes("prisoners_ru") &&
            hitText.includes("1893") && hitText.includes("→"), hitText.slice(0, 200));
      await shot(page, "search-" + label);
      if (label === "desktop") await axeCheck(page, "search");

      /* its record's page */
      await page.locator(".hit").first().locator(".form").first().locator("h2 a").click();
      await page.locator("h1", { hasText: "Сморавинский" }).waitFor({ timeout: 10000 });
      const rec = await page.locator("main").innerText();
      check(label + ": the record page shows the record with its source",
            rec.includes("prisoners_ru") && rec.includes("Kozelsk") && /Source|Źródło/.test(rec));
      await shot(page, "record-" + label);
      if (label === "desktop") await axeCheck(page, "record");

      /* the person's page */
      await page.locator("main .more a").first().click();
      await page.locator(".side .col").nth(1).waitFor({ timeout: 10000 });
      const cols = await page.locator(".side .col").count();
      check(label + ": the person page shows his records side by side", cols === 2, String(cols));
      check(label + ": the person page has a timeline", await page.locator("svg.timeline").count() === 1);
      await shot(page, "person-" + label);
      if (label === "desktop") await axeCheck(page, "person");

      /* figures */
      await page.goto(base + "/figures/pow_taken_1939");
      await page.locator("svg.chart .claim").first().waitFor({ timeout: 10000 });
      const values = await page.locator("svg.chart .claim").evaluateAll(
        (gs) => gs.map((g) => g.getAttribute("data-value")));
      const three = ["125,000", "190,584", "230,000–450,000"];
      check(label + ": the chart shows the three estimates of POWs taken in 1939",
            three.every((v) => values.includes(v)), values.join(" | "));
      check(label + ": beside them, what the registry counts",
            (await page.locator(".registry").innerText()).includes("52"));
      const h1 = await page.locator("main h1").innerText();
      check(label + ": the figure's heading is its English title, its key beside it",
            h1 === "Prisoners of war taken by the Soviets in 1939" &&
            (await page.locator(".qkey code").innerText()) === "pow_taken_1939", h1);
      await shot(page, "figures-" + label);
      await page.goto(base + "/figures");
      await page.locator(".quantities li").first().waitFor({ timeout: 10000 });
      const list = await page.locator(".quantities").innerText();
      check(label + ": the list of figures names each by its title",
            list.includes("Victims of the Katyn massacre, 1940") && !list.includes("pow taken 1939") &&
            await page.locator(".quantities li").count() === 73, list.slice(0, 200));
      await shot(page, "figures-list-" + label);
      if (label === "desktop") await axeCheck(page, "figures");

      /* the map */
      await page.goto(base + "/places");
      await page.locator("svg.map path.land").waitFor({ timeout: 10000 });
      for (const [id, name] of [["kozelsk_camp", "Kozelsk"], ["starobilsk_camp", "Starobilsk"],
                                ["ostashkov_camp", "Ostashkov"]]) {
        const pin = page.locator(`svg.map a[href="/place/${id}"]`);
        check(label + ": the map shows " + name, await pin.count() === 1 &&
              (await pin.locator("text").textContent()) === name);
      }
      await shot(page, "places-" + label);
      if (label === "desktop") await axeCheck(page, "places");
      await page.locator('svg.map a[href="/place/kozelsk_camp"]').click();
      await page.locator("h2", { hasText: "Events" }).waitFor({ timeout: 10000 });
      const placeText = await page.locator("main").innerText();
      check(label + ": a place links to its events and records",
            placeText.includes("Smorawiński") && /19[34][0-9]/.test(placeText));
      await shot(page, "place-" + label);

      /* timeline, sources, documents */
      for (const [p, want] of [["/persons", "Smorawiński"], ["/events", "1939"], ["/sources", "prisoners_ru"],
                               ["/documents", "1940"]]) {
        await page.goto(base + p);
        await page.locator("main h1").waitFor();
        /* (no waitForFunction: it evaluates strings, which the pages' CSP forbids) */
        await page.locator("main").getByText(want).first().waitFor({ timeout: 10000 })
          .catch(() => {});
        const text = await page.locator("main").innerText();
        check(label + ": " + p + " shows its list", text.includes(want));
        await shot(page, p.slice(1) + "-" + label);
        if (label === "desktop") await axeCheck(page, p.slice(1));
      }
      if (label === "phone") {
        for (const p of ["/", "/figures/pow_taken_1939", "/places", "/events", "/person/1"]) {
          await page.goto(base + p);
          await page.waitForTimeout(300);
          const w = await page.evaluate(() => document.documentElement.scrollWidth);
          check("phone: " + p + " fits the width (no sideways scrolling)", w <= PHONE.width + 1, String(w));
        }
      }
      check(label + ": no script errors", errors.length === 0, errors.join("; "));
      check(label + ": no stray [object ...], undefined or NaN on any page", junk.length === 0,
            junk.join("; "));
      junk.length = 0;
      await ctx.close();
    }

    /* the Polish interface, chosen by the browser's language */
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: "pl-PL",
      extraHTTPHeaders: { "Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5" } });
    const page = await ctx.newPage();
    await page.goto(base + "/?q=Smorawi%C5%84ski");
    await page.locator(".hit").first().waitFor({ timeout: 10000 });
    check("Polish: <html lang=pl> from Accept-Language",
          await page.evaluate(() => document.documentElement.lang) === "pl");
    const nav = await page.locator("#nav").innerText();
    check("Polish: the interface speaks Polish", nav.includes("Szukaj") && nav.includes("Mapa"), nav);
    check("Polish: the first hit is the Cyrillic record",
          (await page.locator(".hit .form").first().innerText()).includes("Сморавинский"));
    await shot(page, "search-polish-desktop");
    await axeCheck(page, "search (Polish)");
    await page.goto(base + "/figures/pow_taken_1939");
    await page.locator("svg.chart .claim").first().waitFor({ timeout: 10000 });
    const plTitle = await page.locator("main h1").innerText();
    check("Polish: the figure's heading is its Polish title",
          plTitle === "Jeńcy wzięci do niewoli przez Sowietów w 1939 roku", plTitle);
    await shot(page, "figures-polish-desktop");
    await axeCheck(page, "figures (Polish)");
    await page.goto(base + "/figures?lang=pl");
    await page.locator(".quantities li").first().waitFor({ timeout: 10000 });
    const plList = await page.locator(".quantities").innerText();
    check("Polish: ?lang=pl names the figures by their Polish titles, claims counted in Polish",
          plList.includes("Ofiary zbrodni katyńskiej, 1940 — 5 szacunków") &&
          plList.includes("Jeńcy w obozie w Kozielsku — 3 szacunki") &&
          plList.includes("grudzień 1941 — 1 szacunek"), plList.slice(0, 300));
    await shot(page, "figures-list-polish-desktop");
    check("Polish: no stray [object ...], undefined or NaN", junk.length === 0, junk.join("; "));
    /* switching to English and back */
    await page.locator('#lang a[hreflang="en"]').click();
    await page.locator('html[lang="en"]').waitFor({ state: "attached", timeout: 10000 });
    check("Polish: the switch turns the pages English",
          (await page.locator("#nav").innerText()).includes("Search"));
    await page.goto(base + "/");
    check("the choice is remembered", await page.evaluate(() => document.documentElement.lang) === "en");
    await ctx.close();
    await wrongAddresses(browser, base);
    await hostile.run(browser, BIN, startServer, check);
  } finally {
    await browser.close();
    srv.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { failed++; console.log("FAIL " + (e.stack || e)); })
  .finally(() => {
    console.log("screenshots: " + SHOTS);
    console.log(`browser: ${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
