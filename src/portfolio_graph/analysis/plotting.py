"""Charts for notebooks: Chinese labels need a CJK font, chosen here and nowhere else.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs and draws empty boxes. Call
``use_cjk_font()`` once (every plotting helper here does); it picks Noto Sans CJK (Debian's
``fonts-noto-cjk``, which ``scripts/install-system-deps`` installs) or another known CJK font,
and warns clearly when there is none.
"""

from __future__ import annotations

import warnings
from typing import Any

import networkx as nx

# Preferred first. Noto Sans CJK SC is the Simplified Chinese face of fonts-noto-cjk.
CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans CJK JP",
    "Noto Sans CJK TC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei",
    "PingFang SC", "Hiragino Sans GB", "Heiti SC", "AR PL UMing CN",
)
LABEL_COLOURS = {
    "Project": "#4C72B0", "Enterprise": "#DD8452", "Parcel": "#8C8C8C", "Area": "#64B5CD", "Policy": "#8172B3",
    "Fund": "#937860", "Chain": "#C44E52", "ChainSegment": "#E89CAE", "Goal": "#55A868",
}

_chosen: str | None = None


class CJKFontWarning(UserWarning):
    """No CJK font was found: Chinese labels will show as empty boxes."""


def find_cjk_font() -> str | None:
    """The first installed font of ``CJK_FONTS``, rebuilding matplotlib's font cache once if
    it predates the font's installation."""
    from matplotlib import font_manager

    def lookup() -> str | None:
        installed = {font.name for font in font_manager.fontManager.ttflist}
        return next((name for name in CJK_FONTS if name in installed), None)

    found = lookup()
    if found is None:
        font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
        found = lookup()
    return found


def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese text; returns the font's name, or None after a warning."""
    global _chosen
    import matplotlib as mpl

    if _chosen is None:
        _chosen = find_cjk_font()
        if _chosen is None:
            warnings.warn(
                "no CJK font found: Chinese labels will show as empty boxes. Install one, e.g. "
                "'apt-get install fonts-noto-cjk' (scripts/install-system-deps does this).",
                CJKFontWarning,
                stacklevel=2,
            )
            return None
    families = [f for f in mpl.rcParams["font.sans-serif"] if f != _chosen]
    mpl.rcParams["font.sans-serif"] = [_chosen, *families]
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["axes.unicode_minus"] = False
    return _chosen


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    import matplotlib.pyplot as plt

    use_cjk_font()
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


LAYER_ORDER = ("Goal", "Chain", "ChainSegment", "Enterprise", "Project", "Policy", "Fund", "Area", "Parcel")


def layered_layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """One row per label in LAYER_ORDER (empty rows skipped). The widest row is spread evenly,
    its nodes by ``position`` (segments in chain order) then name; every other row, nearest
    first, puts each node under the mean of its already placed neighbours, kept apart by at
    least one slot."""
    rows: dict[int, list[str]] = {}
    for key, data in graph.nodes(data=True):
        label = data.get("label")
        rows.setdefault(LAYER_ORDER.index(label) if label in LAYER_ORDER else len(LAYER_ORDER), []).append(key)
    order = sorted(rows)
    depth_of = {layer: float(depth) for depth, layer in enumerate(order)}
    widest = max(order, key=lambda layer: (len(rows[layer]), -layer))
    slot = 1.0 / max(len(rows[widest]) - 1, 1)
    undirected = nx.Graph(graph)

    def ordered(keys: list[str]) -> list[str]:
        return sorted(keys, key=lambda k: (graph.nodes[k].get("position") or 0, str(graph.nodes[k].get("name")), k))

    pos: dict[str, tuple[float, float]] = {}
    for index, key in enumerate(ordered(rows[widest])):
        pos[key] = ((index - (len(rows[widest]) - 1) / 2) * slot, -depth_of[widest])
    for layer in sorted(order, key=lambda l: (abs(depth_of[l] - depth_of[widest]), l)):
        if layer == widest:
            continue
        keys = ordered(rows[layer])
        wanted = []
        for index, key in enumerate(keys):
            placed = [pos[n][0] for n in undirected.neighbors(key) if n in pos]
            fallback = (index - (len(keys) - 1) / 2) * slot
            wanted.append((sum(placed) / len(placed) if placed else fallback, index, key))
        last = None
        for x, _, key in sorted(wanted):
            x = x if last is None else max(x, last + slot)
            pos[key] = (x, -depth_of[layer])
            last = x
    return pos


