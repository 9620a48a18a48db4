#!/usr/bin/env python3
"""What share of a server's sampled CPU time went to tracing, from a JFR recording.

A CPU sample (jdk.ExecutionSample) is attributed to the code that called into the JDK or Jetty: walking
from the innermost frame outwards past JDK, Jetty and logging frames, the first frame that belongs to
OpenTelemetry (io.opentelemetry.*: span creation, the sampler, ids, propagation, the batch processor,
the exporter), to Javalin or to StoryMagic decides. The sample counts as tracing when that frame is
OpenTelemetry's or one of StoryMagic's tracing classes (HttpTracing, the MDC filter, the pipeline's and
the model's span helpers, the database telemetry). A request handler running under the tracing filter
meets a Javalin or handler frame first, so the share is the tracing work itself, not the requests it
wraps.

Usage: tracing-share.py recording.jfr [more.jfr ...]   (needs the JDK's jfr tool on PATH)
       tracing-share.py profile.collapsed [...]        (async-profiler's collapsed stacks, recorded
                                                         with its `threads` option; one sample a line
                                                         or a count per distinct stack)
"""
import collections
import re
import subprocess
import sys

TRACING_CLASSES = re.compile(
    r"^dev\.storymagic\.(server\.internal\.(HttpTracing|ServerTracing|TracedAsyncAppender|TraceContextTurboFilter|XrayPropagator)"
    r"|internal\.(Tracing|PipelineSpans)|openai\.internal\.ChatSpans|store\.internal\.(DbTelemetry|JdbiTelemetry))\b")


EXPORT_THREADS = ("BatchSpanProcessor", "HttpClient-", "okhttp-dispatch")


def samples(path):
    """(thread, frames innermost first, weight) for each sample or distinct stack of a recording."""
    if not path.endswith(".jfr"):
        yield from collapsed_samples(path)
        return
    for thread, frames in jfr_samples(path):
        yield thread, frames, 1


def collapsed_samples(path):
    with open(path) as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            frames = stack.split(";")
            thread = ""
            if frames[0].startswith("["):  # the `threads` option: "[name tid=123]" outermost
                thread = re.sub(r" tid=\d+\]$", "", frames.pop(0))[1:].rstrip("]")
            # Java frames come as a/b/C.method, with _[j], _[i] or _[k] suffixes for the frame type.
            dotted = [re.sub(r"_\[[a-z0-9]\]$", "", f).replace("/", ".") for f in reversed(frames)]
            yield thread, dotted, int(count)


def jfr_samples(path):
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "256", path],
                          capture_output=True, text=True, check=True).stdout
    frames, inside, thread = [], False, ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("sampledThread = "):
            thread = line.split('"')[1] if '"' in line else ""
        elif line.startswith("stackTrace = ["):
            frames, inside = [], True
        elif inside and line == "]":
            inside = False
            yield thread, frames
        elif inside and line and line != "...":
            frames.append(line.split("(")[0])


DECIDING = ("io.opentelemetry.", "io.javalin.", "dev.storymagic.")


def owner(frames):
    return next((f for f in frames if f.startswith(DECIDING)), None)


def is_tracing(thread, frames):
    if thread.startswith(EXPORT_THREADS):
        return True
    own = owner(frames)
    return bool(own and (own.startswith("io.opentelemetry.") or TRACING_CLASSES.match(own)))


for path in sys.argv[1:]:
    total, traced, where = 0, 0, collections.Counter()
    for thread, frames, weight in samples(path):
        total += weight
        if is_tracing(thread, frames):
            traced += weight
            where["thread " + thread.rstrip("0123456789") if thread.startswith(EXPORT_THREADS) else owner(frames)] += weight
    share = 100.0 * traced / total if total else 0.0
    print(f"{path}: {traced} of {total} CPU samples in tracing ({share:.2f} %)")
    for frame, n in where.most_common(8):
        print(f"  {n:6d}  {frame}")
