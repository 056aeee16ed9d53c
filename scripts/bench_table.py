#!/usr/bin/env python3
"""Formats the JSON lines of `digits bench` and keras_reference.py as a table of
ratios against the targets of issue 5, prints it, and writes it into README.md
between the bench markers."""
import datetime, json, os, sys

out_dir, readme = sys.argv[1], sys.argv[2]
TRAIN_TARGET = {"seed003": 1.5, "seed004": 1.2}      # × Keras' training images/s
INFER_TARGET_MS = {"seed003": 0.1, "digitnet": 0.5}   # batch-1 p50
SCALING_TARGET = {"seed004": 1.8}                     # 2 threads over 1
STROKE_TARGET_MS = 8.0                                # per-stroke p99, every model
RSS_TARGET_MB = 400.0                                 # one epoch of full MNIST


def load(name):
    p = os.path.join(out_dir, name)
    if not os.path.exists(p):
        return None
    lines = [l for l in open(p) if l.strip().startswith("{")]
    return json.loads(lines[-1]) if lines else None


def mark(ok):
    return " ✓" if ok else " ✗"


order = ["seed003", "seed004", "digitnet"]
models = sorted({f[len("digits-"):-5] for f in os.listdir(out_dir) if f.startswith("digits-")},
                key=lambda m: order.index(m) if m in order else 9)
rows = []
cpu = threads = ""
for m in models:
    d, k = load(f"digits-{m}.json"), load(f"keras-{m}.json")
    t = load(f"train-{m}.json")
    cpu, threads = d["cpu"], d["threads"]
    ours = d["train_images_per_s"]
    # With Keras, ours ran just before and just after it: the ratio uses their mean.
    after = load(f"after-{m}.json")
    ours_cell = f"{ours:.0f}"
    if after:
        ours = (ours + after["train_images_per_s"]) / 2
        ours_cell = f"{ours:.0f} ({d['train_images_per_s']:.0f} before, {after['train_images_per_s']:.0f} after)"
    if k:
        r = ours / k["train_images_per_s"]
        train = f"{r:.2f}×" + (mark(r >= TRAIN_TARGET[m]) + f" ≥ {TRAIN_TARGET[m]}×" if m in TRAIN_TARGET else "")
        keras_ips = f"{k['train_images_per_s']:.0f}"
        keras_lat = f"{k['infer_batch1_ms_p50']} ({k['infer_batch1_ms_p50'] / d['infer_batch1_ms_p50']:.0f}× slower)"
    else:
        train, keras_ips, keras_lat = "–", "–", "–"
    s = d["thread_scaling"] if not after else (d["thread_scaling"] + after["thread_scaling"]) / 2
    scaling = f"{s:.2f}×" + (mark(s >= SCALING_TARGET[m]) + f" ≥ {SCALING_TARGET[m]}×" if m in SCALING_TARGET else "")
    notes = [f"{d['thread_scaling']:.2f}× before, {after['thread_scaling']:.2f}× after"] if after else []
    # The machine's own ceiling: how much the sgemm peak itself gained from the second thread.
    if d.get("sgemm_gflops_1thread"):
        notes.append(f"sgemm {d['sgemm_gflops'] / d['sgemm_gflops_1thread']:.2f}×")
    if notes:
        scaling += f" ({'; '.join(notes)})"
    p50 = d["infer_batch1_ms_p50"]
    latency = f"{p50:.3f} / {d['infer_batch1_ms_p99']:.3f}" + (
        mark(p50 <= INFER_TARGET_MS[m]) + f" ≤ {INFER_TARGET_MS[m]}" if m in INFER_TARGET_MS else "")
    stroke = "–" if d["stroke_ms_p99"] is None else f"{d['stroke_ms_p99']}" + mark(d["stroke_ms_p99"] <= STROKE_TARGET_MS)
    # Peak memory of one epoch on full MNIST when it ran, else of the benchmark itself.
    rss = f"{t['peak_rss_mb']:.0f}" + mark(t["peak_rss_mb"] <= RSS_TARGET_MB) if t else f"({d['peak_rss_mb']:.0f})"
    rows.append(f"| {m} | {ours_cell} | {keras_ips} | {train} | {d['train_gflops']:.0f} / {d['sgemm_gflops']:.0f} | "
                f"{scaling} | {latency} | {keras_lat} | {stroke} | {rss} |")

table = "\n".join([
    f"Measured {datetime.date.today().isoformat()} on {cpu}, {threads} threads, batch 64, by `make bench"
    + (" KERAS=1" if any(load(f"keras-{m}.json") for m in models) else "") + "`:",
    "",
    "| model | ours img/s | Keras img/s | training ratio (target) | our GFLOP/s / sgemm peak | 2-thread scaling (sgemm's own) | "
    "ours batch-1 ms p50 / p99 | Keras batch-1 ms p50 | per-stroke ms p99 (≤ 8) | peak RSS MB, 1 epoch of MNIST (≤ 400) |",
    "|---|---|---|---|---|---|---|---|---|---|",
] + rows)
print(table)

text = open(readme).read()
start, end = "<!-- bench:start -->", "<!-- bench:end -->"
if start in text and end in text:
    a, b = text.index(start) + len(start), text.index(end)
    open(readme, "w").write(text[:a] + "\n" + table + "\n" + text[b:])
