"""The outcome report of one project: what was delivered, who took part, what changed, what it is worth,
and how far the evidence goes. One selector builds it; the page and the PDF render the same object.

    project_report(user=..., pk=...) -> OutcomeReport      (Http404 for anyone who may not see it)
    report_pdf(html=...) -> bytes                           (WeasyPrint, no network fetches)

Disclosure control: for anyone outside the delivering organisation (ProjectAccess.suppress_small_counts)
counts under the project's minimum cell size are hidden, with any other count that would give a hidden
one away (statistics.suppress_counts), and no statistic is shown for a group under that size. Subgroup
statistics need that many pairs in every group shown, for everyone: below it they say more about chance
than about the project. No participant code reaches the report, whoever reads it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import slugify

from culturehub.outcomes.instruments import INSTRUMENTS, Instrument, Measure, custom_instrument
from culturehub.outcomes.models import (
    AggregateSnapshot,
    CustomQuestion,
    MeasurementPoint,
    Participant,
    Project,
    ProjectField,
)
from culturehub.outcomes.permissions import ProjectAccess
from culturehub.outcomes.selectors import project_get, project_response_records, project_stories
from culturehub.outcomes.services import project_threshold
from culturehub.outcomes.statistics import (
    PairedChange,
    WellbyEstimate,
    WellbyRefusedError,
    pair_by_participant,
    paired_change,
    suppress_counts,
    wellby_value,
)
from culturehub.places import charts

NOT_RECORDED = "Not recorded"
SMALL_STUDY = 30  # below this many pairs the interval is wide enough to say so in the caveats
WELLBY_YEARS = 1

NESTA_LEVELS = (
    (1, "You can say what you do, for whom, and why it should make a difference: a clear account of the "
        "change you expect and the reasons for expecting it."),
    (2, "You have measured a change among the people you worked with, for example before and after. "
        "This shows that things changed, not that your work changed them."),
    (3, "You can show your work caused some of the change, because you compared the people you worked "
        "with against a similar group who did not take part (ideally chosen at random)."),
    (4, "Someone independent has evaluated the work, or repeated it, and found the same effect, and you "
        "can say what it costs for what it achieves."),
    (5, "The work is set down well enough (manuals, training, checks) for others to deliver it elsewhere "
        "or at a larger scale and still get the same result."),
)

WELLBY_ASSUMPTION_LABELS = (
    ("definition", "What a WELLBY is"),
    ("mean_change_in_life_satisfaction", "Mean change in life satisfaction (0 to 10)"),
    ("people", "People counted"),
    ("years", "Years the change is assumed to last"),
    ("value_per_wellby_gbp", "Value of one WELLBY"),
    ("range_per_wellby_gbp", "Range of values for one WELLBY"),
    ("price_base", "Prices"),
    ("discounting", "Discounting"),
    ("persistence", "Persistence"),
    ("attribution", "Attribution"),
    ("source", "Source"),
)


# ---------------------------------------------------------------------------------------------------
# What the report holds
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """How many of the paired people improved, changed less than the threshold, or declined."""

    improved: int | None
    unchanged: int | None
    declined: int | None
    pct_improved: float | None

    @property
    def any_hidden(self) -> bool:
        return None in (self.improved, self.unchanged, self.declined)


@dataclass(frozen=True)
class ChangeRow:
    """Change in one measure from the baseline to one later point, for everyone paired."""

    instrument: str
    measure: str
    label: str  # the measure's name
    followup: str  # the later point's key
    followup_name: str
    higher_is_better: bool
    threshold: float
    at_baseline: int | None  # None when hidden, or not kept (reports from a snapshot)
    paired: int | None
    no_followup: int | None
    change: PairedChange | None  # None: the statistics are not shown (reason says why)
    distribution: Distribution | None = None
    reason: str = ""

    @property
    def shown(self) -> bool:
        return self.change is not None

    @property
    def direction(self) -> str:
        return "higher is better" if self.higher_is_better else "lower is better"

    @property
    def result_key(self) -> str:
        return result_key(self.change)

    @property
    def result_text(self) -> str:
        return RESULT_TEXT.get(self.result_key, "Not compared")


# What the result means is explained once, under each table.
RESULT_TEXT = {"better": "Improved", "worse": "Worse", "similar": "No clear change"}


def result_key(change: PairedChange | None) -> str:
    """better / worse / similar by where the 95% interval of the mean change lies, in the measure's own
    good direction (for anxiety and loneliness a fall is an improvement); "" without an interval."""
    if change is None or change.ci95_low is None or change.ci95_high is None:
        return ""
    low, high = change.ci95_low, change.ci95_high
    if not change.higher_is_better:
        low, high = -high, -low
    if low > 0:
        return "better"
    if high < 0:
        return "worse"
    return "similar"


@dataclass(frozen=True)
class SubgroupRow:
    label: str
    change: PairedChange

    @property
    def result_key(self) -> str:
        return result_key(self.change)


@dataclass(frozen=True)
class SubgroupAnalysis:
    """One measure's change at one later point, by one characteristic of the participants."""

    variable: str
    label: str
    followup_name: str
    rows: tuple[SubgroupRow, ...]
    not_shown: str = ""  # why some groups, or the whole breakdown, are not shown


