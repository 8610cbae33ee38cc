#!/usr/bin/env python3
"""Synthetic documents for bench/server/load.sh: reference documents and 5,000-word submissions.

gen.py refs SRC_DIR OUT_DIR COUNT  -- COUNT synthetic references (~1,000 words each) drawn from SRC_DIR's vocabulary
gen.py subs SRC_DIR OUT_DIR COUNT  -- COUNT submissions of 5,000 words: filler plus 3 passages of 150 words copied
                                      from random SRC_DIR sources (so each check has something to find and align)
Deterministic (seeded) so runs are comparable."""
import os, random, sys

mode, src, out, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rng = random.Random(12)
files = sorted(os.listdir(src))
texts = []
for f in files:
    with open(os.path.join(src, f), encoding="utf-8", errors="replace") as h:
        texts.append(h.read().split())
vocab = [w for t in texts[:400] for w in t]
os.makedirs(out, exist_ok=True)

def filler(n):
    return [rng.choice(vocab) for _ in range(n)]

def lines(words, per=15):
    return "\n".join(" ".join(words[i:i + per]) for i in range(0, len(words), per)) + "\n"

for i in range(count):
    if mode == "refs":
        words = filler(1000)
    else:
        words = filler(5000 - 3 * 150)
        for _ in range(3):
            t = rng.choice([t for t in (rng.choice(texts) for _ in range(5)) if len(t) > 200] or [vocab])
            s = rng.randrange(0, len(t) - 150)
            at = rng.randrange(0, len(words))
            words[at:at] = t[s:s + 150]
    with open(os.path.join(out, f"{mode}-{i:05d}.txt"), "w", encoding="utf-8") as h:
        h.write(lines(words))
