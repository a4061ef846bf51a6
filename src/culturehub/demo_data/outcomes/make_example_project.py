"""Write the demo's example outcome project, `example_project.yaml`. Run by hand; never by the product.

    python make_example_project.py            # writes example_project.yaml beside this script
    python make_example_project.py --check    # prints the summary, writes nothing

Everything it writes is INVENTED: there are no real participants behind any code, answer or story. It
draws a plausible arts-on-prescription course (three 12-week courses of 18 people, measured at the
first session, the last session and three months later) from a seeded random generator, so the same
file comes out every time and the demo is deterministic. The committed file is its output; change the
numbers here, run it again and commit both.

What "plausible" means here, so the demo does not oversell: most people start with low wellbeing (a
SWEMWBS metric mean near 19, below the population mean of about 23.5), the mean change to the end of
the course is modest (about +2 metric points, some people decline), about one in six stop coming before
the end, and fewer answer at the follow-up, where part of the gain has faded.

Only the standard library and PyYAML are needed.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
from datetime import date
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "example_project.yaml"
SWEMWBS_TABLE = HERE.parents[1] / "outcomes" / "data" / "swemwbs_raw_to_metric.csv"
SEED = 20250203  # the first session of the first course

COURSES = (
    # name, first session, last session (12 weekly sessions), follow-up month
    ("Spring 2025", date(2025, 2, 3), date(2025, 4, 21)),
    ("Summer 2025", date(2025, 5, 12), date(2025, 7, 28)),
    ("Autumn 2025", date(2025, 9, 8), date(2025, 11, 24)),
)
PEOPLE_PER_COURSE = 18
SESSIONS_PER_COURSE = 12
AGE_BANDS = {  # adults referred to an arts-on-prescription course: mostly middle-aged and older
    "16_24": 3,
    "25_34": 6,
    "35_44": 8,
    "45_54": 10,
    "55_64": 11,
    "65_74": 9,
    "75_84": 5,
    "not_said": 2,
}
REFERRED_BY = {
    "Social prescribing link worker": 24,
    "GP practice": 14,
    "Community mental health team": 8,
    "Self-referral": 8,
}
FINISH_RATE = 0.83  # answer at the last session
FOLLOW_UP_RATE = 0.72  # of those who finished, answer three months later
FADE = 0.7  # share of the end-of-course change still there at follow-up

HEADER = """\
# INVENTED EXAMPLE DATA for the Culture Hub demo. NOT REAL DATA.
#
# No real person is behind any participant code, age band, answer or story in this file. It was made
# up by make_example_project.py (a seeded random generator, so it comes out the same every time) to
# show how an outcome project looks. Do not cite these figures as evidence of anything.
#
# Loaded by `culturehub manage load_outcomes_demo` (and at the end of `culturehub load-demo`) through
# the outcomes services, after the directory examples. Written for Culture Hub: no source, no licence.
#
# Responses, per measurement point:
#   swemwbs: the 7 item answers, 1-5, in item order (the item wording is licensed and not shipped)
#   ons4:    life satisfaction, worthwhile, happiness, anxiety, each 0-10
#   ucla3:   the 3 item answers, 1-3 (hardly ever, some of the time, often)
"""


PROJECT = {
    "version": 1,
    # Who delivers it, what and where: names from the directory examples (demo_data/directory).
    "organisation": "Example Severn Vale Studio",
    "offers": ["Example Arts on Prescription"],
    "places": ["E10000013"],  # Gloucestershire
    "project": {
        "title": "Example Creative Wellbeing Course 2025",
        "summary": (
            "An invented example. Three 12-week arts on prescription courses at the studio, each for 18 "
            "adults referred by link workers, GP practices or mental health teams, or referring "
            "themselves: drawing, printmaking and clay in small groups, with tea and time to talk."
        ),
        "kind": "commissioned",
        "funder_name": "Example Gloucestershire Social Prescribing Fund",
        "start_date": date(2025, 2, 3),
        "end_date": date(2026, 2, 27),
        "instruments": ["swemwbs", "ons4", "ucla3"],
        "outcomes": ["improved_mental_wellbeing", "reduced_anxiety_low_mood", "reduced_loneliness"],
        "themes": ["non_medical", "mental_health", "isolation"],
        "min_cell_size": 10,
        "retention_months": 24,
        "consent_version": "v1, January 2025",
        "consent_wording": (
            "I agree that my answers to the questionnaires, without my name, are used to see how well "
            "the course works and to report on it to the people who fund it."
        ),
    },
    "story_consent_wording": (
        "I agree that my story, with no name and only the course and a rough age, is included in the "
        "course's report and shown to the people who fund it."
    ),
    "measurement_points": [
        ["pre", "Baseline (first session)"],
        ["post", "End of course (week 12)"],
        ["followup", "Three-month follow-up"],
    ],
    "fields": [
        {
            "name": "Course",
            "purpose": "To compare the three courses and plan the next ones.",
            "choices": [course for course, _first, _last in COURSES],
        },
        {
            "name": "Referred by",
            "purpose": "To tell the commissioner how people reached the course.",
            "choices": list(REFERRED_BY),
        },
    ],
}
STORIES = (
    # course, title, text (written for the demo: no real person said these words)
    (
        "Spring 2025",
        "Something to get up for",
        "Before the course I hardly left the flat. Having Monday mornings at the studio gave the week a "
        "shape. I was sure I couldn't draw, and I still can't much, but the printmaking was something "
        "else. I've kept going to the open studio on Thursdays.",
    ),
    (
        "Summer 2025",
        "Talking without having to talk",
        "It was easier to be with people when our hands were busy with the clay. Nobody asked why I was "
        "there. By week six I was staying for the tea afterwards, which I would not have done at the start.",
    ),
    (
        "Autumn 2025",
        "Not a cure, but it helped",
        "Some weeks were hard and I missed a couple. It didn't fix everything, but I feel less on my own "
        "and I've got a sketchbook full of things I made. The link worker helped me find a group to go "
        "on with.",
    ),
)
AGE_WORDS = {
    "16_24": "in their late teens or early twenties",
    "25_34": "in their late twenties or early thirties",
    "35_44": "around forty",
    "45_54": "around fifty",
    "55_64": "around sixty",
    "65_74": "around seventy",
    "75_84": "around eighty",
    "85_plus": "over eighty-five",
}


def swemwbs_metric() -> dict[int, float]:
    with SWEMWBS_TABLE.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        return {int(row["swemwbs_raw_score"]): float(row["swemwbs_metric_score"]) for row in rows}


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class Person:
    """One invented participant: a latent wellbeing, loneliness and benefit, and the answers they imply."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.wellbeing = rng.gauss(2.95, 0.45)  # on the 1-5 item scale
        self.loneliness = rng.gauss(2.2, 0.4)  # on the 1-3 item scale
        self.mood = rng.gauss(0, 1.4)  # how ONS4 answers sit apart from SWEMWBS
        self.benefit = rng.gauss(1.0, 1.0)  # negative for the people who decline

    def answers(self, change: float) -> dict[str, list[int]]:
        rng = self.rng
        wellbeing = self.wellbeing + 0.42 * change
        loneliness = self.loneliness - 0.32 * change
        offsets = (0.1, -0.2, 0.1, 0.0, 0.2, -0.1, -0.1)  # some items run a little higher than others
        swemwbs = [_clamp(wellbeing + offset + rng.gauss(0, 0.45), 1, 5) for offset in offsets]
        level = 5 + 2.4 * (wellbeing - 2.95) + self.mood
        ons4 = [
            _clamp(level + rng.gauss(0, 0.9), 0, 10),
            _clamp(level + 0.6 + rng.gauss(0, 0.9), 0, 10),
            _clamp(level - 0.2 + rng.gauss(0, 1.1), 0, 10),
            _clamp(10 - level - 0.3 + rng.gauss(0, 1.4), 0, 10),  # anxiety: higher is worse
        ]
        ucla3 = [_clamp(loneliness + rng.gauss(0, 0.4), 1, 3) for _ in range(3)]
        return {"swemwbs": swemwbs, "ons4": ons4, "ucla3": ucla3}


