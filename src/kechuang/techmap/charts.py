"""ECharts data for the map's graph and tree views, built from `selectors.map_tree` (pure, no database)."""

from django.utils.translation import gettext as _

from kechuang.core.language import local_name

COLOURS = {
    "chain": "#1f4e79",
    "link": "#5b8bd0",
    "gap": "#c0392b",  # a bottleneck nobody covers
    "bottleneck": "#e67e22",  # a covered bottleneck
    "technology": "#27ae60",
    "unknown": "#7f8c8d",  # coverage not shown to this reader
    "coverage": "#8e44ad",
    "planned": "#b39ddb",
}


def tech_status(t: dict) -> str:
    """gap / bottleneck / technology / unknown, for colouring."""
    if t["gap"]:
        return "gap"
    if t["bottleneck"]:
        return "bottleneck" if t["covered"] is not None else "unknown"
    return "technology"


def categories() -> list[dict]:
    return [
        {"name": _("产业链"), "itemStyle": {"color": COLOURS["chain"]}},
        {"name": _("环节"), "itemStyle": {"color": COLOURS["link"]}},
        {"name": _("卡脖子·无人覆盖"), "itemStyle": {"color": COLOURS["gap"]}},
        {"name": _("卡脖子·已覆盖"), "itemStyle": {"color": COLOURS["bottleneck"]}},
        {"name": _("关键技术"), "itemStyle": {"color": COLOURS["technology"]}},
        {"name": _("卡脖子"), "itemStyle": {"color": COLOURS["unknown"]}},
        {"name": _("覆盖项目/平台"), "itemStyle": {"color": COLOURS["coverage"]}},
        {"name": _("课题/榜单（计划中）"), "itemStyle": {"color": COLOURS["planned"]}},
    ]


CATEGORY_INDEX = {
    "chain": 0,
    "link": 1,
    "gap": 2,
    "bottleneck": 3,
    "technology": 4,
    "unknown": 5,
    "coverage": 6,
    "planned": 7,
}


def _name(node: dict) -> str:
    """A chain's, link's or technology's name in the reader's language (its English name when given)."""
    return local_name(node["name"], node.get("name_en", ""))


def graph_data(tree: list[dict]) -> dict:
    """Nodes, links and categories of an ECharts force graph. Node ids are unique strings; a covering
    item shared by several technologies is one node with several edges."""
    nodes, edges, seen = [], [], set()

    def add(node_id, name, category, size, url="", tooltip=""):
        if node_id in seen:
            return
        seen.add(node_id)
        nodes.append(
            {
                "id": node_id,
                "name": name,
                "category": CATEGORY_INDEX[category],
                "symbolSize": size,
                "url": url,
                "tooltip": tooltip or name,
            }
        )

    for ch in tree:
        cid = f"c{ch['id']}"
        add(cid, _name(ch), "chain", 46)
        for lk in ch["links"]:
            lid = f"l{lk['id']}"
            add(lid, f"{lk['stage_label']}·{_name(lk)}", "link", 28)
            edges.append({"source": cid, "target": lid})
            for t in lk["technologies"]:
                tid = f"t{t['id']}"
                trl = "/".join("-" if v is None else str(v) for v in t["trl"])
                add(tid, _name(t), tech_status(t), 18, t["url"], f"{_name(t)} TRL {trl}")
                edges.append({"source": lid, "target": tid})
                for c in t["coverage"]:
                    key = f"v{c['key']}"  # one node per object, however many technologies it covers
                    add(
                        key,
                        c["name"],
                        "coverage" if c["closing"] else "planned",
                        12,
                        c["url"],
                        c["kind_label"],
                    )
                    edges.append({"source": tid, "target": key})
    cats = categories()
    used = sorted({n["category"] for n in nodes})
    return {"nodes": nodes, "links": edges, "categories": cats, "legend": [cats[i]["name"] for i in used]}


def tree_data(tree: list[dict], root_name: str) -> dict:
    """One ECharts tree rooted at `root_name`: chains → links → technologies → covering items."""

    def tech_node(t):
        status = tech_status(t)
        label = _name(t) + (" ⚠" if t["bottleneck"] else "")
        return {
            "name": label,
            "url": t["url"],
            "itemStyle": {"color": COLOURS[status]},
            "children": [
                {
                    "name": f"{c['kind_label']}：{c['name']}",
                    "url": c["url"],
                    "itemStyle": {"color": COLOURS["coverage" if c["closing"] else "planned"]},
                }
                for c in t["coverage"]
            ],
        }

    return {
        "name": root_name,
        "itemStyle": {"color": COLOURS["chain"]},
        "children": [
            {
                "name": _name(ch),
                "itemStyle": {"color": COLOURS["chain"]},
                "children": [
                    {
                        "name": f"{lk['stage_label']}·{_name(lk)}",
                        "itemStyle": {"color": COLOURS["link"]},
                        "children": [tech_node(t) for t in lk["technologies"]],
                    }
                    for lk in ch["links"]
                ],
            }
            for ch in tree
        ],
    }