@dataclass
class InstrumentSection:
    key: str
    name: str
    minimum: float
    maximum: float
    rows: list[ChangeRow]
    subgroups: list[SubgroupAnalysis] = field(default_factory=list)
    threshold_sources: list[tuple[str, str]] = field(default_factory=list)  # (measure label, source)

    @property
    def chart(self) -> SafeString | None:
        shown = [row for row in self.rows if row.shown and row.change.mean_pre is not None]
        if not shown:
            return None
        several_points = len({row.followup for row in self.rows}) > 1
        return charts.before_after_chart(
            rows=[
                charts.BeforeAfterRow(
                    label=f"{row.label}, {row.followup_name}" if several_points else row.label,
                    before=row.change.mean_pre,
                    after=row.change.mean_post,
                    result_key=row.result_key,
                    direction=row.direction,
                    result_label=row.result_text,
                )
                for row in shown
            ],
            minimum=self.minimum,
            maximum=self.maximum,
            title=f"{self.name}: mean score before and after, for the same people",
            chart_id=f"chart-{slugify(self.key)}",
        )

    @property
    def distribution_chart(self) -> SafeString | None:
        """Drawn from the rows whose counts are all shown: a bar with a hidden part would give it away."""
        shown = [row for row in self.rows if row.distribution is not None and not row.distribution.any_hidden]
        if not shown:
            return None
        return charts.change_distribution_chart(
            rows=[
                charts.DistributionRow(
                    label=f"{row.label}, {row.followup_name}",
                    improved=row.distribution.improved,
                    unchanged=row.distribution.unchanged,
                    declined=row.distribution.declined,
                )
                for row in shown
            ],
            title=f"{self.name}: how many people changed by at least the meaningful-change threshold",
            chart_id=f"distribution-{slugify(self.key)}",
        )


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int | None


@dataclass(frozen=True)
class CountTable:
    title: str
    rows: tuple[CountRow, ...]
    total: int | None


@dataclass(frozen=True)
class DeliveryRow:
    period: str
    sessions: int
    attendances: int | None
    unique_people: int | None


@dataclass(frozen=True)
class Delivery:
    rows: tuple[DeliveryRow, ...]
    sessions: int
    attendances: int | None
    unique_people: int | None  # the sum over periods: someone who came in two periods counts twice


@dataclass(frozen=True)
class WellbyRow:
    followup_name: str
    estimate: WellbyEstimate
    ci_low: WellbyEstimate | None  # the same sum at the ends of the 95% interval of the change
    ci_high: WellbyEstimate | None

    @property
    def assumptions(self) -> list[tuple[str, object]]:
        """(label, value) in reading order; sums of money as pounds."""
        given = self.estimate.assumptions

        def shown(key):
            value = given[key]
            if key.endswith("_gbp"):
                values = value if isinstance(value, list | tuple) else [value]
                return " to ".join(f"£{amount:,.0f}" for amount in values)
            return value

        return [(label, shown(key)) for key, label in WELLBY_ASSUMPTION_LABELS if key in given]


@dataclass(frozen=True)
class StoryItem:
    title: str
    text: str
    attribution: str
    consent_date: object


