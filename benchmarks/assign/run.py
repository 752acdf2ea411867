"""Run the assignment benchmark: generate the rounds, solve each with `kechuang assign` (a separate
process, so its time and peak memory are its own), cross-check small optima with HiGHS, run the
OpenReview matcher beside it when it is importable (never installed or vendored here), and time the
affinity matrix computed from texts for the largest round.

    .venv/bin/python benchmarks/assign/run.py [--quick] [--skip-largest] [--out benchmarks/assign/results.json]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "var", "bench-assign")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "src"))


def generate_round(n, m, kind, top, d):
    from generate import generate

    generate(n, m, kind, top, d)
    return d


# (apps, experts, kind, top-N written to the file: 0 = dense)
ROUNDS = [
    (500, 700, "uniform", 0),
    (500, 700, "clustered", 0),
    (1000, 1500, "uniform", 0),
    (1000, 1500, "clustered", 0),
    (2000, 3000, "uniform", 0),
    (2000, 3000, "clustered", 0),
    (10000, 15000, "uniform", 100),
    (10000, 15000, "clustered", 100),
]


MATCHER_TIMEOUT = 300  # seconds per matcher run; it is run only up to 1,000×1,500 (see README)


def _same_file(d, a, b):
    with open(os.path.join(d, a)) as fa, open(os.path.join(d, b)) as fb:
        return fa.read() == fb.read()


def kechuang_assign(d, mode="optimal", k=3, max_load=3, tag="", extra=()):
    """`kechuang assign` on the round's files, in its own process, with this checkout's code
    (`python -m kechuang.cli` with src/ first on the path). Wall time and the child's CPU time."""
    out = os.path.join(d, f"assign-{mode}{tag}.csv")
    stats = os.path.join(d, f"stats-{mode}{tag}.json")
    cmd = [
        sys.executable,
        "-m",
        "kechuang.cli",
        "assign",
        "--scores",
        os.path.join(d, "scores.csv"),
        "--constraints",
        os.path.join(d, "constraints.csv"),
        "--k",
        str(k),
        "--max-load",
        str(max_load),
        "--mode",
        mode,
        "--out",
        out,
        "--stats",
        stats,
        *extra,
    ]
    env = {**os.environ, "PYTHONPATH": os.path.join(ROOT, "src")}
    t = time.perf_counter()
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter() - t
    with open(stats) as fh:
        s = json.load(fh)
    s["wall_seconds"] = round(wall, 3)
    s["cpu_seconds"] = round(cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime, 3)
    return s


def highs_optimum(d, k=3, max_load=3):
    """The same round as an LP solved by HiGHS (scipy). The assignment LP is totally unimodular, so its
    optimum is the integer optimum: an independent check of Kechuang's objective, and a time baseline."""
    import scipy.sparse as sp
    from scipy.optimize import linprog

    from kechuang.review import interchange

    data = interchange.read(
        os.path.join(d, "scores.csv"), os.path.join(d, "constraints.csv"), k=k, max_load=max_load
    )
    p = data.problem
    n, m = p.n_subjects, p.n_experts
    t = time.perf_counter()
    coo = p.scores.tocoo()
    keep = ~np.asarray(p.conflicts[coo.row, coo.col]).ravel()
    r, c, v = coo.row[keep], coo.col[keep], coo.data[keep]
    e = r.size
    a_eq = sp.csr_matrix((np.ones(e), (r, np.arange(e))), shape=(n, e))
    a_ub = sp.csr_matrix((np.ones(e), (c, np.arange(e))), shape=(m, e))
    res = linprog(
        -v, A_ub=a_ub, b_ub=np.full(m, max_load), A_eq=a_eq, b_eq=np.full(n, k), bounds=(0, 1), method="highs"
    )
    return {"objective": -res.fun, "seconds": round(time.perf_counter() - t, 3), "status": res.status}


def in_child(func: str, *args):
    """Run one of this module's functions in a fresh process and return its JSON result. Heavy work
    never runs in this process: Linux carries a parent's peak RSS into its children, which would
    spoil the peak memory each `kechuang assign` reports."""
    code = f"import json, sys; sys.path.insert(0, {HERE!r}); import run; print(json.dumps(run.{func}(*{args!r})))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def matcher_available() -> bool:
    """Whether OpenReview's matcher can be imported from the checkout named by OPENREVIEW_MATCHER_PATH."""
    import openreview

    return openreview.available()


