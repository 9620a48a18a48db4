#!/usr/bin/env python3
"""The median of per-round on/off ratios and a 95 % interval of it (bootstrap over the rounds,
10,000 resamples, fixed seed), for tracing-overhead.sh and tracing-pairs.sh.

Usage: median-interval.py LABEL ratio [ratio ...]
       median-interval.py LABEL --logs tracing-overhead.log [...]   (the ratios of every "round" line)
"""
import random
import re
import statistics
import sys

label, args = sys.argv[1], sys.argv[2:]
if args[:1] == ["--logs"]:
    ratios = [float(r) for path in args[1:]
              for r in re.findall(r"on/off req/s ([0-9.]+),", open(path).read())]
else:
    ratios = [float(r) for r in args]
rng = random.Random(1)
medians = sorted(statistics.median(rng.choices(ratios, k=len(ratios))) for _ in range(10_000))
print(f"{label} ({len(ratios)} rounds): median {statistics.median(ratios):.3f}, "
      f"95 % interval {medians[250]:.3f} to {medians[9_750]:.3f}")