@dataclass
class OutcomeReport:
    project: Project
    access: ProjectAccess
    generated_at: datetime
    points: list[MeasurementPoint]
    delivery: Delivery
    participants: int | None
    who: list[CountTable]
    sections: list[InstrumentSection]
    wellby: list[WellbyRow]
    wellby_notes: list[str]
    stories: list[StoryItem]
    evidence_level: int
    caveats: list[tuple[str, str]]
    snapshot: AggregateSnapshot | None = None
    data_deleted: bool = False

    @property
    def suppressing(self) -> bool:
        return self.access.suppress_small_counts

    @property
    def min_cell_size(self) -> int:
        return self.project.min_cell_size

    @property
    def baseline(self) -> MeasurementPoint | None:
        return self.points[0] if self.points else None

    @property
    def nesta_levels(self):
        return NESTA_LEVELS

    @property
    def subgroup_min(self) -> int:
        return self.project.min_cell_size

    @property
    def filename(self) -> str:
        name = slugify(self.project.title)[:60] or "project"
        return f"{name}-outcome-report-{self.generated_at:%Y-%m-%d}.pdf"


# ---------------------------------------------------------------------------------------------------
# Building it
# ---------------------------------------------------------------------------------------------------


def _project_instruments(project: Project, questions: list[CustomQuestion]) -> list[Instrument]:
    """The project's instruments in its order, own questions built from the rows already read (no query
    per instrument)."""
    own = {question.key: question for question in questions}
    found = []
    for key in project.instruments:
        if key in INSTRUMENTS:
            found.append(INSTRUMENTS[key])
        elif key in own:
            question = own[key]
            found.append(
                custom_instrument(
                    question.key,
                    question=question.question,
                    minimum=question.minimum,
                    maximum=question.maximum,
                    higher_is_better=question.higher_is_better,
                    meaningful_change=question.meaningful_change,
                )
            )
    return found


def _distribution(change: PairedChange | None, *, suppress: bool, min_count: int) -> Distribution | None:
    if change is None or change.n_improved is None or change.n_declined is None:
        return None
    counts = {
        "improved": change.n_improved,
        "unchanged": change.n_paired - change.n_improved - change.n_declined,
        "declined": change.n_declined,
    }
    if suppress:
        table = suppress_counts(counts, min_count=min_count)
        shown = dict(table.cells["count"])
        if table.grand_total is None:
            # The number paired is published beside the statistics, so if these cells could only be
            # protected by hiding their total, none of them is shown.
            shown = dict.fromkeys(shown)
        counts = shown
    return Distribution(
        improved=counts["improved"],
        unchanged=counts["unchanged"],
        declined=counts["declined"],
        pct_improved=change.pct_improved if counts["improved"] is not None else None,
    )


def _pairing_counts(
    pairings: dict[str, tuple[int, int]], *, suppress: bool, min_count: int
) -> dict[str, tuple[int | None, int | None, int | None]]:
    """(at baseline, paired, without a follow-up) per later point. For outsiders the number paired is
    shown when it reaches `min_count` (the statistics rest on it); the baseline and no-follow-up counts
    only when every count of every point reaches it. Any two of the three give the third, and every point
    shares one baseline, so showing them more selectively would give hidden counts away."""
    if not suppress:
        return {point: (paired + lost, paired, lost) for point, (paired, lost) in pairings.items()}
    all_large = all(min(paired, lost) >= min_count for paired, lost in pairings.values())
    return {
        point: (
            paired + lost if all_large else None,
            paired if paired >= min_count else None,
            lost if all_large else None,
        )
        for point, (paired, lost) in pairings.items()
    }


def _subgroups(
    variable: str,
    group_of: Callable[[int], str],
    pairs: Iterable[tuple[int, float, float]],
    *,
    threshold: float,
    higher_is_better: bool,
    min_n: int,
    suppress: bool,
) -> tuple[tuple[SubgroupRow, ...], str]:
    """Statistics by group: only groups of at least `min_n` pairs. Smaller groups are put together as
    one when that reaches `min_n`; otherwise they are left out, and for outsiders the whole breakdown is
    left out (the shown groups and the overall count would give the rest away)."""
    groups: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for participant, pre, post in pairs:
        groups[group_of(participant)].append((pre, post))
    if len(groups) < 2:
        return (), f"Everyone paired has the same {variable.lower()}: there is nothing to compare."
    large = {name: values for name, values in groups.items() if len(values) >= min_n}
    small = {name: values for name, values in groups.items() if len(values) < min_n}
    shown = dict(sorted(large.items()))
    note = ""
    if small:
        together = [pair for values in small.values() for pair in values]
        names = ", ".join(sorted(small))
        if len(together) >= min_n:
            shown[f"Other groups together ({names})"] = together
            note = f"Groups with fewer than {min_n} paired responses are shown together: {names}."
        elif suppress:
            return (), (
                f"Not shown: at least one group has fewer than {min_n} paired responses, and showing "
                "the others would give its figures away."
            )
        else:
            note = (
                f"Not shown: {names}, with fewer than {min_n} paired responses between them, too few for "
                "the statistics to mean much."
            )
    if len(shown) < 2:
        return (), (
            f"Not shown: fewer than two groups have {min_n} or more paired responses (counting smaller "
            "groups together), so there is nothing to compare."
        )
    rows = tuple(
        SubgroupRow(
            label=name,
            change=paired_change(
                [pre for pre, _post in values],
                [post for _pre, post in values],
                threshold=threshold,
                higher_is_better=higher_is_better,
                min_n=min_n,
            ),
        )
        for name, values in shown.items()
    )
    return rows, note


