// -- overview ---------------------------------------------------------------------------------------
function renderOverview(host) {
  const o = D.overview, h = o.headline;
  host.appendChild(el("h2", {}, bi("概览", "Overview")));
  const stats = el("div", { class: "grid" });
  for (const [label, count] of Object.entries(o.labels)) {
    stats.appendChild(el("div", { class: "stat", "data-label": label, onclick: () => showCommand(LABEL[label] + "数量 count", "portfolio-graph stats") },
      el("b", {}, num(count)), bi(LABEL[label] || label, LABEL_EN[label] || label)));
  }
  host.appendChild(stats);
  const heads = el("div", { class: "card headline" }, el("h3", {}, bi("要点", "Headline answers")),
    el("ul", {},
      el("li", {}, srcLink(`${h.gap_count} 个环节待补链（无企业），${h.weak_count} 个环节仅一家企业（强链），共 ${h.segments} 个环节`,
        () => showComputed("补链 / 强链", "chain-completeness")),
        h.extension_count ? el("div", {}, srcLink(`对照产业链模板，另有 ${h.extension_count} 个模板环节本区尚未陈述（延链）`, () => showComputed("延链", "chain-completeness"))) : null,
        h.gaps.length ? el("div", { class: "muted" }, "补链 gaps: ", h.gaps.map(([c, s], k) => [k ? "；" : "", el("span", { class: "name" }, c + "·" + s)])) : null),
      el("li", {}, srcLink(`${h.high_risk} / ${h.goals} 个目标风险为高`, () => showComputed("目标风险", "goals-at-risk"))),
      el("li", {}, srcLink(`${h.unsupported_count} 个目标无明确支撑（仅靠推断或无任何支撑）`, () => showComputed("无支撑目标", "goals-at-risk")),
        h.unsupported.length ? el("div", { class: "muted" }, h.unsupported.map((g, k) => [k ? "；" : "", el("span", { class: "name" }, g)])) : null),
      el("li", {}, srcLink(`总投资 ${num(o.total_yi)} 亿元，${num(o.total_projects)} 个项目`, () => showComputed("总投资", "investment-rollup")))));
  host.appendChild(heads);
  const charts = el("div", { class: "row2" });
  const bar = (rows, label) => barChart(rows.map(([g, yi, n]) => ({ label: g, value: yi || 0, text: `${num(yi)} 亿 · ${n} 项`,
    title: `${g}: ${num(yi)} 亿元, ${n} 个项目`, onclick: () => showComputed(`${g} 投资`, "investment-rollup") })), { label });
  charts.appendChild(el("div", { class: "card" }, el("h3", {}, bi("按建设状态的投资（亿元）", "Investment by status")), bar(o.by_status, "by status")));
  charts.appendChild(el("div", { class: "card" }, el("h3", {}, bi("按片区的投资（亿元）", "Investment by area")), bar(o.by_area, "by area"),
    el("p", { class: "note" }, "一个项目在嵌套片区中各计一次 / a project counts in each nested area")));
  host.appendChild(charts);
}

