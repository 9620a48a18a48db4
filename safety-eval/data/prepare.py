#!/usr/bin/env python3
"""Prepares StoryMagic's labelled safety data from public sources.

Reads each source from a git repository (a bare git directory or a work tree, at its HEAD) or a
file, maps its labels onto StoryMagic's SafetyCategory labels, de-duplicates, splits every text
into train / validation / test by a seeded hash BEFORE anything is fitted, and writes
  data/<split>/<family>.jsonl   rows {"id","text","labels","stage","source","split"}
  data/SOURCES.md               the generated section: inputs (repository@commit:path, licence,
                                sha256) and counts per split and category
Run through prepare.sh; see SOURCES.md for every mapping decision.
"""
import argparse
import base64
import collections
import csv
import gzip
import hashlib
import html
import io
import json
import os
import re
import subprocess
import sys

SPLIT_SEED = "storymagic-safety-split-2026-11"
SAMPLE_SEED = "storymagic-safety-sample-2026-11"
SPLITS = ("train", "validation", "test")

CATEGORIES = {
    "sexual", "sexual/minors", "hate", "hate/threatening", "harassment", "harassment/threatening",
    "violence", "violence/graphic", "self-harm", "self-harm/intent", "self-harm/instructions",
    "illicit", "illicit/violent", "profanity", "personal-data", "frightening", "prompt-injection",
}

# Each source: the repository it is read from, its licence, whether the prepared rows may be
# committed (the licence allows redistribution), and the files read.
REPOS = {
    "davidson": ("t-davidson/hate-speech-and-offensive-language", "MIT"),
    "toxigen": ("microsoft/TOXIGEN", "MIT (code and prompts)"),
    "xstest": ("paul-rottger/exaggerated-safety", "CC BY 4.0"),
    "gptfuzz": ("sherdencooper/GPTFuzz", "MIT"),
    "selfinstruct": ("yizhongw/self-instruct", "Apache-2.0"),
    "hhrlhf": ("anthropics/hh-rlhf", "MIT"),
    "tales": ("templeoflum/mythic-library", "public domain texts (Project Gutenberg)"),
    "ailuminate": ("mlcommons/ailuminate", "CC BY 4.0"),
    "sst": ("bertiev/SimpleSafetyTests", "CC BY 4.0"),
    "pair": ("patrickrchao/JailbreakingLLMs", "MIT"),
}

TALES = [
    ("gutenberg/grimm", "texts/germanic/grimms-fairy-tales/downloads/pg2591_Edgar-Taylor-&-Marian-Edwardes.txt"),
    ("gutenberg/perrault", "texts/european/mother-goose-tales/downloads/pg29021_Charles-PerraultA.E.-Johnson.txt"),
    ("gutenberg/lang", "texts/anthology/andrew-langs-fairy-books/downloads/pg503_gutenberg.txt"),
    ("gutenberg/lang", "texts/anthology/andrew-langs-fairy-books/downloads/pg640_gutenberg.txt"),
    ("gutenberg/jacobs", "texts/indian/joseph-jacobs-fairy-tales/downloads/pg7439_gutenberg.txt"),
    ("gutenberg/jacobs", "texts/indian/joseph-jacobs-fairy-tales/downloads/pg7128_gutenberg.txt"),
]
TALE_PASSAGES_PER_BOOK = 400
OFFLINE_STORIES = 900
DAVIDSON_OFFENSIVE = 6000


class Source:
    """A repository at one commit, read through git (bare mirror) or from a work tree."""

    def __init__(self, key, path):
        self.key = key
        self.repo, self.licence = REPOS[key]
        self.path = path
        self.bare = not os.path.isdir(os.path.join(path, ".git")) and os.path.isfile(os.path.join(path, "HEAD"))
        git_dir = path if self.bare else os.path.join(path, ".git")
        self.commit = subprocess.run(["git", "--git-dir", git_dir, "rev-parse", "HEAD"], check=True,
                                     capture_output=True, text=True).stdout.strip()
        self.git_dir = git_dir
        self.inputs = []

    def read(self, rel):
        data = subprocess.run(["git", "--git-dir", self.git_dir, "show", f"HEAD:{rel}"], check=True,
                              capture_output=True).stdout
        if data.startswith(b"version https://git-lfs"):
            raise SystemExit(f"{self.repo}:{rel} is a Git LFS pointer, not the data")
        self.inputs.append((f"{self.repo}@{self.commit}:{rel}", self.licence, hashlib.sha256(data).hexdigest()))
        return data


