// -- projects ---------------------------------------------------------------------------------------
function projectState(p) {
  if (p.lt) return { word: lightWord(p.lt), cls: "lt-" + (LIGHT_CLASS[lightWord(p.lt)] || "none") };
  // With a schedule loaded, a project outside the month's plan has no light: said so, not mixed in.
  if (D.meta.lights.source === "schedule") return { word: "无灯号（未列入计划）", cls: "lt-none" };
  return { word: p.st || "(未注明)", cls: "ph-" + p.ph };
}
function renderProjects(host) {
  const lights = D.meta.lights.source === "schedule";
  host.appendChild(el("h2", {}, bi("项目", "Projects")));
  host.appendChild(el("p", { class: "note lights-note" }, D.meta.lights.note + (D.meta.lights.as_of ? ` · 截至 as of ${D.meta.lights.as_of}` : "")));
  const options = (key) => {
    const seen = new Map();
    D.projects.forEach((p) => [].concat(p[key] ?? []).forEach((v) => seen.set(v, (seen.get(v) || 0) + 1)));
    return [...seen.entries()].sort((a, b) => b[1] - a[1]);
  };
  const select = (id, label, entries, text) => el("select", { id, "aria-label": label }, el("option", { value: "" }, label),
    entries.map(([v, n]) => el("option", { value: v }, `${text(v)} (${n})`)));
  const area = select("f-area", "全部片区 any area", options("ar"), (v) => name(v));
  const chain = select("f-chain", "全部产业链 any chain", options("ch"), (v) => name(v));
  const level = select("f-level", "全部级别 any level", options("lv"), (v) => v);
  const state = select("f-state", lights ? "全部灯号 any light" : "全部状态 any status",
    [...new Map(D.projects.map((p) => [projectState(p).word, 0])).keys()].map((w) => [w, D.projects.filter((p) => projectState(p).word === w).length]), (v) => v);
  const search = el("input", { type: "search", id: "f-search", placeholder: "搜索名称或别名 search name or alias", "aria-label": "search" });
  host.appendChild(el("div", { class: "filters" }, search, area, chain, level, state));
  const counts = el("div", { class: "legend state-counts" });
  host.appendChild(counts);
  const columns = [
    { key: "name", zh: "项目", en: "project", cell: (p) => [nodeLink(p.node), D.nodes[p.node].a ? el("div", { class: "muted name" }, D.nodes[p.node].a.join("、")) : null], sort: (p) => name(p.node) },
    { key: "state", zh: lights ? "本月灯号" : "建设状态（无调度数据）", en: lights ? "light" : "status word, no schedule", cell: (p) => {
      const s = projectState(p);
      return [badge(s.cls, s.word), p.lr ? el("div", { class: "muted name" }, p.lr) : null, lights && p.st ? el("div", { class: "muted" }, "建设状态 " + p.st) : null,
        (p.ih || []).map((w) => el("div", { class: "warn name" }, "⚠ " + w))];
    }, sort: (p) => projectState(p).word },
    { key: "lv", zh: "级别", en: "level", cell: (p) => p.lv || "", sort: (p) => p.lv },
    { key: "inv", zh: "总投资(亿元)", en: "investment", num: true, cell: (p) => p.inv !== undefined ? srcLink(num(p.inv), (e) => { e.stopPropagation(); showNode(p.node); }, provText(D.nodes[p.node].p)) : "", sort: (p) => p.inv },
    { key: "yr", zh: "年份", en: "year", num: true, cell: (p) => p.yr ?? "", sort: (p) => p.yr },
    { key: "ar", zh: "片区", en: "area", cell: (p) => (p.ar || []).map((a, k) => [k ? "、" : "", nameSpan(a)]), sort: (p) => p.ar ? name(p.ar[0]) : "" },
    { key: "ch", zh: "产业链", en: "chain", cell: (p) => (p.ch || []).map((c, k) => [k ? "、" : "", nameSpan(c)]), sort: (p) => p.ch ? name(p.ch[0]) : "" },
    { key: "dep", zh: "依赖", en: "dependencies", cell: (p) => el("button", { type: "button", class: "link", onclick: (e) => { e.stopPropagation(); openDeps(p.node); } }, "查看 view") },
  ];
  const table = pagedTable(host, columns, D.projects, { pageSize: 50, onRow: (p) => showNode(p.node) });
  const apply = () => {
    const q = norm(search.value);
    const rows = D.projects.filter((p) => (!area.value || (p.ar || []).includes(+area.value))
      && (!chain.value || (p.ch || []).includes(+chain.value)) && (!level.value || p.lv === level.value)
      && (!state.value || projectState(p).word === state.value)
      && (!q || norm(name(p.node)).includes(q) || (D.nodes[p.node].a || []).some((a) => norm(a).includes(q))));
    table.setRows(rows);
    clear(counts);
    const by = new Map();
    rows.forEach((p) => { const s = projectState(p); by.set(s.word, [s.cls, (by.get(s.word) || [0, 0])[1] + 1]); });
    [...by.entries()].forEach(([w, [cls, n]]) => counts.appendChild(el("span", {}, badge(cls, w), " " + n)));
  };
  [search].forEach((n) => n.addEventListener("input", apply));
  [area, chain, level, state].forEach((n) => n.addEventListener("change", apply));
  apply();
}