@dataclass(frozen=True)
class _People:
    """What the report may use about participants: their groups (never their codes, except to remove
    them from stories)."""

    groups: dict[int, dict[str, str]]  # participant id -> variable name -> group label
    variables: list[str]
    codes: list[str]


def _people(project: Project, fields_with_choices: list[ProjectField]) -> _People:
    bands = dict(Participant.AgeBand.choices)
    groups: dict[int, dict[str, str]] = {}
    codes = []
    for pk, code, band, values in project.participants.values_list("pk", "code", "age_band", "field_values"):
        codes.append(code)
        groups[pk] = {"Age band": bands.get(band, NOT_RECORDED) if band else NOT_RECORDED}
        for definition in fields_with_choices:
            value = (values or {}).get(definition.key) or ""
            groups[pk][definition.name] = str(value) if value in definition.choices else NOT_RECORDED
    return _People(groups=groups, variables=["Age band", *(f.name for f in fields_with_choices)], codes=codes)


def _who_took_part(
    people: _People, fields_with_choices: list[ProjectField], *, suppress: bool, min_count: int
) -> list[CountTable]:
    orders = {"Age band": [label for key, label in Participant.AgeBand.choices]}
    orders.update({item.name: [str(choice) for choice in item.choices] for item in fields_with_choices})
    tables = []
    for variable in people.variables:
        counts = dict.fromkeys([*orders[variable], NOT_RECORDED], 0)
        for groups in people.groups.values():
            counts[groups[variable]] += 1
        if not suppress:
            # Inside the organisation empty groups are left out for brevity; outside, every group is
            # listed, since leaving one out would say it is empty.
            tables.append(
                CountTable(
                    title=variable,
                    rows=tuple(CountRow(label, count) for label, count in counts.items() if count),
                    total=sum(counts.values()),
                )
            )
            continue
        table = suppress_counts(counts, min_count=min_count)
        cells = table.cells["count"]
        tables.append(
            CountTable(
                title=variable,
                rows=tuple(CountRow(label, cells[label]) for label in counts),
                total=table.grand_total,
            )
        )
    if any(table.total is None for table in tables):
        # Every table counts the same people: one total shown would give away another hidden.
        tables = [CountTable(title=table.title, rows=table.rows, total=None) for table in tables]
    return tables


def _delivery(project: Project, *, suppress: bool, min_count: int) -> Delivery:
    records = list(project.attendance_records.all())

    def period(record) -> str:
        if record.period_start:
            return f"{record.period_start:%-d %b %Y} to {record.period_end:%-d %b %Y}"
        return "Whole project"

    keys = [str(index) for index in range(len(records))]
    attendances = {key: record.attendances for key, record in zip(keys, records, strict=True)}
    people = {key: record.unique_people for key, record in zip(keys, records, strict=True)}
    attendance_total, people_total = sum(attendances.values()), sum(people.values())
    if suppress and records:
        shown_attendances = suppress_counts(attendances, min_count=min_count)
        shown_people = suppress_counts(people, min_count=min_count)
        attendances, attendance_total = dict(shown_attendances.cells["count"]), shown_attendances.grand_total
        people, people_total = dict(shown_people.cells["count"]), shown_people.grand_total
    return Delivery(
        rows=tuple(
            DeliveryRow(period(record), record.sessions, attendances[key], people[key])
            for key, record in zip(keys, records, strict=True)
        ),
        sessions=sum(record.sessions for record in records),
        attendances=attendance_total if records else None,
        unique_people=people_total if records else None,
    )