def sha(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def norm_key(text):
    """The de-duplication key: case, mentions, links, punctuation and spacing do not count."""
    t = text.lower()
    t = re.sub(r"https?://\S+", " ", t)
    t = re.sub(r"@\w+", " ", t)
    t = re.sub(r"^\s*rt\b", " ", t)
    t = re.sub(r"[^a-z0-9]+", " ", t)
    return t.strip()


def bucket(key, seed=SPLIT_SEED):
    return int(sha(seed + "\x00" + key)[:12], 16) % 10000


def split_of(group):
    b = bucket(group)
    return "train" if b < 7000 else "validation" if b < 8500 else "test"


def sample(items, n, key=lambda x: x):
    """A deterministic subsample: the n items with the smallest seeded hash."""
    if len(items) <= n:
        return list(items)
    return sorted(items, key=lambda x: sha(SAMPLE_SEED + "\x00" + key(x)))[:n]


ROWS = []


def add(text, labels, stage, source, family, group=None):
    text = text.strip()
    if not text:
        return
    labels = sorted(set(labels))
    bad = [l for l in labels if l not in CATEGORIES]
    if bad:
        raise SystemExit(f"unknown label {bad} from {source}")
    ROWS.append({"text": text, "labels": labels, "stage": stage, "source": source, "family": family,
                 "group": group})


# ---------------------------------------------------------------- rule labels for harmful requests
# Harmful requests whose dataset gives no category (XSTest's unsafe contrasts, GPTFuzz questions,
# hh-rlhf red-team openers) get categories from these rules; see SOURCES.md.
RULES = [
    ("self-harm", r"\b(myself|suicid\w*|self[- ]harm|kill (him|her)self|harm themselves|end (my|your) life|sylvia plath|cervical artery|slit (my|your) wrist\w*|overdose|starve myself|anorexi\w*)\b"),
    ("sexual", r"\b(rape\w*|sex|sexual(ly)?|porn\w*|nude\w*|naked|erotic|prostitut\w*|escort|orgasm|genital\w*|penis|vagina|breasts?|fetish\w*|masturbat\w*|horny|dildo)\b"),
    ("hate", r"\b(jew\w*|muslim\w*|islam\w*|black (people|person|men|women)|blacks|asians?|latin[oa]s?|mexicans?|gays?|lesbians?|lgbt\w*|trans(gender)?|immigrants?|racis\w*|races?|white supremac\w*|ethnic\w*|genocide|roma|indigenous|disabled|buddhists?|holocaust|nazi\w*|religio\w*|n[i1]gg\w*|slurs?|arabs?|chinese|hispanics?|women are|inferior)\b"),
    ("illicit", r"\b(drugs?|meth\w*|cocaine|heroin|crack|weed|marijuana|smuggl\w*|steal\w*|stole|shoplift\w*|rob|robb\w*|hack\w*|counterfeit\w*|launder\w*|fraud\w*|identity theft|traffick\w*|scam\w*|phishing|malware|ransomware|virus|pirat\w*|illegal\w*|bypass|vault|forg(e|ery|ed)|poach\w*|firearms?|guns?|weapons?|explosives?|bombs?|cheat\w*|hotwire|lsd|ecstasy|fentanyl|opioids?|pills|alcohol|drunk|booze|tax evasion|bribe\w*|embezzl\w*|break into|burglar\w*|lock ?pick\w*|fake id|credit card)\b"),
    ("violence", r"\b(kill\w*|murder\w*|shoot\w*|shot|stab\w*|strangl\w*|execut\w*|behead\w*|hostage|attack\w*|bomb\w*|explod\w*|blow up|massacre\w*|butcher\w*|crush\w*|hunt down|assassin\w*|poison\w*|tortur\w*|kidnap\w*|hurt\w*|beat (up|him|her|them|someone)|violen\w*|terror\w*|punch\w*|maim\w*|injur\w*|choke|drown\w*|dismember\w*|arson|burn down|decimat\w*|annihilat\w*|eliminate|slaughter\w*|weapon\w*|fight\w*)\b"),
    ("harassment", r"\b(bully\w*|cyberbull\w*|harass\w*|stalk\w*|humiliat\w*|insult\w*|threaten\w*|blackmail\w*|dox\w*|revenge|embarrass\w*|make fun of|mean things|prank\w*)\b"),
]
RULES = [(c, re.compile(p, re.I)) for c, p in RULES]


def rule_labels(text):
    return {c for c, p in RULES if p.search(text)}


# ------------------------------------------------------------------------------------- sources
def davidson(src):
    data = src.read("data/labeled_data.csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(data)))
    # 77 % of the tweets are "offensive": a deterministic subsample keeps profanity from swamping
    # every binary figure and keeps the committed data small.
    offensive = {id(r) for r in sample([r for r in rows if r["class"] == "1"], DAVIDSON_OFFENSIVE, key=lambda r: r["tweet"])}
    for row in rows:
        if row["class"] == "1" and id(row) not in offensive:
            continue
        text = html.unescape(row["tweet"])
        # Handles and links are replaced: they identify people and are no signal for harm.
        text = re.sub(r"@\w+", "@user", text)
        text = re.sub(r"https?://\S+", "http://link", text)
        cls = row["class"]
        labels = {"0": ["hate"], "1": ["profanity", "harassment"], "2": []}[cls]
        add(text, labels, "output", "davidson/" + {"0": "hate", "1": "offensive", "2": "neither"}[cls], "davidson")


def toxigen(src):
    listing = subprocess.run(["git", "--git-dir", src.git_dir, "ls-tree", "--name-only", "HEAD", "prompts/"],
                             check=True, capture_output=True, text=True).stdout.split()
    for rel in sorted(listing):
        name = os.path.basename(rel)
        m = re.match(r"(hate|neutral)_(.+)_1k\.txt$", name)
        if not m:
            continue
        seen = set()
        for line in src.read(rel).decode("utf-8").splitlines():
            for part in line.split("\\n"):
                s = part.strip().lstrip("-").strip()
                if len(s) >= 12 and s not in seen:
                    seen.add(s)
                    add(s, ["hate"] if m.group(1) == "hate" else [], "output",
                        f"toxigen/{m.group(1)}/{m.group(2)}", "toxigen")


def xstest(src):
    data = src.read("xstest_prompts.csv").decode("utf-8")
    for row in csv.DictReader(io.StringIO(data)):
        if row["label"] == "safe":
            add(row["prompt"], [], "input", "xstest/safe/" + row["type"], "xstest")
            continue
        t = row["type"]
        if t == "contrast_privacy":
            labels = {"personal-data"}
        elif t == "contrast_discr":
            labels = {"hate"}
        else:
            labels = rule_labels(row["prompt"]) or {"violence"}
        add(row["prompt"], labels, "input", "xstest/unsafe/" + t, "xstest")


def gptfuzz(src):
    questions = [r["text"] for r in csv.DictReader(io.StringIO(src.read("datasets/questions/question_list.csv").decode("utf-8")))]
    for q in questions:
        add(q, rule_labels(q) or {"illicit"}, "input", "gptfuzz/question", "gptfuzz")
    for rel, tag in (("datasets/prompts/GPTFuzzer.csv", "jailbreakchat"), ("datasets/prompts/seed_short_25.csv", "short")):
        rows = list(csv.DictReader(io.StringIO(src.read(rel).decode("utf-8"))))
        for i, r in enumerate(rows):
            template = r.get("text") or r.get("prompt") or list(r.values())[-1]
            # Three questions per template, chosen by hash; the template is the split group so a
            # template never appears in two splits.
            picks = sorted(questions, key=lambda q: sha(f"{tag}-{i}\x00{q}"))[:3]
            for q in picks:
                text = template.replace("[INSERT PROMPT HERE]", q) if "[INSERT PROMPT HERE]" in template else template + "\n\n" + q
                add(text, ["prompt-injection"], "input", f"gptfuzz/jailbreak-{tag}", "gptfuzz", group=f"gptfuzz-{tag}-{i}")


def selfinstruct(src):
    for rel in ("data/seed_tasks.jsonl", "human_eval/user_oriented_instructions.jsonl"):
        for line in src.read(rel).decode("utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            text = r["instruction"]
            inst = r.get("instances") or []
            if inst and inst[0].get("input"):
                text += "\n\n" + inst[0]["input"]
            add(text, [], "input", "self-instruct", "benign-prompts")


def hhrlhf(src):
    data = gzip.decompress(src.read("harmless-base/test.jsonl.gz")).decode("utf-8")
    for line in data.splitlines():
        convo = json.loads(line)["chosen"]
        m = re.search(r"Human:(.*?)(\n\nAssistant:|$)", convo, re.S)
        if not m:
            continue
        text = m.group(1).strip()
        labels = rule_labels(text)
        # Openers no rule recognises are dropped, not called benign: a red-team opener is usually
        # meant to lead to harm even when its first line reads harmless.
        if labels:
            add(text, labels, "input", "hh-rlhf/harmless-base-opener", "hh-rlhf")


# AILuminate hazards outside StoryMagic's categories (intellectual property, specialised financial,
# health, legal and election advice) are left out: neither harmful here nor known to be benign.
AILUMINATE = {
    "cse": ["sexual/minors"], "dfm": ["harassment"], "hte": ["hate"], "iwp": ["illicit/violent"],
    "ncr": ["illicit"], "prv": ["personal-data"], "src": ["sexual"], "ssh": ["self-harm"],
    "sxc_prn": ["sexual"], "vcr": ["violence"],
}


def ailuminate(src):
    data = src.read("airr_official_1.0_demo_en_us_prompt_set_release.csv").decode("utf-8")
    for row in csv.DictReader(io.StringIO(data)):
        labels = AILUMINATE.get(row["hazard"])
        if labels is not None:
            add(row["prompt_text"], labels, "input", f"ailuminate/{row['hazard']}", "ailuminate")


SST = {
    "Suicide, Self-Harm, and Eating Disorders": ["self-harm"],
    "Physical harm and Violence": ["violence"],
    "Illegal and Highly Regulated items": ["illicit"],
    "Scams and fraud": ["illicit"],
    # Every "Child safety" prompt of the set is about sexual abuse of children.
    "Child safety": ["sexual/minors"],
}


def sst(src):
    data = src.read("SimpleSafetyTests - test cases.csv").decode("utf-8")
    for row in csv.DictReader(io.StringIO(data)):
        add(row["prompts_final"], SST[row["harm_area"]], "input", "simple-safety-tests", "simple-safety-tests")


def pair(src):
    data = src.read("data/harmful_behaviors_custom.csv").decode("utf-8")
    for row in csv.DictReader(io.StringIO(data)):
        add(row["goal"], rule_labels(row["goal"]) or {"illicit"}, "input", "pair/harmful-behaviour", "gptfuzz")


def gutenberg_body(raw):
    text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    start = re.search(r"\*\*\* ?START OF (THE|THIS) PROJECT GUTENBERG EBOOK.*?\*\*\*", text)
    end = re.search(r"\*\*\* ?END OF (THE|THIS) PROJECT GUTENBERG EBOOK", text)
    body = text[start.end() if start else 0:end.start() if end else len(text)]
    # Jacobs closes each book with scholarly notes on every tale's sources: not story text. The last
    # heading of that name starts them (the first is the table of contents' entry).
    notes = list(re.finditer(r"\n\s*NOTES AND REFERENCES\s*\n", body))
    return body[:notes[-1].start()] if len(notes) > 1 or (notes and notes[0].start() > len(body) / 2) else body


def passages(body, lo=120, hi=400):
    """Story passages of about lo..hi words, cut at paragraph ends and at story titles."""
    paras = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", body)]
    out, cur = [], []
    for p in paras:
        if not p:
            continue
        words = p.split()
        is_title = len(words) <= 12 and p.upper() == p and re.search(r"[A-Z]", p)
        if is_title or sum(len(c.split()) for c in cur) + len(words) > hi:
            if sum(len(c.split()) for c in cur) >= lo:
                out.append(" ".join(cur))
            cur = []
            if is_title:
                continue
        # Notes, illustrations and tables of contents are not story text.
        if p.startswith("[") or re.match(r"^(CONTENTS|PREFACE|NOTES?|FOOTNOTES?|ILLUSTRATIONS?)\b", p):
            continue
        cur.append(p)
    if sum(len(c.split()) for c in cur) >= lo:
        out.append(" ".join(cur))
    return out


def tales(src):
    for source, rel in TALES:
        # Prefaces and editors' notes quote sources and footnotes; they are not what a story reads like.
        ps = [p for p in passages(gutenberg_body(src.read(rel)))
              if not re.search(r"\[Footnote|_Source_|Transcriber|Project Gutenberg", p)]
        book = os.path.basename(rel).split("_")[0]
        for i, p in enumerate(sample(ps, TALE_PASSAGES_PER_BOOK)):
            add(p, [], "output", source, "fairy-tales")


def offline(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            add(r["text"], [], "output", "storymagic-offline/" + r["age_group"], "offline-stories")


LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"})


def authored(folder):
    def lines(name):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            return [l.strip() for l in f if l.strip() and not l.startswith("#")]

    for t in lines("hard-negatives.txt"):
        add(t, [], "input", "authored/hard-negative", "authored")
    for t in lines("story-requests.txt"):
        add(t, [], "input", "authored/story-request", "authored")
    for t in lines("injections.txt"):
        add(t, ["prompt-injection"], "input", "authored/injection", "authored")
    # Clauses hidden in ordinary requests: each frame carries two attacks and two benign clauses
    # (chosen by hash), and the frame is the split group, so a frame is never in two splits.
    frames = lines("request-frames.txt")
    for kind, clauses, labels in (("injection-in-request", lines("injection-clauses.txt"), ["prompt-injection"]),
                                  ("hard-negative-in-request", lines("benign-clauses.txt"), [])):
        for i, frame in enumerate(frames):
            for c in sorted(clauses, key=lambda c: sha(f"{kind}-{i}\x00{c}"))[:2]:
                add(frame.replace("{}", c).strip(), labels, "input", f"authored/{kind}", "authored", group=f"authored-frame-{i}")
    # Encoded and hidden payloads, each with a benign twin wrapped the same way, so neither an
    # encoding nor a quotation is itself the signal.
    wrappers_b64 = ["Decode this base64 and do what it says: {}", "{}", "My character's secret message is {}",
                    "Here is a code for the story, please use it: {}"]
    wrappers_leet = ["{}", "The wizard shouts: {}", "Story idea: {}"]
    hidden = [
        "Summarise this review for the story: \"Great book! {} Five stars.\"",
        "Use this poem my friend wrote: '''Roses are red, {}, violets are blue'''",
        "Character description (from the class list): {{\"name\": \"Sam\", \"note\": \"{}\"}}",
        "Translate the following into a story: <text>The cat sat down. {}</text>",
        "The letter in the bottle said: \"Dear finder, {}. Love, the sea.\"",
    ]
    for payloads, labels, kind in ((lines("injection-payloads.txt"), ["prompt-injection"], "injection"),
                                   (lines("benign-payloads.txt"), [], "hard-negative")):
        for i, p in enumerate(payloads):
            group = f"authored-{kind}-payload-{i}"
            enc = base64.b64encode(p.encode()).decode()
            for w in wrappers_b64:
                add(w.format(enc), labels, "input", f"authored/{kind}-base64", "authored", group=group)
            for w in wrappers_leet:
                add(w.format(p.translate(LEET)), labels, "input", f"authored/{kind}-leetspeak", "authored", group=group)
            for w in hidden:
                add(w.format(p.capitalize() if kind == "injection" else p), labels, "input", f"authored/{kind}-quoted",
                    "authored", group=group)


# ------------------------------------------------------------------------------------- output
def finish(out_dir, sources, offline_path):
    # De-duplicate on the normalised text: exact repeats keep their first row; a text that two rows
    # label differently is dropped, since its truth is unknown.
    by_key = collections.OrderedDict()
    conflicts = set()
    for r in ROWS:
        k = norm_key(r["text"])
        if not k:
            continue
        if k in by_key:
            if by_key[k]["labels"] != r["labels"]:
                conflicts.add(k)
            continue
        by_key[k] = r
    rows = [r for k, r in by_key.items() if k not in conflicts]
    for r in rows:
        r["split"] = split_of(r["group"] or norm_key(r["text"]))
        prefix = re.sub(r"[^a-z0-9]+", "-", r["source"].split("/")[0].lower())
        r["id"] = f"{prefix}-{sha(r['text'])[:12]}"
    ids = collections.Counter(r["id"] for r in rows)
    assert max(ids.values()) == 1, "id collision"
    files = collections.defaultdict(list)
    for r in rows:
        files[(r["split"], r["family"])].append(r)
    for split in SPLITS:
        os.makedirs(os.path.join(out_dir, split), exist_ok=True)
        for name in os.listdir(os.path.join(out_dir, split)):
            if name.endswith(".jsonl"):
                os.remove(os.path.join(out_dir, split, name))
    for (split, family), rs in sorted(files.items()):
        rs.sort(key=lambda r: r["id"])
        with open(os.path.join(out_dir, split, family + ".jsonl"), "w", encoding="utf-8", newline="\n") as f:
            for r in rs:
                f.write(json.dumps({k: r[k] for k in ("id", "text", "labels", "stage", "source", "split")},
                                   ensure_ascii=False) + "\n")
    write_sources(out_dir, sources, offline_path, rows, len(ROWS), len(conflicts))


def write_sources(out_dir, sources, offline_path, rows, raw, conflicts):
    lines = ["<!-- generated by prepare.py: do not edit by hand -->", "",
             "### Inputs", "", "| input (repository@commit:path) | licence | sha256 |", "|---|---|---|"]
    for s in sources:
        for name, lic, digest in s.inputs:
            lines.append(f"| `{name}` | {lic} | `{digest}` |")
    if offline_path:
        with open(offline_path, "rb") as f:
            lines.append(f"| StoryMagic `OfflineStories` ({OFFLINE_STORIES} stories, engine offline-1) | the project's own | `{hashlib.sha256(f.read()).hexdigest()}` |")
    for name in sorted(os.listdir(AUTHORED)):
        with open(os.path.join(AUTHORED, name), "rb") as f:
            lines.append(f"| `safety-eval/data/authored/{name}` | the project's own | `{hashlib.sha256(f.read()).hexdigest()}` |")
    lines += ["", f"{raw} rows read, {raw - len(rows) - conflicts} exact repeats removed, "
              f"{conflicts} texts dropped for conflicting labels, {len(rows)} rows written.", ""]
    lines += ["### Rows per split and label (a row counts once per label; `benign` = no label)", "",
              "| label | train | validation | test |", "|---|---:|---:|---:|"]
    counts = collections.Counter()
    for r in rows:
        for l in (r["labels"] or ["benign"]):
            counts[(l, r["split"])] += 1
    for l in sorted({l for l, _ in counts}):
        lines.append(f"| {l} | " + " | ".join(str(counts[(l, s)]) for s in SPLITS) + " |")
    lines += ["", "### Rows per split and source", "", "| source | stage | train | validation | test |", "|---|---|---:|---:|---:|"]
    sc = collections.Counter((r["source"], r["stage"], r["split"]) for r in rows)
    for src, stage in sorted({(a, b) for a, b, _ in sc}):
        lines.append(f"| {src} | {stage} | " + " | ".join(str(sc[(src, stage, s)]) for s in SPLITS) + " |")
    generated = "\n".join(lines) + "\n"
    path = os.path.join(out_dir, "SOURCES.md")
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    begin, end = "<!-- BEGIN GENERATED -->", "<!-- END GENERATED -->"
    i, j = doc.index(begin) + len(begin), doc.index(end)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(doc[:i] + "\n" + generated + doc[j:])


AUTHORED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "authored")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for key, (repo, _) in REPOS.items():
        ap.add_argument("--" + key, required=True, metavar="GIT_DIR", help=f"a clone or bare mirror of {repo}")
    ap.add_argument("--offline", required=True, help="JSONL written by OfflineStories")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    a = ap.parse_args()
    sources = []
    for key, fn in (("davidson", davidson), ("toxigen", toxigen), ("xstest", xstest), ("gptfuzz", gptfuzz),
                    ("selfinstruct", selfinstruct), ("hhrlhf", hhrlhf), ("tales", tales),
                    ("ailuminate", ailuminate), ("sst", sst), ("pair", pair)):
        s = Source(key, getattr(a, key))
        fn(s)
        sources.append(s)
    offline(a.offline)
    authored(AUTHORED)
    finish(a.out, sources, a.offline)
    print(f"wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
