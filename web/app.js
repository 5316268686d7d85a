/* app.js — the registry's pages: one script that draws each page from the
 * JSON API (/api/...). Everything shown is put in with textContent or as
 * SVG attributes, never as HTML, so no text from a record can become markup.
 * Pages: / (search as you type), /record/ID, /record?key=K[&source=S]
 * (a record by its list's own key), /person/ID, /figures,
 * /figures/QUANTITY, /events, /places, /place/ID, /sources, /documents;
 * any other address: a page that says there is none (served with 404). */
"use strict";
(function () {
  const LANG = document.documentElement.lang === "pl" ? "pl" : "en";
  const TEXT = window.KT_TEXT[LANG];
  const t = (k) => (k in TEXT ? TEXT[k] : window.KT_TEXT.en[k]);
  /* The word for n of something in the page's language: "1 claim", "3
   * claims"; "1 szacunek", "3 szacunki", "5 szacunków". */
  const PLURAL = new Intl.PluralRules(LANG);
  const plural = (n, k) => { const w = t(k); return w[PLURAL.select(n)] || w.other; };
  const SVGNS = "http://www.w3.org/2000/svg";
  const main = document.getElementById("main");

  /* el("p", {class: "x"}, "text", child...) */
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {}))
      if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v);
    for (const c of kids.flat(Infinity))
      if (c !== null && c !== undefined && c !== "")
        e.append(c instanceof Node ? c : String(c));
    return e;
  }
  function svg(tag, attrs, ...kids) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of kids.flat(Infinity))
      if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }
  /* A link inside the pages (followed without reloading). */
  function link(href, ...kids) {
    const a = el("a", { href }, ...kids);
    a.addEventListener("click", (ev) => {
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button) return;
      ev.preventDefault();
      go(href);
    });
    return a;
  }
  /* An address as a reader would write it: %D0%A1... shown as the
   * letters it encodes (the link itself keeps the address as given);
   * as given when it encodes a space, a control or a direction mark,
   * which would make the text shown differ from where the link goes. */
  function readable(url) {
    let s;
    try { s = decodeURI(url); } catch (e) { return url; }
    return /[\s\p{Cc}\p{Cf}]/u.test(s) ? url : s;
  }
  /* A link out: only http(s) addresses become links. */
  function out(url) {
    return /^https?:\/\//i.test(url)
      ? el("a", { href: url, rel: "noopener noreferrer", class: "url" }, readable(url))
      : el("span", { class: "url" }, url);
  }
  function urls(list) {
    if (!list || !list.length) return null;
    return el("ul", { class: "urls" }, list.map((u) => el("li", {}, out(u))));
  }
  const num = (n) => (n === null || n === undefined ? "" :
    Number(n).toLocaleString(LANG === "pl" ? "pl-PL" : "en-GB"));
  const isCyr = (s) => /[\u0400-\u04ff]/.test(s || "");

  async function api(path) {
    const r = await fetch(path, { headers: { Accept: "application/json" } });
    const j = await r.json();
    if (!r.ok) {
      const e = new Error(j.error ? j.error.message : r.statusText);
      e.status = r.status;
      throw e;
    }
    return j;
  }
  function page(title, ...kids) {
    document.title = title + " — kartoteka";
    main.replaceChildren(el("h1", {}, title),
      ...kids.flat(Infinity).filter((k) => k !== null && k !== undefined && k !== ""));
  }
  const loading = () => el("p", { class: "loading" }, t("loading"));
  /* What could not be shown, in place of "Loading…": a record, person,
   * place or figure the registry does not hold is said so, with the way
   * back to the search; anything else is an error. */
  function failed(e) {
    for (const n of main.querySelectorAll(".loading")) n.remove();
    if (e.status === 404)
      main.append(el("p", { class: "notice", role: "alert", title: e.message }, t("not_here")),
        el("p", {}, link("/", t("to_search"))));
    else
      main.append(el("p", { class: "error", role: "alert" }, t("error") + " " + e.message));
  }

  /* ---- the frame ---------------------------------------------------- */
  const NAV = [["/", "nav_search"], ["/persons", "nav_persons"], ["/figures", "nav_figures"], ["/events", "nav_events"],
               ["/places", "nav_places"], ["/sources", "nav_sources"],
               ["/documents", "nav_documents"]];
  function frame() {
    document.getElementById("skip").textContent = t("skip");
    const nav = document.getElementById("nav");
    nav.setAttribute("aria-label", t("nav_label"));
    nav.replaceChildren(el("ul", {}, NAV.map(([h, k]) => el("li", {}, link(h, t(k))))));
    const lang = document.getElementById("lang");
    lang.replaceChildren(
      el("span", { class: "sr" }, t("lang_label") + ": "),
      el("a", { href: "?lang=pl", hreflang: "pl", lang: "pl",
                "aria-current": LANG === "pl" ? "true" : null }, "Polski"),
      " · ",
      el("a", { href: "?lang=en", hreflang: "en", lang: "en",
                "aria-current": LANG === "en" ? "true" : null }, "English"));
    document.getElementById("foot").replaceChildren(el("p", {}, t("footer")));
  }
  function markNav(path) {
    for (const a of document.querySelectorAll("#nav a")) {
      const h = a.getAttribute("href");
      const on = h === "/" ? path === "/" : path.startsWith(h);
      if (on) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    }
  }

  /* ---- search ------------------------------------------------------- */
  let searchTimer = null, searchSeq = 0;
  function searchPage(params) {
    const q = params.get("q") || "";
    const input = el("input", { type: "search", id: "q", name: "q", value: q,
      placeholder: t("search_placeholder"), autocomplete: "off", spellcheck: "false",
      "aria-describedby": "q-hint", "aria-controls": "results" });
    const status = el("p", { id: "status", class: "status", role: "status", "aria-live": "polite" });
    const results = el("ol", { id: "results", class: "results" });
    const form = el("form", { role: "search", class: "search" },
      el("label", { for: "q" }, t("search_label")), input,
      el("p", { id: "q-hint", class: "hint" }, t("search_hint")));
    form.addEventListener("submit", (e) => { e.preventDefault(); run(); });
    page(t("title"), form, status, results);
    function run() {
      const v = input.value.trim();
      const u = v ? "/?q=" + encodeURIComponent(v) : "/";
      history.replaceState(null, "", u);
      if (!v) { results.replaceChildren(); status.textContent = ""; return; }
      const seq = ++searchSeq;
      status.textContent = t("searching");
      api("/api/search?limit=20&q=" + encodeURIComponent(v)).then((j) => {
        if (seq !== searchSeq) return; /* a newer query is on its way */
        drawResults(j, results, status);
      }).catch((e) => { status.textContent = t("error") + " " + e.message; });
    }
    input.addEventListener("input", () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(run, 120);
    });
    input.focus();
    if (q) run();
  }

  /* One entry per man (the API groups his records), his records side by
   * side in the API's order: by score, and at an equal score the one in the
   * other script than the query first (the registry's find: the spelling
   * the user did not type). */
  function drawResults(j, list, status) {
    status.textContent = j.results.length
      ? j.results.length + " " + t("results_count")
      : t("results_none") + " \u201e" + j.query + "\u201d";
    list.replaceChildren(...j.results.map((r) => {
      const recs = r.records && r.records.length ? r.records : [r];
      const head = r.person_id ? link("/person/" + r.person_id,
        t("person") + " " + r.person_id + ": " + t("person_page")) : null;
      return el("li", { class: "hit" },
        el("div", { class: "forms" }, recs.map(hitCard)), head ? el("p", { class: "more" }, head) : null);
    }));
  }
  function hitCard(r) {
    const cyr = isCyr(r.name);
    return el("article", { class: "form " + (cyr ? "cyr" : "lat") },
      el("p", { class: "formlabel" }, cyr ? t("cyrillic_form") : t("polish_form")),
      el("h2", { lang: cyr ? "ru" : "pl" }, link("/record/" + r.record_id, r.name)),
      el("p", { class: "meta" },
        r.birth_year ? el("span", {}, t("born") + " " + r.birth_year) : null,
        el("span", {}, t("source") + ": ", el("code", {}, r.source)),
        r.record_key ? el("span", {}, t("key") + ": ", el("code", {}, r.record_key)) : null,
        el("span", {}, t("record") + " " + r.record_id),
        el("span", {}, t("score") + " " + r.score.toFixed(2))),
      r.why && r.why.length ? el("ul", { class: "why", "aria-label": t("why") },
        r.why.map((w) => el("li", {}, w))) : null);
  }

  /* ---- records and persons ------------------------------------------ */
  const FIELDS = ["surname", "given_names", "patronymic", "father_name", "name", "birth_year",
                  "birth_date", "birth_place", "rank", "occupation", "camp", "fate",
                  "fate_date", "fate_place", "list_position", "note"];
  function recordFields(r) {
    const F = t("fields");
    return el("dl", { class: "fields" }, FIELDS.filter((f) => r[f] !== null && r[f] !== "")
      .map((f) => [el("dt", {}, F[f]), el("dd", { lang: isCyr(String(r[f])) ? "ru" : null }, String(r[f]))]));
  }
  function sourceBox(s) {
    if (!s) return null;
    return el("section", { class: "source", "aria-label": t("source_of") },
      el("h2", {}, t("source_of") + ": ", el("code", {}, s.key)),
      el("dl", { class: "fields" },
        s.title ? [el("dt", {}, t("title_w")), el("dd", {}, s.title)] : null,
        s.licence ? [el("dt", {}, t("licence")), el("dd", {}, s.licence)] : null,
        s.url ? [el("dt", {}, t("url")), el("dd", {}, out(s.url))] : null,
        s.reference ? [el("dt", {}, "Ref."), el("dd", {}, s.reference)] : null));
  }
  function recordBody(r) {
    return [recordFields(r), urls(r.source_urls),
      el("details", { class: "raw" },
        el("summary", {}, t("raw_row") + " " + r.raw_line + t("raw_row_end")),
        el("pre", {}, r.raw))];
  }
  async function recordPage(id) {
    page(t("record_page") + " " + id, loading());
    try {
      const j = await api("/api/records/" + encodeURIComponent(id));
      const r = j.record;
      const name = r.name || [r.surname, r.given_names, r.patronymic].filter(Boolean).join(" ");
      page(name, el("p", { class: "meta" }, t("source") + ": ", el("code", {}, r.source),
        r.record_key ? [" · " + t("key") + ": ", el("code", {}, r.record_key)] : null,
        " · " + t("record") + " " + r.id),
        ...recordBody(r), sourceBox(j.source),
        j.person ? el("p", { class: "more" }, link("/person/" + j.person.id,
          t("person") + ": " + j.person.label + " — " + j.person.records.length + " " + t("records_n"))) : null);
    } catch (e) { failed(e); }
  }
  /* /record?key=K[&source=S]: the record a list's own key names (the key
   * people hold); one is shown at its own address, several are listed. */
  async function recordByKeyPage(params) {
    const key = params.get("key") || "", source = params.get("source");
    const title = t("record_key_title") + " " + key;
    page(title, loading());
    try {
      const j = await api("/api/records?limit=50&key=" + encodeURIComponent(key) +
        (source ? "&source=" + encodeURIComponent(source) : ""));
      if (j.total === 1) {
        history.replaceState(null, "", "/record/" + j.items[0].id);
        return recordPage(String(j.items[0].id));
      }
      if (j.total === 0)
        return failed(Object.assign(new Error("no record with this key"), { status: 404 }));
      page(title, el("p", {}, t("records_share_key") + " " + num(j.total)),
        el("ul", { class: "bykey" }, j.items.map((r) => el("li", {},
          link("/record/" + r.id, el("span", { lang: isCyr(r.surname) ? "ru" : null },
            r.name || [r.surname, r.given_names, r.patronymic].filter(Boolean).join(" "))),
          " — " + t("source") + ": ", el("code", {}, r.source),
          " · " + t("record") + " " + r.id))));
    } catch (e) { failed(e); }
  }
  async function personPage(id) {
    page(t("person") + " " + id, loading());
    try {
      const p = await api("/api/persons/" + encodeURIComponent(id));
      const recs = p.records.slice().sort((a, b) => isCyr(a.surname) - isCyr(b.surname));
      const fate = recs.map((r) => r.fate).find(Boolean);
      page(p.label,
        fate ? el("p", { class: "fate" }, el("strong", {}, t("fate") + ": "), fate) : null,
        personTimeline(recs),
        el("h2", {}, t("records_of_person")),
        el("div", { class: "side" }, recs.map((r) => el("article", { class: "col" },
          el("h3", { lang: isCyr(r.surname) ? "ru" : "pl" },
            link("/record/" + r.id, [r.surname, r.given_names, r.patronymic].filter(Boolean).join(" "))),
          el("p", { class: "meta" }, t("source") + ": ", el("code", {}, r.source),
            r.record_key ? " · " + t("key") + ": " + r.record_key : "", " · " + t("record") + " " + r.id),
          r.link ? el("p", { class: "link" }, t("linked") + ": " + r.link.method +
            (r.link.by ? " (" + r.link.by + ")" : "") + (r.link.why ? " — " + r.link.why : "")) : null,
          ...recordBody(r)))),
        p.aliases.length ? [el("h2", {}, t("aliases")), el("ul", {}, p.aliases.map((a) =>
          el("li", {}, el("span", { lang: isCyr(a.name) ? "ru" : null }, a.name), " (" + a.kind + ")")))] : null);
    } catch (e) { failed(e); }
  }
  /* Born, camp, fate: the years the records give, on one line. */
  function personTimeline(recs) {
    const pts = [];
    const r = recs[0] || {};
    const born = recs.map((x) => x.birth_year).find(Boolean);
    if (born) pts.push([born, t("timeline_born"), String(born)]);
    const camp = recs.map((x) => x.camp).find(Boolean);
    if (camp && camp !== "other") pts.push([1939.9, t("timeline_camp"), camp]);
    const fy = ((r.fate_date || "") + " " + (r.fate || "")).match(/\b(19[0-9]{2})\b/);
    if (fy) pts.push([Number(fy[1]) + 0.3, t("timeline_fate"), r.fate]);
    if (pts.length < 2) return null;
    const lo = Math.min(...pts.map((p) => p[0])), hi = Math.max(...pts.map((p) => p[0]));
    const W = 640, x = (v) => 40 + (W - 80) * (v - lo) / Math.max(1, hi - lo);
    const g = svg("svg", { viewBox: `0 0 ${W} 90`, class: "timeline", role: "img",
      "aria-label": t("timeline") + ": " + pts.map((p) => p[1] + " " + p[2]).join("; ") },
      svg("line", { x1: 40, x2: W - 40, y1: 45, y2: 45, class: "axis" }));
    pts.forEach((p, i) => {
      g.append(svg("circle", { cx: x(p[0]), cy: 45, r: 6, class: "dot" }),
        svg("text", { x: x(p[0]), y: i % 2 ? 75 : 28, "text-anchor": "middle" },
          p[1] + " " + Math.floor(p[0])));
    });
    return el("figure", { class: "tl" }, g, el("figcaption", { class: "sr" }, t("timeline")));
  }

  async function personsPage() {
    page(t("persons_title"), loading());
    try {
      const j = await api("/api/persons?limit=500");
      page(t("persons_title"), el("p", {}, num(j.total) + " " + t("persons")),
        el("ol", { class: "persons" }, j.items.map((p) => el("li", {},
          link("/person/" + p.id, p.label), " — ",
          p.records.map((r, i) => [i ? ", " : "", el("span", { lang: isCyr(r.surname) ? "ru" : null },
            [r.surname, r.given_names].filter(Boolean).join(" ")), " (", el("code", {}, r.source), ")"])))));
    } catch (e) { failed(e); }
  }

  /* ---- figures ------------------------------------------------------ */
  /* What a quantity counts, in the page's language; its key when the
   * database has no title for it. */
  const quantityTitle = (q) =>
    (LANG === "pl" ? q.title_pl : q.title) || q.title || q.quantity.replace(/_/g, " ");
  async function figuresPage() {
    page(t("figures_title"), el("p", {}, t("figures_intro")));
    try {
      const j = await api("/api/figures?limit=500");
      main.append(el("ul", { class: "quantities" }, j.items.map((q) => el("li", {},
        link("/figures/" + q.quantity, quantityTitle(q)),
        " — " + q.claims + " " + plural(q.claims, "claims_n") + ", " + num(q.min) +
        (q.min !== q.max ? "–" + num(q.max) : "")))));
    } catch (e) { failed(e); }
  }
  async function figurePage(q) {
    page(q.replace(/_/g, " "), loading());
    try {
      const j = await api("/api/figures/" + encodeURIComponent(q));
      const reg = j.registry;
      page(quantityTitle(j), el("p", { class: "qkey" }, t("quantity_key") + " ", el("code", {}, j.quantity)),
        el("p", {}, t("figures_intro")),
        el("div", { class: "figwrap" }, rangeChart(j.claims, quantityTitle(j)),
          el("aside", { class: "registry" }, el("h2", {}, t("registry_counts")),
            el("p", {}, el("strong", {}, num(reg.records)), " " + t("registry_records") + ", ",
              el("strong", {}, num(reg.persons)), " " + t("registry_persons")),
            reg.camp ? el("p", {}, el("strong", {}, num(reg.camp_records)), " " +
              t("registry_camp") + " " + reg.camp) : null)),
        claimTable(j.claims));
    } catch (e) { failed(e); }
  }
  function claimValue(c) {
    if (c.value_low !== null && c.value_high !== null)
      return c.value_low === c.value_high ? num(c.value_low) : num(c.value_low) + "–" + num(c.value_high);
    return c.value_high !== null ? t("up_to") + " " + num(c.value_high)
                                 : t("more_than") + " " + num(c.value_low);
  }
  /* One row per claim: a bar from low to high (a dot for one number, an
   * arrow for "more than" / "up to"), its claimant and date beside it. */
  function rangeChart(claims, title) {
    const vals = claims.flatMap((c) => [c.value_low, c.value_high]).filter((v) => v !== null);
    const max = Math.max(...vals) * 1.1, min = 0;
    const W = 720, L = 250, R = 40, ROW = 34, H = claims.length * ROW + 40;
    const x = (v) => L + (W - L - R) * (v - min) / (max - min);
    const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img",
      "aria-labelledby": "chart-title" },
      svg("title", { id: "chart-title" }, t("chart_label") + " (" + title + "): " +
        claims.map((c) => claimValue(c) + " (" + c.claimant + ", " + (c.as_of || "") + ")").join("; ")));
    for (let k = 0; k <= 4; k++) {
      const v = max * k / 4;
      g.append(svg("line", { x1: x(v), x2: x(v), y1: 10, y2: H - 24, class: "grid" }),
        svg("text", { x: x(v), y: H - 8, "text-anchor": "middle", class: "tick" }, num(Math.round(v / 1000) * 1000)));
    }
    claims.forEach((c, i) => {
      const y = 24 + i * ROW;
      const row = svg("g", { class: "claim", "data-value": c.value });
      row.append(svg("text", { x: L - 8, y: y + 4, "text-anchor": "end", class: "who" },
        (c.claimant || "").slice(0, 30) + (c.claimant && c.claimant.length > 30 ? "…" : "")));
      const lo = c.value_low !== null ? c.value_low : min;
      const hi = c.value_high !== null ? c.value_high : max;
      if (c.value_low !== null && c.value_high !== null && lo === hi)
        row.append(svg("circle", { cx: x(lo), cy: y, r: 6, class: "point" }));
      else
        row.append(svg("rect", { x: x(lo), y: y - 6, width: Math.max(3, x(hi) - x(lo)), height: 12,
          class: c.value_low === null || c.value_high === null ? "bar open" : "bar" }));
      row.append(svg("text", { x: Math.min(x(hi), W - 190) + 8, y: y - 9, class: "val" },
        claimValue(c) + (c.as_of ? " · " + c.as_of : "")));
      g.append(row);
    });
    return el("figure", { class: "chartbox" }, g);
  }
  function claimTable(claims) {
    return el("table", { class: "claims" },
      el("thead", {}, el("tr", {}, [t("value"), t("as_of"), t("claimant"), t("basis"), t("source_of")]
        .map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, claims.map((c) => el("tr", {},
        el("td", { class: "n" }, claimValue(c)), el("td", {}, c.as_of || ""),
        el("td", {}, c.claimant || "", c.note ? el("p", { class: "note" }, c.note) : null),
        el("td", {}, c.basis || ""), el("td", {}, urls(c.source_urls))))));
  }

  /* ---- events ------------------------------------------------------- */
  async function eventsPage() {
    page(t("events_title"), loading());
    try {
      const [ev, pl] = await Promise.all([api("/api/events?limit=500"), api("/api/places?limit=500")]);
      const names = new Map(pl.items.map((p) => [p.id, placeName(p)]));
      let year = null;
      const list = el("ol", { class: "events" });
      for (const e of ev.items) {
        const y = e.date_start.slice(0, 4);
        if (y !== year) { year = y; list.append(el("li", { class: "year" }, el("h2", {}, y))); }
        list.append(el("li", { class: "event" },
          el("p", { class: "date" }, el("time", { datetime: e.date_start }, e.date_start),
            e.date_end ? " – " + e.date_end : ""),
          el("h3", {}, e.title),
          e.place_ids.length ? el("p", { class: "places" }, e.place_ids.map((id, i) =>
            [i ? ", " : "", link("/place/" + id, names.get(id) || id)])) : null,
          e.description ? el("p", {}, e.description) : null, urls(e.source_urls)));
      }
      page(t("events_title"), list);
    } catch (e) { failed(e); }
  }

  /* ---- places and the map ------------------------------------------- */
  const placeName = (p) => (LANG === "pl" && p.name_pl ? p.name_pl : p.name_en);
  async function placesPage() {
    page(t("places_title"), loading());
    try {
      const json = (u) => fetch(u).then((r) => r.json()).catch(() => null);
      const [pl, land, countries] = await Promise.all([api("/api/places?limit=500"),
        json("/static/vendor/land-50m.json"), json("/static/vendor/countries-110m.json")]);
      const withCoords = pl.items.filter((p) => p.latitude !== null);
      page(t("places_title"), drawMap(withCoords, land, countries),
        el("ul", { class: "placelist" }, pl.items.map((p) => el("li", {},
          link("/place/" + p.id, placeName(p)), " ",
          el("span", { class: "kind" }, "(" + p.kind.replace(/_/g, " ") + ")")))));
    } catch (e) { failed(e); }
  }
  /* Equirectangular map of Central and Eastern Europe (cos(lat) corrected),
   * land from Natural Earth via world-atlas, one dot per place. */
  function drawMap(places, land, countries) {
    const W = 800, H = 520;
    const lon0 = 14, lon1 = 56, lat0 = 44, lat1 = 61;
    const k = Math.cos((lat0 + lat1) / 2 * Math.PI / 180);
    const sx = W / ((lon1 - lon0) * k), sy = H / (lat1 - lat0), s = Math.min(sx, sy);
    const px = (lon) => (lon - lon0) * k * s, py = (lat) => (lat1 - lat) * s;
    const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "map", role: "group",
      "aria-label": t("map_label") + ": " + places.map(placeName).join(", ") });
    g.append(svg("rect", { x: 0, y: 0, width: W, height: H, class: "sea" }));
    if (land && window.topojson) {
      const geo = window.topojson.feature(land, land.objects.land);
      let d = "";
      const ring = (r) => {
        r.forEach(([lon, lat], i) => { d += (i ? "L" : "M") + px(lon).toFixed(1) + "," + py(lat).toFixed(1); });
        d += "Z";
      };
      for (const f of geo.features || [geo]) {
        const gm = f.geometry || f;
        if (gm.type === "Polygon") gm.coordinates.forEach(ring);
        else if (gm.type === "MultiPolygon") gm.coordinates.forEach((p) => p.forEach(ring));
      }
      g.append(svg("path", { d, class: "land" }));
      if (countries) { /* today's borders, for orientation */
        const mesh = window.topojson.mesh(countries, countries.objects.countries, (a, b) => a !== b);
        d = "";
        for (const line of mesh.coordinates)
          line.forEach(([lon, lat], i) => { d += (i ? "L" : "M") + px(lon).toFixed(1) + "," + py(lat).toFixed(1); });
        g.append(svg("path", { d, class: "border" }));
      }
    }
    for (const p of places) {
      const a = svg("a", { href: "/place/" + p.id, class: "pin " + p.kind });
      a.append(svg("title", {}, placeName(p)),
        svg("circle", { cx: px(p.longitude), cy: py(p.latitude), r: p.kind === "pow_camp" ? 6 : 4 }));
      if (p.kind === "pow_camp" || p.kind === "execution_site")
        a.append(svg("text", { x: px(p.longitude) + 8, y: py(p.latitude) + 4, class: "label" },
          p.name_en.split(/[ (,]/)[0]));
      a.addEventListener("click", (ev) => { ev.preventDefault(); go("/place/" + p.id); });
      g.append(a);
    }
    return el("figure", { class: "mapbox" }, g);
  }
  async function placePage(id) {
    page(id, loading());
    try {
      const j = await api("/api/places/" + encodeURIComponent(id));
      const p = j.place;
      page(placeName(p),
        el("dl", { class: "fields" },
          el("dt", {}, t("kind")), el("dd", {}, p.kind.replace(/_/g, " ")),
          p.name_pl ? [el("dt", {}, "PL"), el("dd", { lang: "pl" }, p.name_pl)] : null,
          p.name_ru ? [el("dt", {}, "RU"), el("dd", { lang: "ru" }, p.name_ru)] : null,
          el("dt", {}, "EN"), el("dd", { lang: "en" }, p.name_en),
          p.latitude !== null ? [el("dt", {}, t("coords")), el("dd", {}, p.latitude.toFixed(4) + ", " +
            p.longitude.toFixed(4) + (p.coord_note ? " — " + p.coord_note : ""))] : null,
          p.opened || p.closed ? [el("dt", {}, t("open_close")), el("dd", {}, (p.opened || "") + " – " + (p.closed || ""))] : null),
        p.description ? el("p", {}, p.description) : null, urls(p.source_urls),
        el("h2", {}, t("place_events")),
        el("ul", {}, j.events.map((e) => el("li", {}, el("time", { datetime: e.date_start }, e.date_start),
          " ", e.title))),
        el("h2", {}, t("place_records") + " (" + num(j.records_total) + " " + t("place_records_total") + ")"),
        el("ul", {}, j.records.map((r) => el("li", {},
          link("/record/" + r.id, [r.surname, r.given_names, r.patronymic].filter(Boolean).join(" ")),
          " — ", el("code", {}, r.source), r.record_key ? " " + r.record_key : ""))));
    } catch (e) { failed(e); }
  }

  /* ---- sources and documents ---------------------------------------- */
  async function sourcesPage() {
    page(t("sources_title"), loading());
    try {
      const j = await api("/api/sources?limit=500");
      page(t("sources_title"), el("div", { class: "cards" }, j.items.map((s) => sourceBox(s))),
        el("p", {}, j.items.map((s) => [el("code", {}, s.key), ": " + num(s.records) + " " + t("records_n") + ". "])));
    } catch (e) { failed(e); }
  }
  async function documentsPage() {
    page(t("documents_title"), loading());
    try {
      const j = await api("/api/documents?limit=500");
      page(t("documents_title"), el("ol", { class: "docs" }, j.items.map((d) => el("li", {},
        el("h2", {}, el("time", { datetime: d.date || "" }, d.date || ""), " ", d.title),
        el("dl", { class: "fields" },
          d.author ? [el("dt", {}, t("author")), el("dd", {}, d.author)] : null,
          d.signatories ? [el("dt", {}, t("signatories")), el("dd", {}, d.signatories)] : null,
          d.archive_or_publication ? [el("dt", {}, t("kept")), el("dd", {}, d.archive_or_publication)] : null),
        d.summary ? el("p", {}, d.summary) : null, urls(d.source_urls)))));
    } catch (e) { failed(e); }
  }

  /* ---- routing ------------------------------------------------------ */
  function route() {
    const path = location.pathname, params = new URLSearchParams(location.search);
    markNav(path);
    let m;
    if (path === "/") return searchPage(params);
    if ((m = path.match(/^\/record\/([0-9]+)$/))) return recordPage(m[1]);
    if (path === "/record" && params.get("key")) return recordByKeyPage(params);
    if ((m = path.match(/^\/person\/([0-9]+)$/))) return personPage(m[1]);
    if (path === "/persons") return personsPage();
    if (path === "/figures") return figuresPage();
    if ((m = path.match(/^\/figures\/([A-Za-z0-9_]+)$/))) return figurePage(m[1]);
    if (path === "/events") return eventsPage();
    if (path === "/places") return placesPage();
    if ((m = path.match(/^\/place\/([A-Za-z0-9_-]+)$/))) return placePage(m[1]);
    if (path === "/sources") return sourcesPage();
    if (path === "/documents") return documentsPage();
    if (path === "/search") {   /* the address people guess for a search */
      history.replaceState(null, "", "/" + location.search);
      return route();
    }
    notFoundPage(path);
  }
  /* An address the pages do not have (the server answered 404): said so,
   * with the search, and a search for the last word of the address when
   * it could be a name ("/Smorawinski"). */
  function notFoundPage(path) {
    let word = "";
    try { word = decodeURIComponent(path.split("/").filter(Boolean).pop() || ""); } catch (e) { /* as is */ }
    word = word.replace(/[_+]/g, " ").trim();
    const name = /^[\p{L}][\p{L}' -]{1,60}$/u.test(word);
    page(t("no_page"), el("p", {}, t("no_page_text") + " ", el("code", {}, path)),
      el("ul", {}, el("li", {}, link("/", t("to_search"))),
        name ? el("li", {}, link("/?q=" + encodeURIComponent(word), t("search_for") + " " + word)) : null));
  }
  function go(href) {
    history.pushState(null, "", href);
    route();
    window.scrollTo(0, 0);
    if (!href.startsWith("/?") && href !== "/") main.focus();
  }
  window.addEventListener("popstate", route);
  frame();
  route();
})();