def _change_from_snapshot(item: dict) -> PairedChange:
    names = {f.name for f in fields(PairedChange)}
    values = {name: item.get(name) for name in names}
    values["warnings"] = tuple(item.get("warnings") or ())
    values["suppressed"] = bool(item.get("suppressed"))
    return PairedChange(**values)


def _rows_from_snapshot(
    snapshot: AggregateSnapshot,
    instrument: Instrument,
    measure: Measure,
    threshold: float,
    later: list[MeasurementPoint],
    *,
    suppress: bool,
    min_count: int,
) -> list[ChangeRow]:
    kept = {
        (item.get("instrument"), item.get("measure"), item.get("followup")): item
        for item in (snapshot.data or {}).get("paired_change", [])
    }
    rows = []
    for point in later:
        item = kept.get((instrument.key, measure.key, point.key))
        change = _change_from_snapshot(item) if item else None
        paired = change.n_paired if change else None
        if paired is not None and suppress and paired < min_count:
            paired = None
        reason = ""
        if change is None:
            reason = "No figures were kept for this measure."
        elif change.suppressed:
            reason = f"Fewer than {min_count} people answered at both points: the figures were not kept."
            change = None
        rows.append(_change_row(
            instrument, measure, point, threshold, counts=(None, paired, None), change=change, reason=reason,
            suppress=suppress, min_count=min_count,
        ))
    return rows


def _change_row(instrument, measure, point, threshold, *, counts, change, reason, suppress, min_count):
    """One measure's change from the baseline to one later point; `counts` are those shown: at the
    baseline, answered both, and without a follow-up."""
    at_baseline, paired, no_followup = counts
    return ChangeRow(
        instrument=instrument.key,
        measure=measure.key,
        label=measure.label,
        followup=point.key,
        followup_name=point.name,
        higher_is_better=measure.higher_is_better,
        threshold=threshold,
        at_baseline=at_baseline,
        paired=paired,
        no_followup=no_followup,
        change=change,
        distribution=_distribution(change, suppress=suppress, min_count=min_count),
        reason=reason,
    )


def _live_rows(
    records,
    people: _People,
    instrument: Instrument,
    measure: Measure,
    threshold: float,
    baseline: MeasurementPoint,
    later: list[MeasurementPoint],
    *,
    suppress: bool,
    min_count: int,
) -> tuple[list[ChangeRow], list[SubgroupAnalysis]]:
    scores = [
        (str(record.participant_id), record.point, (record.measures.get(measure.key) or {}).get("value"))
        for record in records
        if record.instrument == instrument.key
    ]
    pairings = {
        point.key: pair_by_participant(scores, baseline=baseline.key, followup=point.key) for point in later
    }
    at_baseline = len({who for who, point, value in scores if point == baseline.key and value is not None})
    counts = _pairing_counts(
        {key: (len(p.participants), at_baseline - len(p.participants)) for key, p in pairings.items()},
        suppress=suppress,
        min_count=min_count,
    )
    rows, subgroups = [], []
    for point in later:
        pairing = pairings[point.key]
        shown_baseline, shown_paired, shown_lost = counts[point.key]
        n = len(pairing.participants)
        change, reason = None, ""
        if n == 0:
            reason = "Nobody has answered at both points yet."
        elif suppress and shown_paired is None:
            reason = (
                f"Fewer than {min_count} people answered at both points, or their number would give a "
                "hidden count away: the figures are not shown, to protect participants."
            )
        else:
            change = paired_change(
                pairing.pre,
                pairing.post,
                threshold=threshold,
                higher_is_better=measure.higher_is_better,
                min_n=min_count if suppress else 1,
            )
            if change.suppressed:
                reason = f"Fewer than {min_count} people answered at both points: the figures are not shown."
                change = None
        rows.append(_change_row(
            instrument, measure, point, threshold, counts=counts[point.key], change=change, reason=reason,
            suppress=suppress, min_count=min_count,
        ))
        if change is None:
            continue
        pairs = [
            (int(participant), pre, post)
            for participant, pre, post in zip(pairing.participants, pairing.pre, pairing.post, strict=True)
        ]
        for variable in people.variables:
            subgroup_rows, note = _subgroups(
                variable,
                lambda pk, variable=variable: people.groups.get(pk, {}).get(variable, NOT_RECORDED),
                pairs,
                threshold=threshold,
                higher_is_better=measure.higher_is_better,
                min_n=min_count,
                suppress=suppress,
            )
            subgroups.append(
                SubgroupAnalysis(
                    variable=variable,
                    label=measure.label,
                    followup_name=point.name,
                    rows=subgroup_rows,
                    not_shown=note,
                )
            )
    return rows, subgroups


