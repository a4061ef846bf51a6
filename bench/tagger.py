"""How well the tagger reads: precision, recall and F1 beside simple keyword rules, and its speed.

    .venv/bin/python bench/tagger.py [--folds 5]

Every figure for the tagger is out of fold: each example is judged by heads re-fitted without it
(the choice of which art forms have a learned head is the one the shipped model made). The UK-CAT
keyword rules are UK-CAT's own regular expressions, run here on the same charities. On the activity
descriptions the keyword baseline tags a label wherever one of its taxonomy synonyms appears.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import defaultdict
from functools import cache
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "culturehub.config.settings")
os.environ.setdefault("DEBUG", "1")

from culturehub.vocabulary.tagger import lexicon, training, ukcat  # noqa: E402
from culturehub.vocabulary.tagger.engine import join_text, tag_text, tag_with  # noqa: E402
from culturehub.vocabulary.tagger.model import model_from_document, tagger_model  # noqa: E402
from culturehub.vocabulary.tagger.synonyms import TAXONOMY_DIR  # noqa: E402
from culturehub.vocabulary.tagger.training import Counts, Example  # noqa: E402


def out_of_fold_taggings(examples: list[Example], folds: int) -> dict[str, object]:
    learned = {name.split(":", 1)[1] for name in tagger_model().heads if name.startswith("art_form:")}
    taggings = {}
    for fold in range(folds):
        started = time.perf_counter()
        model = model_from_document(
            training.train(
                [e for e in examples if training.fold_of(e.id, folds) != fold], learned_art_forms=learned
            )
        )
        for example in examples:
            if training.fold_of(example.id, folds) == fold:
                taggings[example.id] = tag_with(model, **example.field_values)
        print(
            f"  fold {fold + 1} of {folds} fitted and read in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
    return taggings


@cache
def synonym_patterns(scheme: str) -> dict[str, re.Pattern]:
    terms = yaml.safe_load((TAXONOMY_DIR / f"{scheme}.yaml").read_text(encoding="utf-8"))["terms"]
    return {
        term["key"]: re.compile(r"\b(?:" + "|".join(re.escape(w.lower()) for w in term["synonyms"]) + r")\b")
        for term in terms
    }


def keyword_baseline(scheme: str, text: str) -> set[str]:
    """A label wherever one of its taxonomy synonyms appears: simple keyword rules."""
    lowered = text.lower()
    return {key for key, pattern in synonym_patterns(scheme).items() if pattern.search(lowered)}


def print_row(label: str, ours: Counts, theirs: Counts) -> None:
    print(
        f"  {label:22s} tagger P {ours.precision:.2f} R {ours.recall:.2f} F1 {ours.f1:.2f}"
        f"   baseline P {theirs.precision:.2f} R {theirs.recall:.2f} F1 {theirs.f1:.2f}"
    )


def score_labels(examples, predicted, baseline, gold, keys, title) -> None:
    ours, theirs = defaultdict(Counts), defaultdict(Counts)
    for example in examples:
        for key in keys:
            ours[key].add(key in predicted(example), key in gold(example))
            theirs[key].add(key in baseline(example), key in gold(example))
    scored = [key for key in keys if ours[key].true_positive + ours[key].false_negative]
    print(title)
    for key in scored:
        support = ours[key].true_positive + ours[key].false_negative
        print_row(f"{key} ({support})", ours[key], theirs[key])
    macro = sum(ours[k].f1 for k in scored) / len(scored)
    base_macro = sum(theirs[k].f1 for k in scored) / len(scored)
    print(f"  macro F1 over {len(scored)}: tagger {macro:.3f}   baseline {base_macro:.3f}")


def score_cultural(examples, taggings, baseline, title) -> None:
    ours, theirs = Counts(), Counts()
    for example in examples:
        ours.add(taggings[example.id].cultural, bool(example.cultural))
        theirs.add(baseline(example), bool(example.cultural))
    print(title)
    print_row(f"cultural ({ours.true_positive + ours.false_negative})", ours, theirs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folds", type=int, default=training.FOLDS)
    options = parser.parse_args()

    charities = training.ukcat_examples(ukcat.read_sample())
    activities = training.activity_examples()
    print(
        f"Re-fitting the heads on {options.folds} folds of {len(charities)} charities and "
        f"{len(activities)} activity descriptions..."
    )
    taggings = out_of_fold_taggings(charities + activities, options.folds)
    rules = ukcat.KeywordRules()
    rule_codes = {example.id: rules.codes(example.text) for example in charities}

    scored = [example for example in charities if example.cultural is not None]
    score_cultural(
        scored,
        taggings,
        lambda e: ukcat.cultural_from_codes(rule_codes[e.id]) is True,
        f"\nUK-CAT charity sample ({len(scored)} charities; baseline: UK-CAT's keyword rules)",
    )
    score_labels(
        charities,
        lambda e: set(taggings[e.id].keys("art_forms")),
        lambda e: ukcat.art_forms_from_codes(rule_codes[e.id]),
        lambda e: e.art_forms,
        ukcat.SCORED_ART_FORMS,
        "Art forms on the UK-CAT sample (UK-CAT codes mapped to art forms)",
    )
    coded_cultural = [example for example in charities if example.cultural]
    score_labels(
        coded_cultural,
        lambda e: set(taggings[e.id].keys("art_forms")),
        lambda e: ukcat.art_forms_from_codes(rule_codes[e.id]),
        lambda e: e.art_forms,
        ukcat.SCORED_ART_FORMS,
        f"Art forms on the {len(coded_cultural)} charities UK-CAT coded as arts or heritage",
    )

    score_cultural(
        activities,
        taggings,
        lambda e: bool(keyword_baseline("art_forms", e.text)),
        f"\nActivity descriptions labelled by the rubric ({len(activities)}; baseline: taxonomy keywords)",
    )
    score_labels(
        activities,
        lambda e: set(taggings[e.id].keys("art_forms")),
        lambda e: keyword_baseline("art_forms", e.text),
        lambda e: e.art_forms,
        tuple(lexicon.ART_FORM_CUES),
        "Art forms on the activity descriptions",
    )
    score_labels(
        activities,
        lambda e: set(taggings[e.id].keys("themes")),
        lambda e: keyword_baseline("themes", e.text),
        lambda e: e.themes or frozenset(),
        tuple(lexicon.THEME_CUES),
        "Priority themes on the activity descriptions",
    )

    texts = [dict(example.field_values) for example in charities]
    started = time.perf_counter()
    for fields in texts:
        tag_text(**fields)
    elapsed = time.perf_counter() - started
    mean_length = sum(len(join_text(**fields)) for fields in texts) / len(texts)
    print(
        f"\nThroughput: {len(texts) / elapsed:.0f} organisations a second "
        f"({len(texts)} charities, mean {mean_length:.0f} characters)"
    )


if __name__ == "__main__":
    main()