def draw_graph(graph: nx.MultiDiGraph, ax: Any = None, *, layout: str = "layers", edge_labels: bool = True,
               seed: int = 7, node_size: int = 900, font_size: int = 9) -> Any:
    """Draw a (small) exported graph: node names as labels, colour by label, edges by type.

    ``layout="layers"`` puts each label on its own row (goals, chains, segments, enterprises,
    projects …), segments in chain order; ``layout="spring"`` uses a seeded spring layout.
    """
    ax = _axes(ax, (12, 7))
    if layout == "layers":
        pos = layered_layout(graph)
    else:
        pos = nx.spring_layout(nx.Graph(graph), seed=seed)
    colours = [LABEL_COLOURS.get(graph.nodes[k].get("label"), "#cccccc") for k in graph.nodes]
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=colours, node_size=node_size, alpha=0.9)
    nx.draw_networkx_edges(graph, pos, ax=ax, arrows=True, arrowstyle="-|>", arrowsize=12,
                           node_size=node_size, edge_color="#777777", connectionstyle="arc3,rad=0.08")
    names = {k: str(graph.nodes[k].get("name") or k) for k in graph.nodes}
    nx.draw_networkx_labels(graph, pos, labels=names, ax=ax, font_size=font_size,
                            font_family=_chosen or "sans-serif")
    if edge_labels:
        types = {(u, v): k for u, v, k in graph.edges(keys=True)}
        nx.draw_networkx_edge_labels(graph, pos, edge_labels=types, ax=ax, font_size=font_size - 2,
                                     font_color="#555555", connectionstyle="arc3,rad=0.08")
    present = sorted({graph.nodes[k].get("label") for k in graph.nodes}, key=lambda l: LAYER_ORDER.index(l)
                     if l in LAYER_ORDER else 99)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=LABEL_COLOURS.get(l, "#cccccc"), label=l) for l in present],
              loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=font_size, frameon=False)
    ax.set_axis_off()
    return ax


def plot_critical_path(result: Any, ax: Any = None, *, title: str | None = None) -> Any:
    """Gantt-style bars of a CriticalPath schedule; the path in red, zero-length steps as ◆."""
    ax = _axes(ax, (10, 0.5 * max(len(result.schedule), 4) + 1.5))
    schedule = result.schedule.sort_values(["earliest_start", "key"], ascending=[False, False])
    for row_number, row in enumerate(schedule.itertuples(index=False)):
        # red: the reported path; orange: no slack either (an equally long path); grey: has slack
        colour = "#C44E52" if row.on_critical_path else ("#DD8452" if row.slack_months == 0 else "#8C8C8C")
        width = float(row.duration_months)
        if width > 0:
            ax.barh(row_number, width, left=row.earliest_start, color=colour, alpha=0.85)
            if row.slack_months:
                ax.barh(row_number, row.slack_months, left=row.earliest_finish, color=colour, alpha=0.2)
        else:
            ax.plot([row.earliest_start], [row_number], marker="D", color=colour, markersize=9)
        if row.duration_source == "assumed":
            ax.text(row.earliest_finish, row_number, "  时长缺失(假设)", va="center", fontsize=8, color="#555555")
    ax.set_yticks(range(len(schedule)), [str(n) for n in schedule["name"]])
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color="#C44E52", label="关键路径"), Patch(color="#DD8452", label="无浮动时间"),
                       Patch(color="#8C8C8C", label="有浮动时间")], loc="lower right", fontsize=8)
    ax.set_xlabel("月 (从依赖网络开始计)")
    ax.set_title(title or f"关键路径: {' → '.join(result.names)} ({result.length_months} 个月)")
    ax.grid(axis="x", alpha=0.3)
    return ax


def plot_delay(result: Any, ax: Any = None, *, title: str | None = None) -> Any:
    """Bars of how far each node slips in a DelayResult (absorbed delays show as 0)."""
    ax = _axes(ax, (10, 0.5 * max(len(result.slips), 3) + 1.5))
    slips = result.slips.iloc[::-1]
    colours = [LABEL_COLOURS.get(l, "#cccccc") for l in slips["label"]]
    ax.barh(range(len(slips)), slips["slip_months"], color=colours)
    ax.set_yticks(range(len(slips)), [f"{n} ({l})" for n, l in zip(slips["name"], slips["label"])])
    for row_number, value in enumerate(slips["slip_months"]):
        ax.text(value, row_number, f" {value}", va="center", fontsize=9)
    ax.set_xlabel("延误 (月)")
    start = result.slips.iloc[0]["name"]
    ax.set_title(title or f"延误推演: {start} 推迟 {result.slips.iloc[0]['slip_months']} 个月")
    ax.grid(axis="x", alpha=0.3)
    return ax


def plot_chain_segments(frame: Any, chain: str, ax: Any = None, *, value: str = "enterprise_count",
                        segment: str = "segment") -> Any:
    """One chain's segments as bars of ``value`` (enterprises by default), coloured like the
    chain-completeness statuses: 补链 (none, red), 强链 (one, orange), 已覆盖 (two or more, green)."""
    from matplotlib.ticker import MaxNLocator

    ax = _axes(ax, (8, 3.5))
    rows = frame[frame["chain"] == chain]
    values = [float(v or 0) for v in rows[value]]
    colours = ["#C44E52" if v == 0 else ("#DD8452" if v == 1 else "#55A868") for v in values]
    ax.bar(range(len(rows)), [v if v > 0 else 0.05 for v in values], color=colours)
    ax.set_xticks(range(len(rows)), [str(s) for s in rows[segment]], rotation=20, ha="right")
    for index, v in enumerate(values):
        ax.text(index, max(v, 0.05), "补链" if v == 0 else f"{v:g}", ha="center", va="bottom", fontsize=9)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("企业数")
    ax.set_title(f"{chain}: 环节覆盖")
    ax.set_ylim(0, max(values + [1]) * 1.25)
    return ax