def generate(rng: random.Random) -> dict:
    participants, attendance = [], []
    number = 0
    for course, first, last in COURSES:
        attendances = 0
        for _ in range(PEOPLE_PER_COURSE):
            number += 1
            person = Person(rng)
            finished = rng.random() < FINISH_RATE
            # The change a person shows at the end: their benefit plus the noise of answering on one day.
            change = person.benefit + rng.gauss(0, 0.5)
            responses = {"pre": person.answers(0.0)}
            if finished:
                responses["post"] = person.answers(change)
                if rng.random() < FOLLOW_UP_RATE:
                    responses["followup"] = person.answers(FADE * change + rng.gauss(0, 0.4))
                attendances += rng.randint(8, SESSIONS_PER_COURSE)
            else:
                attendances += rng.randint(1, 5)
            participants.append(
                {
                    "code": f"EX-{number:03}",
                    "age_band": _weighted(rng, AGE_BANDS),
                    "consent_date": first,
                    "fields": {"course": course, "referred_by": _weighted(rng, REFERRED_BY)},
                    "responses": responses,
                }
            )
        attendance.append(
            {
                "period_start": first,
                "period_end": last,
                "sessions": SESSIONS_PER_COURSE,
                "attendances": attendances,
                "unique_people": PEOPLE_PER_COURSE,
                "notes": f"{course} course: {SESSIONS_PER_COURSE} weekly two-hour sessions at the studio.",
            }
        )
    return {"participants": participants, "attendance": attendance}


