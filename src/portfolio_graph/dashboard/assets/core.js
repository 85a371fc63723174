"use strict";
// Every value from the data is written as text (textContent / setAttribute), never as markup.
const D = JSON.parse(document.getElementById("data").textContent);
const SVGNS = "http://www.w3.org/2000/svg";
const LABEL = { Project: "项目", Enterprise: "企业", Parcel: "地块", Area: "片区", Policy: "政策", Fund: "资金",
  Chain: "产业链", ChainSegment: "环节", Goal: "目标", Load: "导入" };
const LABEL_EN = { Project: "projects", Enterprise: "enterprises", Parcel: "parcels", Area: "areas", Policy: "policies",
  Fund: "funds", Chain: "chains", ChainSegment: "segments", Goal: "goals" };
const PHASE = { not_started: "未开工", in_progress: "在建", delayed: "延期", blocked: "受阻", done: "完成" };
const HOW = { stated: "明确陈述 stated", inferred: "推断 inferred", matched: "规则匹配 matched",
  candidate: "候选 candidate", confirmed: "证据确认 confirmed", reviewed: "人工复核 reviewed", rejected: "已否决 rejected" };
const LIGHT = { red: "红灯", yellow: "黄灯", green: "绿灯", "红": "红灯", "黄": "黄灯", "绿": "绿灯",
  "红灯": "红灯", "黄灯": "黄灯", "绿灯": "绿灯" };