def _wellby(sections: list[InstrumentSection], instrument_keys: list[str]) -> tuple[list[WellbyRow], list]:
    found = []
    for section in sections:
        for row in section.rows:
            if not row.shown or row.change.mean_change is None:
                continue
            try:
                estimate = wellby_value(
                    instrument=row.instrument,
                    measure=row.measure,
                    mean_change=row.change.mean_change,
                    people=row.change.n_paired,
                    years=WELLBY_YEARS,
                )
            except WellbyRefusedError:
                continue  # every measure but ONS4 life satisfaction: see the notes below
            bounds = []
            for bound in (row.change.ci95_low, row.change.ci95_high):
                bounds.append(
                    None
                    if bound is None
                    else wellby_value(
                        instrument=row.instrument,
                        measure=row.measure,
                        mean_change=bound,
                        people=row.change.n_paired,
                        years=WELLBY_YEARS,
                    )
                )
            found.append(WellbyRow(row.followup_name, estimate, *bounds))
    notes = [
        "A WELLBY is valued from the change in ONS4 life satisfaction only. No WELLBY is given for WEMWBS "
        "or SWEMWBS, nor for the other ONS4 questions: the Green Book wellbeing guidance values life "
        "satisfaction, and converting another scale into it would add a guess we cannot check."
    ]
    if "ons4" not in instrument_keys:
        notes.append("This project does not use ONS4, so no social value in WELLBYs can be given.")
    elif not found:
        notes.append(
            "No value is given: there is no mean change in life satisfaction to value yet (too few people "
            "answered at both points, or the figures are hidden to protect them)."
        )
    return found, notes