def stories(participants: list[dict]) -> list[dict]:
    """One story per course, told by someone in it who finished and felt better (as people who share a
    story usually did); the attribution gives only the course and a rough age."""
    table = swemwbs_metric()

    def change(person: dict) -> float:
        responses = person["responses"]
        return table[sum(responses["post"]["swemwbs"])] - table[sum(responses["pre"]["swemwbs"])]

    chosen = []
    for course, title, text in STORIES:
        last = next(last for name, _first, last in COURSES if name == course)
        teller = next(
            p
            for p in participants
            if p["fields"]["course"] == course
            and p["age_band"] in AGE_WORDS
            and "post" in p["responses"]
            and change(p) >= 2
        )
        chosen.append(
            {
                "participant": teller["code"],
                "title": title,
                "text": text,
                "attribution": f"A participant {AGE_WORDS[teller['age_band']]}, {course.lower()} course",
                "consent_date": last,
            }
        )
    return chosen


def summary(participants: list[dict]) -> list[str]:
    """The figures to check before committing: counts, and the mean paired change of each measure."""
    table = swemwbs_metric()
    lines = []
    for later in ("post", "followup"):
        pairs = [p["responses"] for p in participants if later in p["responses"]]
        swemwbs = [table[sum(r[later]["swemwbs"])] - table[sum(r["pre"]["swemwbs"])] for r in pairs]
        baseline = statistics.mean(table[sum(r["pre"]["swemwbs"])] for r in pairs)
        lines.append(
            f"pre -> {later}: n={len(pairs)}; SWEMWBS baseline mean {baseline:.2f}, change "
            f"{statistics.mean(swemwbs):+.2f} (sd {statistics.stdev(swemwbs):.2f}), "
            f"{sum(d < 0 for d in swemwbs)} declined"
        )
        for index, name in enumerate(("life satisfaction", "worthwhile", "happiness", "anxiety")):
            change = statistics.mean(r[later]["ons4"][index] - r["pre"]["ons4"][index] for r in pairs)
            lines.append(f"    ONS4 {name}: {change:+.2f}")
        ucla = statistics.mean(sum(r[later]["ucla3"]) - sum(r["pre"]["ucla3"]) for r in pairs)
        lines.append(f"    UCLA-3: {ucla:+.2f}")
    return [f"participants: {len(participants)}", *lines]


class _Dumper(yaml.SafeDumper):
    """Block style for mappings, one line for a list of answers, and no anchors for repeated dates."""

    def ignore_aliases(self, data) -> bool:
        return True


def _list(dumper: yaml.SafeDumper, values: list):
    flow = all(not isinstance(value, (dict, list)) for value in values)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", values, flow_style=flow)


_Dumper.add_representer(list, _list)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print the summary and write nothing")
    arguments = parser.parse_args(argv)
    generated = generate(random.Random(SEED))  # noqa: S311  invented data, not secrets
    document = {
        **PROJECT,
        "attendance": generated["attendance"],
        "stories": stories(generated["participants"]),
        "participants": generated["participants"],
    }
    print("\n".join(summary(generated["participants"])))
    if not arguments.check:
        body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=105)
        OUTPUT.write_text(HEADER + body, encoding="utf-8")
        print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
