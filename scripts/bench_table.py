#!/usr/bin/env python3
"""Formats the JSON lines of `digits bench` and keras_reference.py as a table of
ratios against the targets of issue 5, prints it, and writes it into README.md
between the bench markers."""
import datetime, json, os, sys

out_dir, readme = sys.argv[1], sys.argv[2]
TRAIN_TARGET = {"seed003": 1.5, "seed004": 1.2}
INFER_TARGET_MS = {"seed003": 0.1, "digitnet": 0.5}


def load(name):
    p = os.path.join(out_dir, name)
    if not os.path.exists(p):
        return None
    lines = [l for l in open(p) if l.strip().startswith("{")]
    return json.loads(lines[-1]) if lines else None


models = sorted({f[len("digits-"):-5] for f in os.listdir(out_dir) if f.startswith("digits-")},
                key=lambda m: ["seed003", "seed004", "digitnet"].index(m) if m in ["seed003", "seed004", "digitnet"] else 9)
rows = []
cpu = threads = ""
for m in models:
    d, k = load(f"digits-{m}.json"), load(f"keras-{m}.json")
    t = load(f"train-{m}.json")
    if t:  # peak memory of one epoch on full MNIST, else of the benchmark itself
        d["peak_rss_mb"] = t["peak_rss_mb"]
    cpu, threads = d["cpu"], d["threads"]
    ratio = f"{d['train_images_per_s'] / k['train_images_per_s']:.2f}×" if k else "–"
    target = f"≥ {TRAIN_TARGET[m]}×" if m in TRAIN_TARGET else ""
    met = ""
    if k and m in TRAIN_TARGET:
        met = " ✓" if d["train_images_per_s"] / k["train_images_per_s"] >= TRAIN_TARGET[m] else " ✗"
    infer_ratio = f"{k['infer_batch1_ms_p50'] / d['infer_batch1_ms_p50']:.0f}× faster" if k else "–"
    rows.append(
        f"| {m} | {d['train_images_per_s']:.0f} | {k['train_images_per_s']:.0f} | {ratio}{met} {target} | "
        f"{d['train_gflops']:.0f} / {d['sgemm_gflops']:.0f} | {d['thread_scaling']:.2f}× | "
        f"{d['infer_batch1_ms_p50']:.3f} / {d['infer_batch1_ms_p99']:.3f} | "
        f"{(str(k['infer_batch1_ms_p50']) + ' (' + infer_ratio + ')') if k else '–'} | "
        f"{d['stroke_ms_p99'] if d['stroke_ms_p99'] is not None else '–'} | {d['peak_rss_mb']:.0f} |"
        if k else
        f"| {m} | {d['train_images_per_s']:.0f} | – | – | {d['train_gflops']:.0f} / {d['sgemm_gflops']:.0f} | "
        f"{d['thread_scaling']:.2f}× | {d['infer_batch1_ms_p50']:.3f} / {d['infer_batch1_ms_p99']:.3f} | – | "
        f"{d['stroke_ms_p99'] if d['stroke_ms_p99'] is not None else '–'} | {d['peak_rss_mb']:.0f} |")

table = "\n".join([
    f"Measured {datetime.date.today().isoformat()} on {cpu}, {threads} threads, batch 64, by `make bench"
    + (" KERAS=1" if any(load(f"keras-{m}.json") for m in models) else "") + "`:",
    "",
    "| model | ours img/s | Keras img/s | training ratio (target) | our GFLOP/s / sgemm peak | 2-thread scaling | "
    "ours batch-1 ms p50 / p99 | Keras batch-1 ms p50 | per-stroke ms p99 | peak RSS MB, 1 epoch of MNIST |",
    "|---|---|---|---|---|---|---|---|---|---|",
] + rows)
print(table)

text = open(readme).read()
start, end = "<!-- bench:start -->", "<!-- bench:end -->"
if start in text and end in text:
    a, b = text.index(start) + len(start), text.index(end)
    open(readme, "w").write(text[:a] + "\n" + table + "\n" + text[b:])