def run_matcher(d, solver="MinMax", k=3, max_load=3, timeout=MATCHER_TIMEOUT):
    """OpenReview's matcher on the same files, in its own process with a time limit, under the
    interpreter named by OPENREVIEW_MATCHER_PYTHON (a separate environment with the matcher's own
    pins, e.g. numpy < 2.3) or this one."""
    python = os.environ.get("OPENREVIEW_MATCHER_PYTHON") or sys.executable
    cmd = [python, os.path.join(HERE, "openreview.py"), d, "--solver", solver, "--k", str(k)]
    cmd += ["--max-load", str(max_load)]
    t = time.perf_counter()
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"solver": solver, "timed_out": True, "seconds": round(time.perf_counter() - t, 3)}
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        return {
            "solver": solver,
            "error": proc.stderr.strip().splitlines()[-1:],
            "returncode": proc.returncode,
        }
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall_seconds"] = round(time.perf_counter() - t, 3)
    out["cpu_seconds"] = round(cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime, 3)
    return out


def affinity_from_texts(n, m, top=100, seed=0):
    """Synthetic Chinese texts built from the domain's topics, then the whole affinity pipeline
    (jieba segmentation, TF-IDF, discipline match, top-N per application)."""
    from kechuang.review import affinity

    rng = np.random.default_rng(seed)
    vocab = [
        "碳化硅",
        "单晶",
        "衬底",
        "外延",
        "功率器件",
        "胶原蛋白",
        "重组蛋白",
        "发酵",
        "纯化",
        "磁悬浮",
        "真空管道",
        "直线电机",
        "离子阱",
        "量子计算",
        "量子密钥分发",
        "连续变量",
        "石墨烯",
        "导热膜",
        "散热",
        "异质结",
        "磁控溅射",
        "光伏电池",
        "能源互联网",
        "微电网",
        "调度",
        "地热",
        "增强型地热",
        "压裂",
        "煤层气",
        "水平井",
        "氢燃料电池",
        "机车",
        "智能矿山",
        "异构计算",
        "软件系统",
        "重离子",
        "加速器",
        "钍基熔盐堆",
        "授时",
        "杂粮",
        "种质",
        "分子育种",
        "锂电池",
        "正极材料",
        "镍钴",
        "数控机床",
        "集成电路",
        "封装",
        "催化剂",
        "膜分离",
        "传感器",
        "机器人",
        "大数据",
        "人工智能",
    ]
    codes = [
        "430.25",
        "430.30",
        "180.14",
        "580.20",
        "140.30",
        "140.45",
        "470.20",
        "480.10",
        "440.35",
        "520.20",
    ]

    def doc(k_words):
        words = rng.choice(vocab, size=k_words)
        return affinity.Doc(
            text="研究" + "、".join(words) + "的关键技术与工程应用。",
            keywords=tuple(rng.choice(vocab, size=3)),
            disciplines=(str(rng.choice(codes)) + f"{int(rng.integers(10, 40))}",),
        )

    subjects = [doc(12) for _ in range(n)]
    experts = [doc(20) for _ in range(m)]
    t = time.perf_counter()
    model = affinity.fit(subjects, experts)
    t_fit = time.perf_counter() - t
    mat = affinity.matrix(model, top_n=top)
    total = time.perf_counter() - t
    return {
        "applications": n,
        "experts": m,
        "top_n": top,
        "fit_seconds": round(t_fit, 2),
        "total_seconds": round(total, 2),
        "nnz": int(mat.nnz),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="only the 500×700 and 1,000×1,500 rounds")
    ap.add_argument("--skip-largest", action="store_true")
    ap.add_argument("--out", default=os.path.join(HERE, "results.json"))
    ap.add_argument("--fair", action="store_true", help="only the fair comparison (see fair_main)")
    ap.add_argument("--fairflow-timeout", type=int, default=1800)
    ap.add_argument(
        "--only", default="", help="with --fair: these round sizes only (applications, e.g. 2000,10000)"
    )
    args = ap.parse_args()
    if args.fair:
        return fair_main(args)
    results = {
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()},
        "rounds": [],
        "matcher_available": matcher_available(),
        "matcher_path": os.environ.get("OPENREVIEW_MATCHER_PATH"),
        "matcher_note": "run up to 1,000×1,500 only (MinMax does not finish at 2,000×3,000 dense per issue 5)",
    }
    for n, m, kind, top in ROUNDS:
        if args.quick and n > 1000:
            continue
        if args.skip_largest and n >= 10000:
            continue
        d = os.path.join(DATA, f"{n}x{m}-{kind}" + (f"-top{top}" if top else ""))
        if not os.path.exists(os.path.join(d, "scores.csv")):
            t = time.perf_counter()
            in_child("generate_round", n, m, kind, top, d)
            print(f"generated {d} in {time.perf_counter() - t:.1f}s", flush=True)
        row = {"apps": n, "experts": m, "kind": kind, "top": top, "optimal": kechuang_assign(d)}
        if n <= 500:
            row["fair"] = kechuang_assign(d, mode="fair")
            row["fair_rerun"] = kechuang_assign(d, mode="fair", tag=".rerun")  # a second process: same pairs?
            row["fair_rerun"]["same_pairs"] = _same_file(d, "assign-fair.csv", "assign-fair.rerun.csv")
        row["random"] = kechuang_assign(d, mode="random")
        if n <= 1000:
            row["highs"] = in_child("highs_optimum", d)
        if results["matcher_available"] and n <= 1000:
            row["matcher_minmax"] = run_matcher(d, "MinMax")
            if kind == "clustered" and n <= 500:
                row["matcher_fairflow"] = run_matcher(d, "FairFlow")
        results["rounds"].append(row)
        o = row["optimal"]
        line = (
            f"{n}x{m} {kind:9s} optimal {o['objective']:.6f} worst-off {o['worst_off']:.4f} "
            f"solve {o['solve_seconds']}s total {o['total_seconds']}s wall {o['wall_seconds']}s peak {o['peak_rss_mb']} MB "
            f"cert rounds {o.get('solver_rounds')} added {o.get('solver_arcs_added_by_certificate')}"
        )
        if "highs" in row:
            line += f" | HiGHS {row['highs']['objective']:.6f} in {row['highs']['seconds']}s"
        if "fair" in row:
            line += f" | fair worst-off {row['fair']['worst_off']:.4f} total {row['fair']['objective']:.4f}"
        for key in ("matcher_minmax", "matcher_fairflow"):
            if key in row:
                line += f" | {key} {row[key]}"
        print(line, flush=True)
        with open(args.out, "w") as fh:
            json.dump(results, fh, indent=2)
    if not args.quick and not args.skip_largest:
        results["affinity_largest"] = in_child("affinity_from_texts", 10000, 15000)
        print("affinity from texts 10000x15000:", results["affinity_largest"], flush=True)
    results["children_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    with open(args.out, "w") as fh:
        json.dump(results, fh, indent=2)


FAIR_ROUNDS = [
    (500, 700, "clustered", 0),
    (1000, 1500, "clustered", 0),
    (2000, 3000, "clustered", 100),
    (10000, 15000, "clustered", 100),
]


def _fair_row(stats):
    return {
        key: stats.get(key) if key in stats else stats.get(f"solver_{key}")
        for key in (
            "wall_seconds",
            "cpu_seconds",
            "solve_seconds",
            "read_seconds",
            "objective",
            "worst_off",
            "second_worst",
            "maxmin_upper_bound_full",
            "maxmin_gap",
            "bound_method",
            "lifting_trials",
            "lifting_start",
            "lifting_start_worst_off",
            "bound_subjects",
            "config_lp_rounds",
            "widened",
            "peak_rss_mb",
        )
    }


def fair_main(args):
    """Kechuang's fair mode beside FairFlow (OpenReview's matcher) on the clustered rounds, in one run:
    at 500×700 and 1,000×1,500 (dense) both solve the same files one after the other; at 2,000×3,000
    and 10,000×15,000 each application lists its top 100 experts (FairFlow and MinMax answer "No
    Solution" there per the issue; they are run too when the matcher is importable, with a limit).
    Every fair round is solved twice in separate processes and the outputs compared byte for byte."""
    results = {
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()},
        "matcher_available": matcher_available(),
        "matcher_path": os.environ.get("OPENREVIEW_MATCHER_PATH"),
        "matcher_python": os.environ.get("OPENREVIEW_MATCHER_PYTHON") or sys.executable,
        "rounds": [],
    }
    out = (
        args.out
        if args.out != os.path.join(HERE, "results.json")
        else os.path.join(HERE, "results-fair.json")
    )
    for n, m, kind, top in FAIR_ROUNDS:
        if args.quick and n > 1000:
            continue
        if args.only and str(n) not in args.only.split(","):
            continue
        d = os.path.join(DATA, f"{n}x{m}-{kind}" + (f"-top{top}" if top else ""))
        if not os.path.exists(os.path.join(d, "scores.csv")):
            in_child("generate_round", n, m, kind, top, d)
        row = {"apps": n, "experts": m, "kind": kind, "top": top, "load_before": os.getloadavg()}
        row["fair"] = _fair_row(kechuang_assign(d, mode="fair"))
        row["fair_rerun"] = _fair_row(kechuang_assign(d, mode="fair", tag=".rerun"))
        row["fair_rerun"]["same_bytes"] = _same_file(d, "assign-fair.csv", "assign-fair.rerun.csv")
        if results["matcher_available"]:
            row["fairflow"] = run_matcher(d, "FairFlow", timeout=args.fairflow_timeout)
        row["load_after"] = os.getloadavg()
        results["rounds"].append(row)
        print(json.dumps(row), flush=True)
        with open(out, "w") as fh:
            json.dump(results, fh, indent=2)


if __name__ == "__main__":
    main()