// -- dependencies -----------------------------------------------------------------------------------
let DEP = null;
function depIndex() {
  if (DEP) return DEP;
  DEP = { out: new Map(), in: new Map(), members: new Map(), link: new Map(), project: new Map() };
  const add = (m, k, v) => { if (!m.has(k)) m.set(k, []); m.get(k).push(v); };
  D.projects.forEach((p) => DEP.project.set(p.node, p));
  for (const [a, b, type, inf, prov] of D.links) {
    if (type === "DEPENDS_ON" || type === "USES_PARCEL") { add(DEP.out, a, b); add(DEP.in, b, a); DEP.link.set(a + ">" + b, { type, inf, prov }); }
    else if (type === "LOCATED_IN") add(DEP.members, b, a);
    else if (type === "CONTAINS") add(DEP.members, a, b);
  }
  return DEP;
}
function nodeState(i) {
  const n = D.nodes[i], p = DEP.project.get(i);
  if (p) {
    const light = p.lt ? LIGHT_CLASS[lightWord(p.lt)] : null;
    if (light === "red" || p.ph === "blocked") return { level: 2, word: p.lt ? lightWord(p.lt) : p.st, fill: "#c62828" };
    if (light === "yellow" || p.ph === "delayed") return { level: 1, word: p.lt ? lightWord(p.lt) : p.st, fill: "#ef8f00" };
    if (p.ph === "done") return { level: 0, word: p.st, fill: "#2e7d32" };
    return { level: 0, word: p.st || "(未注明)", fill: p.ph === "in_progress" ? "#1565c0" : "#78909c", open: true };
  }
  const s = D.states[i];
  if (n.l === "Parcel") return s && s.ready ? { level: 0, word: s.land, fill: "#2e7d32" } : { level: 2, word: (s && s.land) || "用地未落实", fill: "#c62828" };
  return { level: 0, word: LABEL[n.l] || n.l, fill: "#607d8b", open: n.l === "Policy" };
}
function walk(starts, edges, depth, cap) {
  const seen = new Map(starts.map((s) => [s, 0])), order = [], parent = new Map();
  let frontier = starts;
  for (let d = 1; d <= depth && frontier.length; d++) {
    const next = [];
    for (const f of frontier) for (const t of edges.get(f) || []) {
      if (seen.has(t)) continue;
      seen.set(t, d); parent.set(t, f); next.push(t); order.push(t);
      if (order.length >= cap) return { seen, order, parent, truncated: true };
    }
    frontier = next;
  }
  return { seen, order, parent, truncated: false };
}
function renderDeps(host) {
  depIndex();
  host.appendChild(el("h2", {}, bi("依赖关系", "Dependencies")));
  const kind = el("select", { id: "dep-kind", "aria-label": "kind" }, [["Project", "项目 project"], ["Area", "片区 area"], ["Parcel", "地块 parcel"], ["Policy", "政策 policy"], ["Chain", "产业链 chain"], ["Goal", "目标 goal"]].map(([v, t]) => el("option", { value: v }, t)));
  const search = el("input", { type: "search", id: "dep-search", placeholder: "输入名称 type a name", "aria-label": "find" });
  const hits = el("div", { class: "dep-hits" });
  host.appendChild(el("div", { class: "filters" }, kind, search, hits));
  const view = el("div", { id: "dep-view", class: "card" });
  host.appendChild(view);
  const find = () => {
    clear(hits);
    const q = norm(search.value);
    const found = [];
    for (let i = 0; i < D.nodes.length && found.length < 12; i++) {
      const n = D.nodes[i];
      if (n.l === kind.value && (!q || norm(n.n).includes(q) || (n.a || []).some((a) => norm(a).includes(q)))) found.push(i);
    }
    found.forEach((i) => hits.appendChild(el("button", { type: "button", class: "link", onclick: () => drawDeps(view, i) }, nameSpan(i))));
  };
  search.addEventListener("input", find);
  kind.addEventListener("change", find);
  find();
  const first = D.links.find((l) => l[2] === "DEPENDS_ON");
  drawDeps(view, DEP.pending ?? (first ? first[0] : (D.projects[0] || {}).node));
  DEP.view = view;
}
function openDeps(i) {
  depIndex(); DEP.pending = i;
  activate("deps");
  if (DEP.view) drawDeps(DEP.view, i);
}
function drawDeps(view, subject) {
  clear(view);
  if (subject === undefined) { view.appendChild(el("p", { class: "muted" }, "无可显示的依赖 / nothing to show")); return; }
  const n = D.nodes[subject];
  const centre = n.l === "Area" ? [subject, ...areaMembers(subject).filter((m) => m !== subject)] : [subject];
  const up = walk(centre, DEP.out, 6, 40), down = walk(centre, DEP.in, 6, 40);
  const warnings = inherited(centre, up);
  append(view, el("h3", {}, bi("依赖网络", "Dependency network"), ": ", nodeLink(subject), " ", el("span", { class: "badge" }, LABEL[n.l])),
    el("p", { class: "muted" }, `依赖 ${up.order.length} 项 · 被依赖 ${down.order.length} 项 / waits on ${up.order.length}, waited on by ${down.order.length}`,
      up.truncated || down.truncated ? " · 仅显示前 40 项 / the first 40 shown" : ""),
    network(subject, centre, up, down, warnings));
  const list = el("ul", { class: "warnings" });
  warnings.forEach((w) => list.appendChild(el("li", { class: w.level > 1 ? "warn" : null }, "⚠ ", nodeLink(w.node), ` ${w.word} · 路径 path: `,
    w.path.map((p, k) => [k ? " → " : "", el("span", { class: "name" }, name(p))]))));
  append(view, el("h3", {}, bi("继承预警", "Inherited warnings")), warnings.length ? list : el("p", { class: "muted" }, "上游无受阻、延期或用地未落实 / nothing upstream is blocked, delayed or waiting for land"));
}
function areaMembers(area) {
  const out = [], seen = new Set([area]), stack = [area];
  while (stack.length && out.length < 30) {
    for (const m of DEP.members.get(stack.pop()) || []) {
      if (seen.has(m)) continue;
      seen.add(m);
      if (D.nodes[m].l === "Area") stack.push(m); else out.push(m);
    }
  }
  return out.length ? out : [area];
}
function inherited(centre, up) {
  const out = [];
  for (const i of up.order) {
    const s = nodeState(i);
    if (s.level < 1) continue;
    const path = [i];
    while (up.parent.has(path[0])) path.unshift(up.parent.get(path[0]));
    out.push({ node: i, word: s.word, level: s.level, path });
  }
  return out.sort((a, b) => b.level - a.level);
}
function network(subject, centre, up, down, warnings) {
  const cols = new Map();
  const place = (i, c) => { if (!cols.has(c)) cols.set(c, []); if (cols.get(c).length < 12) cols.get(c).push(i); };
  centre.slice(0, 12).forEach((i) => place(i, 0));
  up.order.forEach((i) => place(i, -up.seen.get(i)));
  down.order.forEach((i) => { if (!up.seen.has(i)) place(i, down.seen.get(i)); });
  const keys = [...cols.keys()].sort((a, b) => a - b), bw = 150, bh = 34, cw = 200, rh = 46;
  const rows = Math.max(...keys.map((k) => cols.get(k).length));
  const width = keys.length * cw + 20, height = rows * rh + 40, pos = new Map();
  keys.forEach((k, c) => cols.get(k).forEach((i, r) => pos.set(i, [10 + c * cw, 30 + r * rh])));
  const warned = new Set(warnings.flatMap((w) => w.path.slice(0, -1)));
  const g = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, class: "dep-network", role: "img", "aria-label": name(subject) });
  g.appendChild(svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" }, svg("path", { d: "M0 0 L10 5 L0 10 z", fill: "#5f6b7a" }))));
  keys.forEach((k, c) => g.appendChild(svg("text", { x: 10 + c * cw, y: 16, "font-size": 11, fill: "#5f6b7a" }, k < 0 ? `依赖 ${-k} 层 waits on` : k > 0 ? `被依赖 ${k} 层 waited on by` : "所选 selected")));
  for (const [a, outs] of DEP.out) for (const b of outs) {
    if (!pos.has(a) || !pos.has(b)) continue;
    const [x1, y1] = pos.get(b), [x2, y2] = pos.get(a), info = DEP.link.get(a + ">" + b);
    const line = svg("path", { d: `M${x1 + bw} ${y1 + bh / 2} C${x1 + bw + 30} ${y1 + bh / 2} ${x2 - 30} ${y2 + bh / 2} ${x2} ${y2 + bh / 2}`,
      stroke: "#5f6b7a", fill: "none", "stroke-width": 1.5, "marker-end": "url(#arrow)", "stroke-dasharray": info.inf ? "5 4" : null, class: "dep-edge" });
    line.appendChild(svg("title", {}, `${name(a)} ${info.type === "USES_PARCEL" ? "使用地块" : "依赖"} ${name(b)} · ${provText(info.prov)}`));
    line.addEventListener("click", () => showNode(b, info.prov, info.inf ? "inferred" : "stated"));
    g.appendChild(line);
  }
  for (const [i, [x, y]] of pos) {
    const s = nodeState(i);
    const box = svg("g", { class: "node-box", "data-node": i, onclick: () => showNode(i) });
    box.appendChild(svg("title", {}, `${name(i)} · ${LABEL[D.nodes[i].l]} · ${s.word}`));
    box.appendChild(svg("rect", { x, y, width: bw, height: bh, rx: 6, fill: s.fill, stroke: i === subject || centre.includes(i) ? "#1d2733" : "#fff", "stroke-width": i === subject ? 3 : 1.5 }));
    box.appendChild(svg("text", { x: x + 8, y: y + 14, fill: "#fff", "font-size": 12 }, truncate(name(i), 10)));
    box.appendChild(svg("text", { x: x + 8, y: y + 28, fill: "#fff", "font-size": 10 }, `${LABEL[D.nodes[i].l]} · ${truncate(s.word, 8)}`));
    if (warned.has(i)) box.appendChild(svg("text", { x: x + bw - 16, y: y + 15, "font-size": 14, fill: "#ffeb3b", class: "inherited" }, "⚠"));
    g.appendChild(box);
  }
  return el("div", { style: "overflow-x:auto" }, g, el("p", { class: "note" }, "箭头从被依赖者指向依赖者；虚线为推断；⚠ 表示上游有预警 / arrows run from what is waited on to what waits; dashed = inferred; ⚠ = a warning upstream"));
}

