// Kvietimas dashboard: a read-only Telegram Mini App (docs/dashboard.md). No build step.
// Reads Telegram's launch data (initData) from telegram-web-app.js, or, in a normal browser
// (the demo), from the URL fragment #tgWebAppData=... as Telegram passes it; sends it as
// "Authorization: tma <initData>" and never puts it in a URL.
"use strict";
(function () {
  const script = document.currentScript;
  const BASE = script.dataset.base || "";
  const DEFAULT_LANG = script.dataset.defaultLang || "lt";
  const LANGS = ["lt", "en", "uk"];
  const TEXTS = JSON.parse(document.getElementById("kv-texts").textContent);
  const tg = window.Telegram && window.Telegram.WebApp ? window.Telegram.WebApp : null;
  const fragment = new URLSearchParams(location.hash.slice(1));
  const initData = (tg && tg.initData) || fragment.get("tgWebAppData") || "";
  const app = document.getElementById("app");
  const back = document.getElementById("back");
  const title = document.getElementById("title");
  const langSelect = document.getElementById("lang");
  let lang = DEFAULT_LANG;
  const stack = [];
  const picked = { events: new Set(), programmes: new Set() };
  let filters = { from: "", to: "", programme: "" };

  // -- theme: Telegram's colours, else the fragment's (demo), else the CSS fallbacks ----------
  function applyTheme(params) {
    for (const [key, value] of Object.entries(params || {})) {
      if (typeof value === "string" && /^#[0-9a-fA-F]{3,8}$/.test(value)) {
        document.documentElement.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
      }
    }
  }
  if (!tg || !tg.initData) {
    try {
      applyTheme(JSON.parse(fragment.get("tgWebAppThemeParams") || "{}"));
    } catch (e) {
      /* no theme given: the style sheet's light/dark fallbacks apply */
    }
  }
  if (tg) {
    tg.ready();
    tg.expand();
  }

  // -- texts ----------------------------------------------------------------------------------
  function userLanguage() {
    try {
      const user = tg && tg.initDataUnsafe && tg.initDataUnsafe.user
        ? tg.initDataUnsafe.user
        : JSON.parse(new URLSearchParams(initData).get("user") || "{}");
      return (user.language_code || "").slice(0, 2);
    } catch (e) {
      return "";
    }
  }
  function pickLanguage() {
    let stored = "";
    try {
      stored = localStorage.getItem("kv-lang") || "";
    } catch (e) {
      /* storage refused */
    }
    for (const candidate of [stored, userLanguage(), DEFAULT_LANG]) {
      if (LANGS.includes(candidate)) return candidate;
    }
    return "lt";
  }
  function t(key, args) {
    let text = (TEXTS[lang] && TEXTS[lang][key]) || TEXTS[DEFAULT_LANG][key] || key;
    for (const [name, value] of Object.entries(args || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }
  function num(value, digits) {
    if (value === null || value === undefined) return "—";
    return new Intl.NumberFormat(lang, {
      minimumFractionDigits: digits || 0, maximumFractionDigits: digits || 0,
    }).format(value);
  }
  function pct(value) {
    if (value === null || value === undefined) return "—";
    return new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 }).format(value);
  }
  function when(iso) {
    // "2027-03-09T10:00+02:00": shown in the event's own time, as written.
    const [day, clock] = iso.split("T");
    const [y, m, d] = day.split("-").map(Number);
    const date = new Date(Date.UTC(y, m - 1, d));
    const text = new Intl.DateTimeFormat(lang, {
      day: "numeric", month: "short", year: "numeric", weekday: "short", timeZone: "UTC",
    }).format(date);
    return text + ", " + clock.slice(0, 5);
  }

  // -- DOM ------------------------------------------------------------------------------------
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "on") {
        for (const [type, fn] of Object.entries(value)) node.addEventListener(type, fn);
      } else if (key === "class") {
        node.className = value;
      } else {
        node.setAttribute(key, value === true ? "" : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const SVG = "http://www.w3.org/2000/svg";
  function s(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function show(...nodes) {
    app.replaceChildren(...nodes);
    window.scrollTo(0, 0);
  }
  function message(text, kind) {
    show(h("p", { class: "notice " + (kind || ""), "data-testid": "notice" }, text));
  }
  function toast(text) {
    const node = h("div", { class: "toast", role: "status" }, text);
    document.body.append(node);
    setTimeout(() => node.remove(), 2500);
  }

  // Horizontal bars, one per item: label, bar, count. Drawn as inline SVG.
  function bars(items, opts) {
    const o = opts || {};
    const row = 26, labelW = o.labelWidth || 44, width = 340, countW = o.countWidth || 48;
    const max = o.max || Math.max(1, ...items.map((i) => i.value || 0));
    const svg = s("svg", {
      viewBox: `0 0 ${width} ${items.length * row}`, class: "bars", role: "img",
      "aria-label": o.label || "",
    });
    items.forEach((item, index) => {
      const y = index * row;
      const span = width - labelW - countW;
      const w = item.value ? Math.max(2, (span * item.value) / max) : 0;
      const fits = Math.max(3, Math.floor((labelW - 6) / 6.5));
      svg.append(s("text", { x: labelW - 6, y: y + 17, "text-anchor": "end", class: "bar-label" },
        item.label.length > fits ? item.label.slice(0, fits - 1) + "…" : item.label));
      svg.append(s("rect", { x: labelW, y: y + 5, width: span, height: 16, rx: 3, class: "bar-track" }));
      svg.append(s("rect", { x: labelW, y: y + 5, width: w, height: 16, rx: 3,
        class: "bar-fill " + (item.tone || "") }));
      svg.append(s("text", { x: width - 4, y: y + 17, "text-anchor": "end", class: "bar-count" },
        item.text !== undefined ? item.text : num(item.value)));
    });
    return svg;
  }

  // -- API ------------------------------------------------------------------------------------
  class Denied extends Error {}
  async function api(path) {
    const sep = path.includes("?") ? "&" : "?";
    const response = await fetch(BASE + "/api/" + path + sep + "lang=" + lang, {
      headers: { Authorization: "tma " + initData }, cache: "no-store",
    });
    if (response.status === 401 || response.status === 403) {
      message(t(response.status === 401 ? "denied-signature" : "denied-organiser"), "denied");
      throw new Denied(String(response.status));
    }
    if (response.status === 404) throw new Error("not-found");
    if (!response.ok) throw new Error("error");
    return response.json();
  }
  async function open(view, push) {
    if (push !== false) stack.push(view);
    back.hidden = stack.length < 2;
    if (tg && tg.BackButton) (stack.length > 1 ? tg.BackButton.show() : tg.BackButton.hide());
    title.textContent = t("title");
    message(t("loading"), "muted");
    try {
      await view();
    } catch (error) {
      if (error instanceof Denied) return;
      message(t(error.message === "not-found" ? "not-found" : "error"), "error");
    }
  }
  function goBack() {
    if (stack.length > 1) {
      stack.pop();
      open(stack[stack.length - 1], false);
    }
  }
  function rerender() {
    if (stack.length) open(stack[stack.length - 1], false);
  }

  // -- pieces ---------------------------------------------------------------------------------
  const COUNTS = ["invited", "yes", "maybe", "no", "waiting", "present"];
  function chips(e) {
    const list = COUNTS.map((k) =>
      h("span", { class: "chip " + k, "data-count": k }, h("b", {}, num(e[k])), " ", t("count-" + k)));
    list.push(h("span", { class: "chip places", "data-count": "places" },
      h("b", {}, e.capacity === null ? "∞" : num(e.places)), " ", t("count-places")));
    return h("div", { class: "chips" }, list);
  }
  function eventMeta(e) {
    const bits = [when(e.starts)];
    if (e.place) bits.push(e.place);
    if (e.online) bits.push(t("online"));
    return h("p", { class: "meta" }, bits.join(" · "),
      e.cancelled ? h("span", { class: "tag warn" }, t("cancelled")) : null);
  }
  function section(heading, ...children) {
    return h("section", { class: "card" }, h("h2", {}, heading), ...children);
  }
  function orgName(name) {
    return name === null ? t("organisation-unknown") : name;
  }

  function questionCard(q) {
    if (q.kind === "text") {
      if (!q.comments_total) return null;
      return h("div", { class: "question", "data-q": q.id },
        h("h3", {}, q.title),
        h("ul", { class: "comments" }, q.comments.map((c) =>
          h("li", {}, h("q", {}, c.text),
            c.name || c.organisation
              ? h("span", { class: "who" }, [c.name, c.organisation].filter(Boolean).join(", "))
              : null))),
        q.comments_total > q.comments.length
          ? h("p", { class: "muted small" },
            t("comments-shown", { shown: q.comments.length, total: q.comments_total }))
          : null);
    }
    const stats = [[t("stat-n"), num(q.n), "n"]];
    if (q.mean !== null) stats.push([t("stat-mean"), num(q.mean, 2), "mean"]);
    if (q.median !== null) stats.push([t("stat-median"), num(q.median, 1), "median"]);
    if (q.top2 !== null) stats.push([t("stat-top2"), pct(q.top2), "top2"]);
    if (q.nps !== null) stats.push([t("stat-nps"), num(q.nps, 0), "nps"]);
    const tone = (v) => (q.kind === "rating" ? (v >= 4 ? "good" : v <= 2 ? "bad" : "")
      : q.kind === "nps" ? (v >= 9 ? "good" : v <= 6 ? "bad" : "") : "");
    const dist = q.kind === "rating" || q.kind === "nps" ? q.distribution.slice().reverse() : q.distribution;
    return h("div", { class: "question", "data-q": q.id, "data-n": q.n, "data-mean": q.mean },
      h("h3", {}, q.title),
      h("dl", { class: "stats" }, stats.map(([label, value, key]) =>
        h("div", { "data-stat": key }, h("dt", {}, label), h("dd", {}, value)))),
      q.n ? bars(dist.map((d) => ({ label: d.label, value: d.count, tone: tone(d.value) })),
        { label: q.title, labelWidth: q.kind === "single" || q.kind === "multi" ? 84 : 36 }) : null);
  }

  function breakdown(org, minGroup) {
    const groups = org.groups.map((g) => ({ ...g, label: orgName(g.organisation) }));
    if (org.other) groups.push({ ...org.other, label: t("organisation-other") });
    if (!groups.length) return null;
    return section(t("by-organisation"),
      h("table", { class: "table" },
        h("thead", {}, h("tr", {}, h("th", {}, ""), h("th", { class: "num" }, t("respondents")),
          h("th", { class: "num" }, t("score")))),
        h("tbody", {}, groups.map((g) =>
        h("tr", {}, h("td", {}, g.label),
          h("td", { class: "num" }, num(g.respondents)),
          h("td", { class: "num strong" }, num(g.overall, 2)))))),
      org.hidden ? h("p", { class: "muted small" }, t("hidden", { count: org.hidden })) : null,
      h("p", { class: "muted small" }, t("small-groups", { size: minGroup })));
  }

  function scores(sc, status) {
    const head = h("div", { class: "kpis" },
      kpi(t("completed"), num(sc.completed), "completed"),
      kpi(t("eligible"), num(sc.eligible), "eligible"),
      kpi(t("response-rate"), pct(sc.response_rate), "rate"),
      kpi(t("overall"), num(sc.overall, 2), "overall"));
    const tags = [];
    if (status) tags.push(h("span", { class: "tag" }, t("survey-status-" + status)));
    if (sc.anonymous) tags.push(h("span", { class: "tag" }, t("anonymous")));
    const questions = sc.questions.map(questionCard).filter(Boolean);
    return [
      section(t("questionnaire"), h("div", { class: "tags" }, tags), head,
        sc.completed || sc.started ? null : h("p", { class: "muted" }, t("no-questionnaire"))),
      questions.length && (sc.completed || sc.started)
        ? section(t("question"), questions) : null,
      breakdown(sc.organisations, sc.min_group_size),
    ];
  }
  function kpi(label, value, key) {
    return h("div", { class: "kpi", "data-kpi": key }, h("b", {}, value), h("span", {}, label));
  }

  // -- views ----------------------------------------------------------------------------------
  function overviewView() {
    return async () => {
      const q = new URLSearchParams();
      if (filters.from) q.set("from", filters.from);
      if (filters.to) q.set("to", filters.to);
      if (filters.programme) q.set("programme", filters.programme);
      const data = await api("overview" + (q.toString() ? "?" + q : ""));
      const programmeSelect = h("select", { name: "programme" },
        h("option", { value: "" }, t("filter-all")),
        data.programmes.map((p) => h("option", { value: p.id, selected: String(p.id) === filters.programme }, p.title)));
      const from = h("input", { type: "date", name: "from", value: filters.from });
      const to = h("input", { type: "date", name: "to", value: filters.to });
      const form = h("form", { class: "filters card", on: { submit: (ev) => {
        ev.preventDefault();
        filters = { from: from.value, to: to.value, programme: programmeSelect.value };
        rerender();
      } } },
        h("label", {}, t("filter-from"), from), h("label", {}, t("filter-to"), to),
        h("label", { class: "wide" }, t("filter-programme"), programmeSelect),
        h("button", { type: "submit", class: "button" }, t("filter-apply")));
      const compareButton = h("button", { type: "button", class: "button compare", on: { click: () => {
        if (picked.events.size + picked.programmes.size >= 2) open(compareView());
      } } });
      const refreshCompare = () => {
        const n = picked.events.size + picked.programmes.size;
        compareButton.textContent = t("compare-selected", { count: n });
        compareButton.disabled = n < 2;
      };
      refreshCompare();
      const pick = (set, id) => h("input", {
        type: "checkbox", class: "pick", "aria-label": t("compare-pick"), checked: set.has(id),
        on: { click: (ev) => ev.stopPropagation(), change: (ev) => {
          if (ev.target.checked) set.add(id); else set.delete(id);
          if (set === picked.events) picked.programmes.clear(); else picked.events.clear();
          rerender();
        } },
      });
      const programmes = data.programmes.filter((p) => p.events > 0).map((p) =>
        h("li", { class: "row link", "data-programme": p.id, on: { click: () => open(programmeView(p.id)) } },
          pick(picked.programmes, p.id),
          h("span", { class: "grow" }, p.title), h("span", { class: "muted" }, num(p.events))));
      const events = data.events.map((e) =>
        h("li", { class: "event link", "data-event": e.id, on: { click: () => open(eventView(e.id)) } },
          h("div", { class: "event-head" }, pick(picked.events, e.id),
            h("div", { class: "grow" }, h("h3", {}, e.title), eventMeta(e))),
          chips(e)));
      show(form,
        programmes.length ? section(t("programmes"), h("ul", { class: "list" }, programmes)) : null,
        section(t("events"),
          h("p", { class: "muted small" }, t("events-in-list", { count: data.events.length })),
          events.length ? h("ul", { class: "list" }, events) : h("p", { class: "muted" }, t("no-events"))),
        h("div", { class: "sticky" }, h("p", { class: "muted small" }, t("compare-hint")), compareButton),
        h("p", { class: "muted small center" }, t("read-only")));
    };
  }

  function eventView(id) {
    return async () => {
      const data = await api("events/" + id);
      const e = data.event;
      title.textContent = e.title;
      const orgRows = data.organisations.map((o) =>
        h("tr", {}, h("td", {}, orgName(o.organisation)),
          ["yes", "maybe", "no", "waiting", "present"].map((k) => h("td", { class: "num" }, num(o[k])))));
      const att = data.attendance;
      show(
        h("section", { class: "card", "data-testid": "event-head" }, h("h2", { class: "title" }, e.title), eventMeta(e), chips(e)),
        section(t("answers-by-organisation"),
          bars(["yes", "maybe", "no", "waiting"].map((k) => ({ label: t("count-" + k), value: e[k], tone: k })),
            { labelWidth: 120, label: t("answers-by-organisation") }),
          orgRows.length ? h("div", { class: "scroll" }, h("table", { class: "table" },
            h("thead", {}, h("tr", {}, h("th", {}, ""),
              ["yes", "maybe", "no", "waiting", "present"].map((k) => h("th", { class: "num" }, t("count-" + k))))),
            h("tbody", {}, orgRows))) : null),
        section(t("attendance"), att.recorded
          ? h("div", { class: "kpis" },
            kpi(t("count-present"), num(att.present), "present"),
            kpi(t("count-absent"), num(att.absent), "absent"),
            kpi(t("count-no-show"), num(att.no_show), "no_show"),
            kpi(t("count-walk-in"), num(att.walk_in), "walk_in"))
          : h("p", { class: "muted" }, t("attendance-none"))),
        ...scores(data.survey, data.survey.status),
        section(t("downloads"), h("div", { class: "files" }, data.files.map((kind) =>
          h("button", { type: "button", class: "button secondary", "data-file": kind,
            on: { click: () => download(id, kind) } }, t("file-" + kind))))));
    };
  }

  function programmeView(id) {
    return async () => {
      const data = await api("programmes/" + id);
      title.textContent = data.programme.title;
      show(
        h("section", { class: "card" }, h("h2", { class: "title" }, data.programme.title),
          h("p", { class: "muted small" }, t("events-in-list", { count: data.events.length }))),
        ...scores(data.scores, null),
        section(t("events"), h("ul", { class: "list" }, data.events.map((e) =>
          h("li", { class: "event link", "data-event": e.id, on: { click: () => open(eventView(e.id)) } },
            h("h3", {}, e.title), eventMeta(e), chips(e))))));
    };
  }

  function compareView() {
    const events = [...picked.events], programmes = [...picked.programmes];
    return async () => {
      const data = await api(events.length ? "compare?events=" + events.join(",")
        : "compare?programmes=" + programmes.join(","));
      title.textContent = t("compare-title");
      const cols = data.columns;
      const header = h("div", { class: "legend" }, cols.map((c, i) =>
        h("span", { class: "legend-item c" + (i % 6) }, h("i", {}), c.title)));
      const overall = section(t("overall"), bars(cols.map((c, i) => ({
        label: String(i + 1), value: c.overall, text: num(c.overall, 2), tone: "c" + (i % 6),
      })), { max: 5, labelWidth: 24, countWidth: 56 }));
      const questions = data.questions.map((q) => h("div", { class: "question", "data-q": q.id },
        h("h3", {}, q.title),
        bars(q.values.map((v, i) => ({
          label: String(i + 1), value: v ? v.mean : 0, tone: "c" + (i % 6),
          text: v && v.mean !== null ? num(v.mean, 2) + " (" + num(v.n) + ")" : "—",
        })), { max: q.kind === "nps" ? 10 : 5, labelWidth: 24, countWidth: 84 })));
      const orgs = data.organisations.map((o) => h("tr", {},
        h("td", {}, o.organisation === null ? t("organisation-other") : o.organisation),
        o.values.map((v) => h("td", { class: "num" }, num(v, 2)))));
      show(h("section", { class: "card" }, header), overall,
        questions.length ? section(t("question"), questions) : null,
        orgs.length ? section(t("by-organisation"), h("div", { class: "scroll" }, h("table", { class: "table" },
          h("thead", {}, h("tr", {}, h("th", {}, ""), cols.map((c, i) => h("th", { class: "num" }, String(i + 1))))),
          h("tbody", {}, orgs))),
        h("p", { class: "muted small" }, t("small-groups", { size: data.min_group_size }))) : null);
    };
  }

  async function download(eventId, kind) {
    try {
      const link = await api("events/" + eventId + "/files/" + kind + "/link");
      const url = new URL(link.url, location.href).href;
      if (tg && tg.downloadFile && tg.isVersionAtLeast && tg.isVersionAtLeast("8.0")) {
        tg.downloadFile({ url: url, file_name: url.split("/").pop().split("?")[0] });
      } else {
        const a = h("a", { href: url, download: "" });
        document.body.append(a);
        a.click();
        a.remove();
      }
      toast(t("download-started"));
    } catch (error) {
      if (!(error instanceof Denied)) toast(t("error"));
    }
  }

  // -- start ----------------------------------------------------------------------------------
  lang = pickLanguage();
  document.documentElement.lang = lang;
  langSelect.value = lang;
  langSelect.setAttribute("aria-label", t("language"));
  back.textContent = t("back");
  langSelect.addEventListener("change", () => {
    lang = langSelect.value;
    try {
      localStorage.setItem("kv-lang", lang);
    } catch (e) {
      /* storage refused: the choice lasts for this page */
    }
    document.documentElement.lang = lang;
    back.textContent = t("back");
    rerender();
  });
  back.addEventListener("click", goBack);
  if (tg && tg.BackButton) tg.BackButton.onClick(goBack);
  if (!initData) {
    message(t("denied-signature"), "denied");
    return;
  }
  open(overviewView());
})();
