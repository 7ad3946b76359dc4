"""`oniondex quality tags`: drug-trade tag quality on the project's ad corpus (dev and held-out reported
apart) and on the sample darknet's tag truth."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register_tags(targets: argparse._SubParsersAction) -> None:
    parser = targets.add_parser("tags", help="ad precision/recall/F1 and per-tag scores on the labelled ad corpus")
    parser.add_argument("--corpus", type=Path, default=None, help="a directory with dev.yaml and heldout.yaml")
    parser.add_argument("--no-darknet", action="store_true", help="skip the sample darknet's tag truth")
    parser.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    parser.add_argument("--errors", type=int, default=10, help="list up to this many wrong posts per split")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from oniondex.quality.tags import CORPUS_DIR, TARGETS, measure_corpus, measure_sample_darknet

    splits = measure_corpus(args.corpus or CORPUS_DIR)
    darknet = None
    if not args.no_darknet:
        from sample_darknet.world import build_world

        darknet = measure_sample_darknet(build_world())
    passes = all(q.passes for q in splits.values())
    if args.json:
        out = {name: {**q.as_dict(), "errors": q.errors[: args.errors]} for name, q in splits.items()}
        out.update(targets=TARGETS, passes=passes, sample_darknet=darknet.as_dict() if darknet else None)
        print(json.dumps(out, ensure_ascii=False))
        return 0 if passes else 1
    print(
        f"targets: ad F1 >= {TARGETS['ad_f1']}, disguised-ad recall >= {TARGETS['disguised_ad_recall']}, "
        f"innocent pages tagged <= {TARGETS['innocent_tagged_max']:.0%} (dev tunes the rule; heldout does not)"
    )
    for name, quality in splits.items():
        print(f"\n{name}: {quality.posts} posts  {'PASS' if quality.passes else 'FAIL'}")
        print(f"  {'ads':<11}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}{'f1':>8}")
        for group in ("all", "ko", "en", "plain", "disguised"):
            c = quality.ads[group]
            print(f"  {group:<11}{c.tp:>5}{c.fp:>5}{c.fn:>5}{c.precision:>11.3f}{c.recall:>8.3f}{c.f1:>8.3f}")
        innocent = ", ".join(f"{lang} {t}/{n} ({t / n:.1%})" for lang, (t, n) in sorted(quality.innocent.items()) if n)
        print(f"  innocent pages tagged: {innocent}")
        news = ", ".join(f"{lang} {r}/{n}" for lang, (r, n) in sorted(quality.news.items()) if n)
        print(f"  news reports tagged drug-news only: {news}")
        print("  per tag: " + ", ".join(
            f"{tag} P {c.precision:.2f} R {c.recall:.2f}" for tag, c in sorted(quality.per_tag.items())
        ))  # fmt: skip
        for error in quality.errors[: args.errors]:
            print(f"  wrong: {error['id']} expected {error['expected']} got {error['got']}: {error['text']}")
    if darknet:
        print(
            f"\nsample darknet drug tags: tp {darknet.tp} fp {darknet.fp} fn {darknet.fn} "
            f"precision {darknet.precision:.3f} recall {darknet.recall:.3f}"
        )
    print("PASS" if passes else "FAIL")
    return 0 if passes else 1