// -- chain maps -------------------------------------------------------------------------------------
const STATUS_EN = { "补链": "gap", "强链": "one enterprise", "已覆盖": "covered", "延链": "extension", "无环节": "no segments" };
const STATUS_FILL = { "补链": "#c62828", "强链": "#ef8f00", "已覆盖": "#2e7d32", "延链": "#1565c0", "无环节": "#78909c" };
function renderChains(host) {
  host.appendChild(el("h2", {}, bi("产业链图谱", "Chain maps")));
  host.appendChild(el("div", { class: "legend" }, Object.keys(STATUS_FILL).map((s) => [badge("s-" + s, s), " " + STATUS_EN[s]]),
    " · ★ 链主 anchor · ", el("span", { class: "how how-inferred" }, "虚线 = 推断 dashed = inferred")));
  host.appendChild(el("p", { class: "note" }, D.meta.chain_view === "template" ? "已套用模板的产业链按模板显示（含延链环节），其余按本区环节 / chains with a template applied are drawn against it (with 延链), the others as the district states them"
    : "按图中已有环节显示；加载产业链模板后可显示延链 / segments as the graph holds them; load chain templates for 延链",
    D.meta.lenient ? " · 计入推断关系 (lenient)" : " · 仅计明确陈述的关系 (strict)；推断关系仍列出并标注"));
  const filter = el("input", { type: "search", placeholder: "筛选产业链 filter chains", "aria-label": "filter chains" });
  host.appendChild(el("div", { class: "filters" }, filter));
  const list = el("div", { id: "chain-list" });
  host.appendChild(list);
  const draw = () => {
    clear(list);
    const q = norm(filter.value);
    const shown = D.chains.filter((c) => !q || norm(c.name).includes(q));
    shown.slice(0, 60).forEach((c) => list.appendChild(chainCard(c)));
    if (shown.length > 60) list.appendChild(el("p", { class: "muted" }, `另有 ${shown.length - 60} 条产业链，请用筛选 / ${shown.length - 60} more: filter to see them`));
  };
  filter.addEventListener("input", draw);
  draw();
}
function chainCard(c) {
  const card = el("div", { class: "card chain", "data-chain": c.name });
  const anchorIds = new Set(c.anchors.map((a) => a[0]));
  card.appendChild(el("h3", {}, srcLink(el("span", { class: "name", dir: "auto" }, c.name), () => showNode(c.node)),
    c.pct !== undefined && c.pct !== null ? el("span", { class: "muted" }, `  覆盖 ${c.covered}/${c.total} 环节 (${c.pct}%)`) : null,
    c.view === "template" ? el("span", { class: "muted template-note" }, `  · 对照模板 ${c.template}`,
      c.pct_strict !== undefined ? `（明确 ${c.pct_strict}% · 含匹配 ${c.pct_lenient}%）` : "") : null));
  card.appendChild(el("p", {}, "★ 链主 anchor: ", c.anchors.length
    ? c.anchors.map((a, k) => [k ? "、" : "", nodeLink(a[0], a[2], a[1]), " ", el("span", { class: "how how-" + a[1] }, HOW[a[1]] || a[1])])
    : el("span", { class: "muted" }, "未明确 none stated")));
  if (c.hidden) card.appendChild(el("p", { class: "note" }, `另有 ${c.hidden} 个环节仅由推断归入此链，严格模式不显示（--lenient 显示） / ${c.hidden} segments belong to the chain only by inference: shown with --lenient`));
  const detail = el("div", { class: "members" }, el("p", { class: "muted" }, "点击环节查看企业与项目 / click a segment to list its enterprises and projects"));
  card.appendChild(chainSvg(c, anchorIds, detail));
  card.appendChild(detail);
  if (c.e.length || c.p.length) {
    // The lists are built when first opened: at scale M they hold thousands of links in all.
    const whole = el("details", {}, el("summary", {}, `整链成员（未分环节）${c.e.length + c.more_e} 家企业 · ${c.p.length + c.more_p} 个项目`));
    whole.addEventListener("toggle", () => { if (whole.open && whole.children.length === 1) append(whole, memberList(c.e, c.more_e, "企业"), memberList(c.p, c.more_p, "项目")); });
    card.appendChild(whole);
  }
  return card;
}
function chainSvg(c, anchorIds, detail) {
  const segs = c.segments, w = 132, gap = 26, h = 64;
  const width = Math.max(3, segs.length) * (w + gap) + 10;
  const map = svg("svg", { viewBox: `0 0 ${width} ${h + 52}`, width, class: "chain-map", role: "img", "aria-label": c.name });
  map.appendChild(svg("text", { x: 4, y: h + 46, "font-size": 11, fill: "#5f6b7a" }, "上游 upstream →"));
  map.appendChild(svg("text", { x: width - 6, y: h + 46, "font-size": 11, fill: "#5f6b7a", "text-anchor": "end" }, "→ 下游 downstream"));
  if (!segs.length) map.appendChild(svg("text", { x: 8, y: 30, "font-size": 13 }, "无环节 / no segments"));
  segs.forEach((s, k) => {
    const x = 4 + k * (w + gap);
    const anchored = s.e.some((m) => anchorIds.has(m[0]));
    if (s.stream && (k === 0 || segs[k - 1].stream !== s.stream)) map.appendChild(svg("text", { x, y: 12, "font-size": 11, fill: "#5f6b7a" }, s.stream));
    const g = svg("g", { class: "seg" + (s.template_only || s.status === "延链" ? " template" : ""), "data-segment": s.name, "data-status": s.status, tabindex: 0 });
    g.appendChild(svg("title", {}, `${s.name} · ${s.status} · ${s.e.length + s.more_e} 家企业 · ${s.p.length + s.more_p} 个项目`));
    g.appendChild(svg("rect", { x, y: 16, width: w, height: h, rx: 8, fill: STATUS_FILL[s.status] || "#78909c",
      "stroke-dasharray": s.inferred ? "5 3" : null }));
    const label = Array.from(s.name);
    [label.slice(0, 8).join(""), label.slice(8, 16).join("") + (label.length > 16 ? "…" : "")].forEach((line, j) => {
      if (line) g.appendChild(svg("text", { x: x + w / 2, y: 38 + j * 16, "text-anchor": "middle", fill: "#fff", "font-size": 13 }, line));
    });
    g.appendChild(svg("text", { x: x + w / 2, y: h + 8, "text-anchor": "middle", fill: "#fff", "font-size": 11 },
      `${s.status} · ${s.e.length + s.more_e} 企 · ${s.p.length + s.more_p} 项`));
    if (anchored) g.appendChild(svg("text", { x: x + w - 14, y: 32, fill: "#ffeb3b", "font-size": 15, class: "anchor-star" }, "★"));
    if (k < segs.length - 1) map.appendChild(svg("path", { d: `M${x + w + 3} ${16 + h / 2} l${gap - 8} 0 m-6 -5 l6 5 l-6 5`, stroke: "#5f6b7a", fill: "none", "stroke-width": 2 }));
    const open = () => { map.querySelectorAll(".seg").forEach((n) => n.classList.remove("selected")); g.classList.add("selected"); segmentDetail(detail, c, s); };
    g.addEventListener("click", open);
    g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") open(); });
    map.appendChild(g);
  });
  return el("div", { style: "overflow-x:auto" }, map);
}
function memberList(items, more, word) {
  return el("ul", {}, items.map((m) => el("li", {}, nodeLink(m[0], m[2], m[1], m[3]), " ",
    el("span", { class: "how how-" + m[1], title: provText(m[2]) }, HOW[m[1]] || m[1]))),
    more ? el("li", { class: "muted" }, `另有 ${more} 个${word}未列出 / ${more} more not listed`) : null,
    !items.length && !more ? el("li", { class: "muted" }, `无${word} / none`) : null);
}
function segmentDetail(host, c, s) {
  clear(host);
  append(host, [el("h3", {}, el("span", { class: "name" }, c.name + " · " + s.name), " ", badge("s-" + s.status, s.status)),
    s.stated !== undefined ? el("p", { class: "muted" }, `明确陈述 ${s.stated ?? 0} 家 · 含推断 ${s.lenient ?? 0} 家 / stated ${s.stated ?? 0}, with inferred ${s.lenient ?? 0}`) : null,
    s.template_only || s.status === "延链" ? el("p", { class: "muted" }, "模板环节，本区尚未陈述此环节（延链） / a template segment the district does not name yet") : null,
    s.template_segment && s.template_segment !== s.name ? el("p", { class: "muted" }, "对应模板环节 template segment: ", el("span", { class: "name" }, s.template_segment)) : null,
    s.link ? el("p", { class: "muted" }, "环节归属 segment link: ", srcLink(provText(s.link), () => showNode(s.node, s.link, s.inferred ? "inferred" : "stated"))) : null,
    el("div", { class: "row2" }, el("div", { class: "seg-enterprises" }, el("h3", {}, bi("企业", "Enterprises")), memberList(s.e, s.more_e, "企业")),
      el("div", { class: "seg-projects" }, el("h3", {}, bi("项目", "Projects")), memberList(s.p, s.more_p, "项目"))),
    s.more_e ? el("p", { class: "note" }, "完整名单 full list: ", el("code", {}, `portfolio-graph report run chain-members -p chain=${c.name}`)) : null]);
}