// -- sources ----------------------------------------------------------------------------------------
function renderSources(host) {
  host.appendChild(el("h2", {}, bi("来源", "Sources")));
  host.appendChild(el("p", { class: "note" }, "每个名称、数字和关系都可点击查看其原文引述或来源文件与行号 / every name, figure and link opens its quote or source file and row"));
  const files = new Map();
  D.nodes.forEach((n) => { const p = n.p || {}; const k = p.f !== undefined ? p.f : p.src; if (k !== undefined) files.set(k, (files.get(k) || 0) + 1); });
  host.appendChild(el("div", { class: "card" }, el("h3", {}, bi("来源文件", "Source files")),
    el("ul", {}, [...files.entries()].map(([k, n]) => el("li", {}, el("span", { class: "name" }, D.strings[k]), el("span", { class: "muted" }, ` · ${n} 个节点`))))));
  const kind = el("select", { id: "src-kind", "aria-label": "kind" }, el("option", { value: "" }, "全部类型 all kinds"),
    Object.keys(LABEL).filter((l) => D.nodes.some((n) => n.l === l)).map((l) => el("option", { value: l }, LABEL[l])));
  const search = el("input", { type: "search", id: "src-search", placeholder: "搜索名称或引述 search names and quotes", "aria-label": "search sources" });
  host.appendChild(el("div", { class: "filters" }, search, kind));
  const columns = [
    { key: "name", zh: "名称", en: "name", cell: (i) => nodeLink(i), sort: (i) => name(i) },
    { key: "l", zh: "类型", en: "kind", cell: (i) => LABEL[D.nodes[i].l] || D.nodes[i].l, sort: (i) => D.nodes[i].l },
    { key: "p", zh: "来源", en: "source", cell: (i) => el("span", { class: "name" }, provText(D.nodes[i].p)) },
  ];
  const all = D.nodes.map((_, i) => i);
  const table = pagedTable(host, columns, all, { pageSize: 50, onRow: (i) => showNode(i) });
  const apply = () => {
    const q = norm(search.value);
    table.setRows(all.filter((i) => (!kind.value || D.nodes[i].l === kind.value) && (!q || norm(D.nodes[i].n).includes(q) || norm((D.nodes[i].p || {}).q).includes(q))));
  };
  search.addEventListener("input", apply);
  kind.addEventListener("change", apply);
  apply();
}

