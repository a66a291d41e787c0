#!/usr/bin/python3
"""Growth plot and table from the province benchmark's results.

    /usr/bin/python3 bench/plot_growth.py [bench/out/province-*.json ...]   # Debian: apt-get install -y python3-matplotlib

Reads bench/out/province-<items>.json (written by `npm run bench:province`),
draws p95 latency of each read and the sign-off p50 against the number of
items (log x axis) into docs/bench-growth.png, and prints the Markdown table
bench/README.md carries.
"""
import glob
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERIES = [
    ("inbox (leader)", "inbox, township leader"),
    ("inbox (cadre)", "inbox, village cadre"),
    ("items filtered (leader)", "filtered items page, township leader"),
    ("items filtered (county)", "filtered items page, county office"),
    ("items first page (cadre)", "items first page, village cadre"),
    ("items first page (county)", "items first page, county office"),
    ("stats (county)", "campaign stats, county"),
    ("series 90 days (county)", "90-day daily series"),
    ("ranking (county)", "township ranking"),
]


def main() -> None:
    files = sys.argv[1:] or glob.glob(os.path.join(ROOT, "bench", "out", "province-*.json"))
    runs = sorted((json.load(open(f)) for f in files), key=lambda r: r["items"])
    if not runs:
        sys.exit("no bench/out/province-*.json: run npm run bench:province first")
    xs = [r["items"] for r in runs]

    fig, ax = plt.subplots(figsize=(9, 5.5), dpi=120)
    for key, label in SERIES:
        ys = [r["reads"].get(key, {}).get("p95") for r in runs]
        if all(y is None for y in ys):
            continue
        ax.plot(xs, ys, marker="o", label=f"{label} (p95)")
    signoff = [next((s["latency"]["p50"] for s in r.get("signoff", []) if s["clients"] == 1), None) for r in runs]
    if any(s is not None for s in signoff):
        ax.plot(xs, signoff, marker="s", linestyle="--", color="black", label="sign-off CONFIRM, 1 client (p50)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("problem items in the database (10 counties)")
    ax.set_ylabel("latency over HTTP, ms")
    m = runs[-1]["machine"]
    ax.set_title(f"qingling read and sign-off cost vs data size\n{m['cpu']}, {m['nproc']} cores, commit {m['commit']}, {m['date'][:10]}", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    out = os.path.join(ROOT, "docs", "bench-growth.png")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    fig.savefig(out)
    print(f"wrote {os.path.relpath(out, ROOT)}\n")

    header = ["figure"] + [f"{r['items']:,} items" for r in runs]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for key, label in SERIES:
        cells = []
        for r in runs:
            v = r["reads"].get(key)
            cells.append(f"{v['p50']} / {v['p95']}" if v else "–")
        print(f"| {label} (p50 / p95 ms) | " + " | ".join(cells) + " |")
    for clients in (1, 4):
        cells = []
        for r in runs:
            s = next((s for s in r.get("signoff", []) if s["clients"] == clients), None)
            cells.append(f"{s['perSecond']}/s, p50 {s['latency']['p50']} / p95 {s['latency']['p95']}" if s else "–")
        print(f"| sign-off CONFIRM, {clients} client{'s' if clients > 1 else ''} (per s, ms) | " + " | ".join(cells) + " |")
    print("| county 1's items (the reports' scope) | " + " | ".join(f"{r['countyItems']:,}" for r in runs) + " |")
    print("| seq scan over items/signatures in | " + " | ".join(", ".join(r.get("seqScans", [])) or "none" for r in runs) + " |")

    print("\nCPU per request, service / database (ms):\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for key, label in SERIES:
        cells = []
        for r in runs:
            v = r["reads"].get(key)
            cells.append(f"{v['serviceCpuMs']} / {v['databaseCpuMs']}" if v and "serviceCpuMs" in v else "–")
        print(f"| {label} | " + " | ".join(cells) + " |")
    for clients in (1, 4):
        cells = []
        for r in runs:
            s = next((s for s in r.get("signoff", []) if s["clients"] == clients), None)
            cells.append(f"{s['serviceCpuMs']} / {s['databaseCpuMs']}" if s and "serviceCpuMs" in s else "–")
        print(f"| sign-off CONFIRM, {clients} client{'s' if clients > 1 else ''} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