const LIGHT_CLASS = { "红灯": "red", "黄灯": "yellow", "绿灯": "green", "无数据": "none" };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "onclick" || k === "oninput" || k === "onchange") node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  append(node, children);
  return node;
}
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "onclick") node.addEventListener("click", v); else node.setAttribute(k, String(v));
  }
  append(node, children);
  return node;
}
function append(node, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
function bi(zh, en) { return [zh, " ", el("span", { class: "en" }, en)]; }
function name(i) { return D.nodes[i] ? D.nodes[i].n : "?"; }
function nameSpan(i) { return el("span", { class: "name", dir: "auto" }, name(i)); }
function num(v, digits) {
  if (v === null || v === undefined || v === "") return "";
  return typeof v === "number" ? v.toLocaleString("zh-CN", { maximumFractionDigits: digits === undefined ? 2 : digits }) : String(v);
}
function badge(cls, text) { return el("span", { class: "badge " + cls }, text); }
function lightWord(v) { return LIGHT[v] || (v ? String(v) : ""); }
function norm(text) { return String(text || "").normalize("NFKC").toLowerCase().replace(/[\s\u200b-\u200d\u2060\ufeff]/g, ""); }

// -- provenance ------------------------------------------------------------------------------------
function baseName(path) { return String(path).split(/[\\/]/).pop(); }
function provText(p) {
  if (!p) return "无来源记录 / no source recorded";
  const parts = [];
  if (p.q) parts.push("“" + p.q + "”");
  if (p.sec) parts.push("章节 " + p.sec);
  if (p.f !== undefined) parts.push(baseName(D.strings[p.f]) + (p.sh ? " [" + p.sh + "]" : "") + (p.r !== undefined ? " 第" + p.r + "行" : ""));
  else if (p.src !== undefined) parts.push(D.strings[p.src]);
  if (p.inf) parts.push("推断" + (p.why ? "：" + p.why : ""));
  return parts.join(" · ");
}
function provBlock(p) {
  if (!p) return el("p", { class: "muted" }, "无来源记录 / no source recorded");
  return [
    p.q ? el("blockquote", { class: "name" }, p.q) : null,
    el("dl", {},
      p.src !== undefined ? [el("dt", {}, "来源 source"), el("dd", { class: "name" }, D.strings[p.src])] : null,
      p.sec ? [el("dt", {}, "章节 section"), el("dd", {}, p.sec)] : null,
      p.f !== undefined ? [el("dt", {}, "文件 file"), el("dd", { class: "name", title: D.strings[p.f] }, baseName(D.strings[p.f]),
        el("div", { class: "muted" }, D.strings[p.f]))] : null,
      p.sh ? [el("dt", {}, "工作表 sheet"), el("dd", { class: "name" }, p.sh)] : null,
      p.r !== undefined ? [el("dt", {}, "行 row"), el("dd", {}, String(p.r))] : null,
      p.inf ? [el("dt", {}, "推断 inferred"), el("dd", { class: "name" }, p.why || "是 yes")] : null),
  ];
}
function showPanel(...content) {
  const body = clear(document.getElementById("panel-body"));
  append(body, content);
  document.getElementById("panel").hidden = false;
}
function showNode(i, link, how, evidence) {
  const n = D.nodes[i];
  showPanel(
    el("h3", {}, el("span", { class: "name", dir: "auto" }, n.n), " ", el("span", { class: "badge" }, LABEL[n.l] || n.l)),
    el("p", { class: "muted" }, "编号 id: ", el("span", { class: "name" }, String(n.i))),
    n.a ? el("p", {}, "别名 aliases: ", el("span", { class: "name" }, n.a.join("、"))) : null,
    link !== undefined ? [el("h3", {}, bi("这条关系从何得知", "how this link is known")),
      how ? el("p", {}, el("span", { class: "how how-" + how }, HOW[how] || how)) : null,
      evidence ? el("dl", {}, Object.entries(evidence).map(([k, v]) => [el("dt", {}, k), el("dd", { class: "name" }, typeof v === "object" ? JSON.stringify(v) : String(v))])) : null,
      provBlock(link)] : null,
    el("h3", {}, bi("节点来源", "where the node comes from")), provBlock(n.p));
}
function srcLink(text, onclick, title) {
  return el("span", { class: "src", tabindex: 0, title: title || "点击查看来源 / click for the source", onclick }, text);
}
function nodeLink(i, link, how, evidence) {
  const title = provText(link !== undefined ? link : D.nodes[i].p);
  return srcLink(nameSpan(i), (e) => { e.stopPropagation(); showNode(i, link, how, evidence); }, title);
}
function reportNote(report) {
  const params = D.meta.reports[report];
  if (!params) return "";
  const shown = Object.entries(params).filter(([k, v]) => v !== false || k === "lenient")
    .map(([k, v]) => k + "=" + v).join(" ");
  return "报告 report: " + report + (shown ? " (" + shown + ")" : "");
}
function showComputed(what, report) {
  showPanel(el("h3", {}, what), el("p", {}, bi("由报告计算", "computed by a report")),
    el("p", {}, el("code", {}, "portfolio-graph report run " + report + (D.meta.lenient ? " --lenient" : ""))),
    el("p", { class: "muted" }, reportNote(report)));
}

function showCommand(what, command) {
  showPanel(el("h3", {}, what), el("p", {}, bi("由图中节点计数", "counted from the graph")), el("p", {}, el("code", {}, command)));
}

// -- tables with sorting and pages -------------------------------------------------------------------
function pagedTable(host, columns, rows, options) {
  const size = (options && options.pageSize) || 50;
  let page = 0, sortKey = null, sortDir = 1, sorted = rows;
  const wrap = el("div", {});
  host.appendChild(wrap);
  function draw() {
    clear(wrap);
    const pages = Math.max(1, Math.ceil(sorted.length / size));
    page = Math.min(page, pages - 1);
    const head = el("tr", {}, columns.map((c) => {
      const th = el("th", { class: c.sort ? "sortable" : null, "data-key": c.key }, bi(c.zh, c.en));
      if (c.sort) {
        if (sortKey === c.key) th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
        th.addEventListener("click", () => { sortDir = sortKey === c.key ? -sortDir : 1; sortKey = c.key; resort(); draw(); });
      }
      return th;
    }));
    const body = el("tbody", {}, sorted.slice(page * size, page * size + size).map((r) => {
      const tr = el("tr", { class: options && options.onRow ? "clickable" : null },
        columns.map((c) => el("td", { class: c.num ? "num" : null }, c.cell(r))));
      if (options && options.onRow) tr.addEventListener("click", () => options.onRow(r));
      return tr;
    }));
    wrap.appendChild(el("table", {}, el("thead", {}, head), body));
    if (pages > 1) {
      wrap.appendChild(el("div", { class: "pager" },
        el("button", { type: "button", onclick: () => { page = Math.max(0, page - 1); draw(); } }, "上一页 prev"),
        el("span", { class: "page-info" }, `第 ${page + 1} / ${pages} 页 · 共 ${sorted.length} 行`),
        el("button", { type: "button", onclick: () => { page = Math.min(pages - 1, page + 1); draw(); } }, "下一页 next")));
    } else {
      wrap.appendChild(el("p", { class: "muted page-info" }, `共 ${sorted.length} 行 / ${sorted.length} rows`));
    }
  }
  function resort() {
    const col = columns.find((c) => c.key === sortKey);
    if (!col) { sorted = rows; return; }
    const value = col.sort;
    sorted = rows.slice().sort((a, b) => {
      const x = value(a), y = value(b);
      if (x === y) return 0;
      if (x === null || x === undefined || x === "") return 1;
      if (y === null || y === undefined || y === "") return -1;
      return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN")) * sortDir;
    });
  }
  return { setRows(next) { rows = next; page = 0; resort(); draw(); }, draw };
}

// -- horizontal bar chart ----------------------------------------------------------------------------
function barChart(items, options) {
  const width = 520, row = 22, left = 150, max = Math.max(1e-9, ...items.map((i) => i.value || 0));
  const chart = svg("svg", { viewBox: `0 0 ${width} ${items.length * row + 8}`, width, role: "img",
    "aria-label": options.label });
  items.forEach((item, k) => {
    const w = Math.max(1, ((item.value || 0) / max) * (width - left - 90));
    const g = svg("g", { transform: `translate(0 ${k * row + 4})`, class: "bar-row", onclick: item.onclick });
    g.appendChild(svg("title", {}, item.title || item.label));
    g.appendChild(svg("text", { x: left - 6, y: 14, "text-anchor": "end", "font-size": 12 }, truncate(item.label, 11)));
    g.appendChild(svg("rect", { x: left, y: 3, width: w, height: row - 8, class: "bar", rx: 2, style: item.fill ? "fill:" + item.fill : null }));
    g.appendChild(svg("text", { x: left + w + 4, y: 14, "font-size": 11, fill: "#5f6b7a" }, item.text));
    chart.appendChild(g);
  });
  return chart;
}
function truncate(text, n) { const chars = Array.from(String(text)); return chars.length > n ? chars.slice(0, n - 1).join("") + "…" : chars.join(""); }