// -- sections, rendered when first shown ------------------------------------------------------------
const RENDER = { overview: renderOverview, chains: renderChains, goals: renderGoals, projects: renderProjects, deps: renderDeps, sources: renderSources };
const rendered = new Set();
function ensure(id) {
  if (rendered.has(id)) return;
  rendered.add(id);
  RENDER[id](document.getElementById(id));
}
function activate(id) {
  ensure(id);
  document.querySelectorAll("main > section").forEach((s) => s.classList.toggle("active", s.id === id));
  document.querySelectorAll("nav button").forEach((b) => b.setAttribute("aria-selected", String(b.dataset.section === id)));
  if (location.hash !== "#" + id) history.replaceState(null, "", "#" + id);
}
function boot() {
  const m = D.meta;
  document.getElementById("meta").textContent = `生成于 ${m.generated} · 引擎 ${m.engine} · ${m.lenient ? "宽松：计入推断关系 lenient" : "严格：仅计明确陈述 strict"}`
    + (Object.keys(m.params).length ? " · " + Object.entries(m.params).map(([k, v]) => `${k}=${v}`).join(" ") : "") + ` · ${m.lights.note}`;
  const nav = document.getElementById("nav");
  document.querySelectorAll("main > section").forEach((s) => {
    const [zh, en] = s.dataset.title.split("|");
    nav.appendChild(el("button", { type: "button", "data-section": s.id, onclick: () => activate(s.id) }, zh + " ", el("span", { class: "en" }, en)));
  });
  document.getElementById("panel-close").addEventListener("click", () => { document.getElementById("panel").hidden = true; });
  // Printing shows every section (the print stylesheet lays them out one after another).
  const all = () => Object.keys(RENDER).forEach(ensure);
  window.addEventListener("beforeprint", all);
  window.matchMedia("print").addEventListener("change", (e) => { if (e.matches) all(); });
  const start = location.hash.slice(1);
  activate(RENDER[start] ? start : "overview");
}
boot();