const RISKS = ["无支撑", "高", "中", "无数据", "仅企业", "无项目", "低"];
const RISK_FILL = { "无支撑": "#c62828", "高": "#c62828", "中": "#ef8f00", "低": "#2e7d32", "无项目": "#78909c", "无数据": "#78909c", "仅企业": "#78909c" };
// -- goals ------------------------------------------------------------------------------------------
function renderGoals(host) {
  host.appendChild(el("h2", {}, bi("目标", "Goals")));
  const years = [...new Set(D.goals.map((g) => g.yr).filter((y) => y !== undefined))].sort();
  const year = el("select", { id: "goal-year", "aria-label": "year" }, el("option", { value: "" }, "全部年份 all years"),
    years.map((y) => el("option", { value: y }, String(y))));
  const risk = el("select", { id: "goal-risk", "aria-label": "risk" }, el("option", { value: "" }, "全部风险 any risk"),
    RISKS.map((r) => el("option", { value: r }, r)));
  const summary = el("div", { class: "card" });
  host.appendChild(el("div", { class: "filters" }, el("label", {}, "年份 year "), year, el("label", {}, "风险 risk "), risk));
  host.appendChild(summary);
  const columns = [
    { key: "name", zh: "目标", en: "goal", cell: (g) => nodeLink(g.node), sort: (g) => name(g.node) },
    { key: "yr", zh: "年份", en: "year", cell: (g) => g.yr ?? "", sort: (g) => g.yr, num: true },
    { key: "tv", zh: "目标值", en: "target", num: true, cell: (g) => valueCell(g, g.tv !== undefined ? (g.cmp || "") + num(g.tv) : ""), sort: (g) => g.tv },
    { key: "av", zh: "实际值", en: "actual", num: true, cell: (g) => valueCell(g, g.av !== undefined ? num(g.av) + (g.ay ? ` (${g.ay})` : "") : ""), sort: (g) => g.av },
    { key: "u", zh: "单位", en: "unit", cell: (g) => g.u || "" },
    { key: "pg", zh: "进度", en: "progress", cell: (g) => progress(g), sort: (g) => g.pg },
    { key: "rk", zh: "风险", en: "risk", cell: (g) => g.rk ? badge("r-" + g.rk, g.rk) : "", sort: (g) => RISKS.indexOf(g.rk) },
    { key: "why", zh: "原因", en: "reason", cell: (g) => [el("span", { class: "name" }, g.why || (g.gs === "无目标值" ? "指标，无目标值 / indicator" : "")),
      g.basis ? el("div", { class: "muted name" }, g.basis) : null] },
  ];
  const table = pagedTable(host, columns, D.goals, { pageSize: 60, onRow: (g) => showNode(g.node) });
  const apply = () => {
    const rows = D.goals.filter((g) => (!year.value || String(g.yr) === year.value) && (!risk.value || g.rk === risk.value));
    table.setRows(rows);
    clear(summary);
    const counts = {};
    rows.forEach((g) => { if (g.rk) counts[g.rk] = (counts[g.rk] || 0) + 1; });
    append(summary, el("h3", {}, bi("风险分布", "Risk")), barChart(Object.entries(counts).map(([r, n]) => ({ label: r, value: n, text: `${n} 个目标`, fill: RISK_FILL[r] })), { label: "risk" }),
      el("p", { class: "note" }, reportNote("goals-at-risk"), " · ", reportNote("goal-tracker")));
  };
  year.addEventListener("change", apply);
  risk.addEventListener("change", apply);
  apply();
}
function valueCell(g, text) { return text ? srcLink(text, (e) => { e.stopPropagation(); showNode(g.node); }, provText(D.nodes[g.node].p)) : ""; }
function progress(g) {
  if (g.pg === undefined) return el("span", { class: "muted" }, g.gs || "");
  const w = Math.min(100, Math.max(0, g.pg));
  return el("span", { title: `${g.pg}% · ${g.gs || ""}` }, svg("svg", { width: 80, height: 10, style: "display:inline-block;vertical-align:middle" },
    svg("rect", { width: 80, height: 10, fill: "#e3e8ef", rx: 3 }), svg("rect", { width: 0.8 * w, height: 10, fill: g.pg >= 100 ? "#2e7d32" : "#1565c0", rx: 3 })),
    ` ${g.pg}% `, el("span", { class: "muted" }, g.gs || ""));
}