def _scrubbed(text: str, codes: list[str]) -> str:
    """Stories are meant to be published, but a participant's code must never be: remove any mention."""
    if not codes or not text:
        return text
    alternatives = "|".join(re.escape(code) for code in sorted(codes, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)({alternatives})(?!\w)")
    return pattern.sub("[code removed]", text)


def _caveats(report_sections: list[InstrumentSection], *, snapshot: bool) -> list[tuple[str, str]]:
    shown = [row for section in report_sections for row in section.rows if row.shown]
    caveats = [
        (
            "No comparison group",
            "We compare the same people before and after, but we cannot see what would have happened to "
            "them without the project. Seasons, other support and ordinary ups and downs change "
            "wellbeing too, so the change shown is not all due to the project.",
        ),
    ]
    attrition = "Some people answered at the start but not later. If those who stayed differ from those "
    attrition += "who left (for example, people who were struggling left), the change shown is biased."
    worst = max(
        (
            (row.no_followup / row.at_baseline, row)
            for section in report_sections
            for row in section.rows
            if row.no_followup is not None and row.at_baseline
        ),
        key=lambda item: item[0],
        default=None,
    )
    if worst is not None and worst[0] == 0:
        attrition += " Here, everyone who answered at the start also answered later."
    elif worst is not None:
        share, row = worst
        attrition += (
            f" The most lost: {row.no_followup} of {row.at_baseline} people ({share:.0%}) who answered "
            f"{row.label} at the start had no answer at {row.followup_name}."
        )
    elif snapshot:
        attrition += " How many left was not kept when participants' data was deleted."
    caveats.append(("People without a follow-up", attrition))
    caveats.append(
        (
            "Self-report",
            "The scores are what people said about themselves. People may answer more kindly at the end "
            "of something they enjoyed, or to please the staff who ask.",
        )
    )
    small = [row for row in shown if row.change.n_paired < SMALL_STUDY]
    caveats.append(
        (
            "Small numbers",
            (
                f"Some figures rest on fewer than {SMALL_STUDY} people, so their confidence intervals are "
                "wide: the true change could be a good deal larger or smaller. "
                if small
                else ""
            )
            + "With several measures and points, one may look significant by chance; read the intervals "
            "and the effect sizes, not only the p-values.",
        )
    )
    caveats.append(
        (
            "Regression to the mean",
            "People often join a project when they feel at their lowest. Someone who scores unusually low "
            "one day tends to score nearer their usual level the next time anyway, so part of an "
            "improvement can come from that alone.",
        )
    )
    return caveats


def project_report(*, user, pk) -> OutcomeReport:
    """The project's outcome report for this user; Http404 for anyone who may not see the project.
    A bounded number of queries, however many participants and responses there are."""
    project, access = project_get(user=user, pk=pk)
    suppress = access.suppress_small_counts
    min_count = project.min_cell_size
    points = list(project.measurement_points.all())
    questions = list(project.custom_questions.all())
    fields_with_choices = [field for field in project.participant_fields.all() if field.choices]
    instruments = _project_instruments(project, questions)
    snapshot = None
    if project.participant_data_deleted_at is not None:
        snapshot = project.aggregate_snapshots.order_by("-computed_at").first()
    people = _People(groups={}, variables=[], codes=[])
    records = []
    if snapshot is None and project.participant_data_deleted_at is None:
        people = _people(project, fields_with_choices)
        records = project_response_records(project=project)
    baseline, later = (points[0], points[1:]) if points else (None, [])

    sections = []
    for instrument in instruments:
        section = InstrumentSection(
            key=instrument.key,
            name=instrument.name,
            minimum=min(m.minimum for m in instrument.measures),
            maximum=max(m.maximum for m in instrument.measures),
            rows=[],
        )
        for measure in instrument.measures:
            threshold = project_threshold(project, instrument, measure.key)
            source = f"{threshold:g}: {measure.meaningful_change_source}"
            if threshold != measure.meaningful_change:
                # The cited source backs the default only: say so rather than lend it to another figure.
                source = (
                    f"{threshold:g}, chosen in place of the default of {measure.meaningful_change:g} "
                    f"({measure.meaningful_change_source})"
                )
            section.threshold_sources.append((measure.label, source))
            if baseline is None or not later:
                continue
            if snapshot is not None:
                section.rows += _rows_from_snapshot(
                    snapshot, instrument, measure, threshold, later, suppress=suppress, min_count=min_count
                )
            elif project.participant_data_deleted_at is None:
                rows, subgroups = _live_rows(
                    records, people, instrument, measure, threshold, baseline, later,
                    suppress=suppress, min_count=min_count,
                )
                section.rows += rows
                section.subgroups += subgroups
        sections.append(section)

    wellby, wellby_notes = _wellby(sections, list(project.instruments))
    participants = None
    who = []
    if snapshot is not None:
        kept = (snapshot.data or {}).get("participants")
        participants = kept if (kept is None or not suppress or kept >= min_count) else None
    elif project.participant_data_deleted_at is None:
        who = _who_took_part(people, fields_with_choices, suppress=suppress, min_count=min_count)
        participants = who[0].total if who else None
    stories = []
    if project.participant_data_deleted_at is None:
        stories = [
            StoryItem(
                title=_scrubbed(story.title, people.codes),
                text=_scrubbed(story.text, people.codes),
                attribution=_scrubbed(story.attribution, people.codes) or "A participant",
                consent_date=story.consent_date,
            )
            for story in project_stories(project=project)
        ]
    return OutcomeReport(
        project=project,
        access=access,
        generated_at=timezone.now(),
        points=points,
        delivery=_delivery(project, suppress=suppress, min_count=min_count),
        participants=participants,
        who=who,
        sections=sections,
        wellby=wellby,
        wellby_notes=wellby_notes,
        stories=stories,
        evidence_level=2 if any(row.shown for section in sections for row in section.rows) else 1,
        caveats=_caveats(sections, snapshot=snapshot is not None),
        snapshot=snapshot,
        data_deleted=project.participant_data_deleted_at is not None,
    )


# ---------------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------------

PDF_BASE = Path(__file__).resolve().parent / "templates" / "outcomes"


def report_pdf(*, html: str) -> bytes:
    """The report's print template as a PDF. Its stylesheet is inline and the fetcher refuses anything
    but local files and data: URLs, so rendering never reaches the network."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("file", "data"), allow_redirects=False)
    return HTML(string=html, base_url=str(PDF_BASE), url_fetcher=fetcher).write_pdf()
