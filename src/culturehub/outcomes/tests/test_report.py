"""The outcome report: its figures against SciPy, the direction of each measure, disclosure control for
people outside the delivering organisation, subgroups, WELLBYs, the snapshot kept after retention, the
PDF, and who may read it."""

import re
import zlib
from datetime import UTC, date, datetime

import numpy as np
import pytest
from django.urls import reverse
from scipy import stats

from culturehub.outcomes import services
from culturehub.outcomes.models import AttendanceRecord, Participant, ProjectField, Response, Story
from culturehub.outcomes.report import project_report
from culturehub.outcomes.scoring import score_response

pytestmark = pytest.mark.django_db

# Life satisfaction before and after for twelve people: changes of mixed size and sign.
LIFE_PRE = [4, 5, 6, 3, 7, 5, 4, 6, 5, 2, 6, 5]
LIFE_POST = [6, 5, 8, 5, 7, 7, 4, 5, 8, 5, 6, 7]
ANXIETY_PRE = [7, 6, 8, 5, 6, 7, 9, 4, 6, 7, 5, 6]
ANXIETY_POST = [4, 6, 5, 5, 3, 6, 6, 4, 5, 4, 5, 3]


def _ons4(life, anxiety, *, other=6):
    return {"life_satisfaction": life, "worthwhile": other, "happiness": other, "anxiety": anxiety}


def _store(participant, point, instrument, answers):
    """A scored response, stored as the service stores it (scored by the same code), without the
    service's audit trail: these tests are about the report, and this keeps them quick."""
    score = score_response(instrument, answers)
    assert score.valid, score.error
    return Response(
        participant=participant,
        point=point,
        instrument=instrument,
        answers=answers,
        valid=True,
        raw=score.raw,
        score=score.score,
        band=score.band,
        measures={k: {"value": m.value, "band": m.band, "error": m.error} for k, m in score.measures.items()},
    )


def cohort(project, people):
    """people: dicts with age_band and, per instrument, (answers before, answers after or None)."""
    pre, post = project.measurement_points.order_by("position")[:2]
    participants = Participant.objects.bulk_create(
        Participant(
            project=project,
            code=f"R-{index:04}",
            age_band=person.get("age_band", ""),
            field_values=person.get("fields", {}),
            consent_date=date(2026, 1, 5),
        )
        for index, person in enumerate(people)
    )
    responses = []
    for participant, person in zip(participants, people, strict=True):
        for instrument in ("ons4", "swemwbs", "ucla3"):
            if instrument not in person:
                continue
            before, after = person[instrument]
            responses.append(_store(participant, pre, instrument, before))
            if after is not None:
                responses.append(_store(participant, post, instrument, after))
    Response.objects.bulk_create(responses)
    return participants


def ons4_people(age_bands=None):
    bands = age_bands or ["65_74"] * len(LIFE_PRE)
    return [
        {"age_band": band, "ons4": (_ons4(LIFE_PRE[i], ANXIETY_PRE[i]), _ons4(LIFE_POST[i], ANXIETY_POST[i]))}
        for i, band in enumerate(bands)
    ]


def row_for(report, instrument, measure):
    section = next(s for s in report.sections if s.key == instrument)
    return next(r for r in section.rows if r.measure == measure)


def url(name, *args):
    return reverse(f"outcomes:{name}", args=args)


# Figures --------------------------------------------------------------------------------------------


def test_the_change_figures_agree_with_scipy(bob, project):
    cohort(project, ons4_people())
    row = row_for(project_report(user=bob, pk=project.pk), "ons4", "life_satisfaction")
    pre, post = np.array(LIFE_PRE, float), np.array(LIFE_POST, float)
    differences = post - pre
    low, high = stats.t.interval(0.95, len(pre) - 1, loc=differences.mean(), scale=stats.sem(differences))
    change = row.change
    assert (row.at_baseline, row.paired, row.no_followup) == (12, 12, 0)
    assert change.mean_pre == pytest.approx(pre.mean())
    assert change.mean_post == pytest.approx(post.mean())
    assert change.mean_change == pytest.approx(differences.mean())
    assert (change.ci95_low, change.ci95_high) == (pytest.approx(low), pytest.approx(high))
    assert change.t_p_value == pytest.approx(stats.ttest_rel(post, pre).pvalue)
    assert change.wilcoxon_p_value == pytest.approx(stats.wilcoxon(differences).pvalue)
    assert change.effect_size_dz == pytest.approx(differences.mean() / differences.std(ddof=1))
    assert row.distribution.improved == int(np.sum(differences >= 1)) == 7
    assert row.distribution.declined == int(np.sum(differences <= -1)) == 1
    assert row.distribution.unchanged == 4
    assert row.result_key == "better"


def test_a_fall_in_anxiety_or_loneliness_is_an_improvement_and_a_fall_in_life_satisfaction_is_not(
    bob, project
):
    project.instruments = ["ons4", "ucla3"]
    project.save()
    people = []
    for i in range(12):
        lonely_before = {"q1": 3, "q2": 3, "q3": 2 + i % 2}
        lonely_after = {"q1": 2, "q2": 1 + (i % 3 == 0), "q3": 1}
        falling_life = _ons4(LIFE_POST[i], ANXIETY_PRE[i]), _ons4(LIFE_PRE[i], ANXIETY_POST[i])
        people.append({"ons4": falling_life, "ucla3": (lonely_before, lonely_after)})
    cohort(project, people)
    report = project_report(user=bob, pk=project.pk)
    anxiety, loneliness = row_for(report, "ons4", "anxiety"), row_for(report, "ucla3", "score")
    life = row_for(report, "ons4", "life_satisfaction")
    assert anxiety.change.mean_change < 0 and anxiety.result_key == "better"
    assert anxiety.distribution.improved == int(np.sum(np.array(ANXIETY_PRE) - ANXIETY_POST >= 1))
    assert loneliness.change.mean_change < 0 and loneliness.result_key == "better"
    assert loneliness.distribution.improved == 12 and loneliness.distribution.declined == 0
    assert life.change.mean_change < 0 and life.result_key == "worse"
    assert life.distribution.declined == 7


def test_a_projects_own_threshold_is_used_and_not_credited_to_the_defaults_source(bob, project):
    project.change_thresholds = {"ons4:anxiety": 2}
    project.save()
    cohort(project, ons4_people())
    report = project_report(user=bob, pk=project.pk)
    anxiety, life = row_for(report, "ons4", "anxiety"), row_for(report, "ons4", "life_satisfaction")
    falls = np.array(ANXIETY_PRE) - ANXIETY_POST
    assert anxiety.threshold == 2 and life.threshold == 1
    assert anxiety.distribution.improved == int(np.sum(falls >= 2)) == 6
    sources = dict(next(s for s in report.sections if s.key == "ons4").threshold_sources)
    assert sources["Anxiety"].startswith("2, chosen in place of the default of 1 (")
    assert sources["Life satisfaction"].startswith("1: no published minimal important difference")


# Disclosure control ---------------------------------------------------------------------------------


def _mixed_cohort(project):
    """Twelve people with ONS4 before and after (nine aged 65-74, three 75-84) and five with SWEMWBS."""
    people = ons4_people(["65_74"] * 9 + ["75_84"] * 3)
    for index, person in enumerate(people[:5]):
        person["swemwbs"] = ({f"q{n}": 2 + index % 2 for n in range(1, 8)}, {f"q{n}": 4 for n in range(1, 8)})
    cohort(project, people)


def test_a_viewer_sees_small_counts_hidden_and_the_delivering_organisation_sees_them_all(
    bob, erin, carol, project
):
    _mixed_cohort(project)
    delivering, viewer = project_report(user=erin, pk=project.pk), project_report(user=carol, pk=project.pk)

    age = {row.label: row.count for row in delivering.who[0].rows}
    assert (age["65 to 74"], age["75 to 84"], delivering.who[0].total) == (9, 3, 12)
    hidden = {row.label: row.count for row in viewer.who[0].rows}
    # 9 and 3 are under 10, and the total of 12 would give both away once either is known.
    assert hidden["65 to 74"] is None and hidden["75 to 84"] is None
    # Every group is hidden, so the total of 12 gives none of them away.
    assert viewer.participants == 12 and viewer.who[0].total == 12

    swemwbs_full = row_for(delivering, "swemwbs", "score")
    swemwbs_hidden = row_for(viewer, "swemwbs", "score")
    assert swemwbs_full.paired == 5 and swemwbs_full.change.mean_change > 0
    assert swemwbs_hidden.paired is None and swemwbs_hidden.change is None
    assert "Fewer than 10" in swemwbs_hidden.reason

    life_full = row_for(delivering, "ons4", "life_satisfaction")
    life_hidden = row_for(viewer, "ons4", "life_satisfaction")
    assert life_hidden.change.mean_change == pytest.approx(life_full.change.mean_change)
    # 7 improved, 4 unchanged, 1 declined: every count is under 10, so none is shown to the viewer.
    assert (life_full.distribution.improved, life_full.distribution.declined) == (7, 1)
    assert life_hidden.distribution.improved is None and life_hidden.distribution.declined is None
    assert life_hidden.distribution.pct_improved is None
    ons4_hidden = next(s for s in viewer.sections if s.key == "ons4")
    assert ons4_hidden.distribution_chart is None  # a bar would show what the table hides


def test_the_viewer_page_shows_no_hidden_count(client, carol, project):
    _mixed_cohort(project)
    client.force_login(carol)
    text = client.get(url("project_report", project.pk)).content.decode()
    assert "are hidden (shown as –)" in text
    assert "(hidden)" in text
    assert "Fewer than 10 people answered at both points" in text


def test_people_without_a_follow_up_are_counted_and_hidden_from_a_viewer_when_few(bob, carol, project):
    people = ons4_people()
    people.append({"age_band": "65_74", "ons4": (_ons4(5, 5), None)})
    cohort(project, people)
    mine = row_for(project_report(user=bob, pk=project.pk), "ons4", "anxiety")
    theirs = row_for(project_report(user=carol, pk=project.pk), "ons4", "anxiety")
    assert (mine.at_baseline, mine.paired, mine.no_followup) == (13, 12, 1)
    # One person without a follow-up is under 10; with the baseline count shown it would follow from it.
    assert (theirs.at_baseline, theirs.paired, theirs.no_followup) == (None, 12, None)
    assert theirs.change.mean_change == pytest.approx(mine.change.mean_change)


def test_each_chart_says_in_words_what_it_draws(bob, project):
    cohort(project, ons4_people())
    section = next(s for s in project_report(user=bob, pk=project.pk).sections if s.key == "ons4")
    chart = str(section.chart)
    assert chart.startswith("<svg") and 'role="img"' in chart
    assert '<title id="chart-ons4-title">ONS personal wellbeing (ONS4): mean score before' in chart
    assert "Life satisfaction: 4.8 before, 6.1 after (improved, higher is better)" in chart
    assert "Anxiety: 6.3 before, 4.7 after (improved, lower is better)" in chart
    distribution = str(section.distribution_chart)
    assert 'role="img"' in distribution
    assert "Life satisfaction, End of project: 7 improved, 4 changed less than the threshold, 1 declined" in (
        distribution
    )
    empty = next(s for s in project_report(user=bob, pk=project.pk).sections if s.key == "swemwbs")
    assert empty.chart is None and empty.distribution_chart is None  # no chart rather than an empty one


# Subgroups ------------------------------------------------------------------------------------------


def _by_age(report, measure="life_satisfaction"):
    section = next(s for s in report.sections if s.key == "ons4")
    return next(a for a in section.subgroups if a.variable == "Age band" and a.label.lower().startswith(
        measure.replace("_", " ")))


def test_subgroups_under_the_minimum_are_not_shown_and_the_reason_is_given(bob, carol, project):
    bands = ["65_74"] * 12 + ["75_84"] * 10 + ["55_64"] * 3
    people = [
        {"age_band": band, "ons4": (_ons4(LIFE_PRE[i % 12], 5), _ons4(LIFE_POST[i % 12], 4))}
        for i, band in enumerate(bands)
    ]
    cohort(project, people)
    mine = _by_age(project_report(user=bob, pk=project.pk))
    theirs = _by_age(project_report(user=carol, pk=project.pk))
    assert [row.label for row in mine.rows] == ["65 to 74", "75 to 84"]
    assert [row.change.n_paired for row in mine.rows] == [12, 10]
    assert "55 to 64" in mine.not_shown and "fewer than 10" in mine.not_shown
    # For a viewer the two large groups would give the small one away (25 - 12 - 10): nothing is shown.
    assert theirs.rows == ()
    assert "give its figures away" in theirs.not_shown


def test_small_subgroups_are_shown_together_when_that_reaches_the_minimum(carol, project):
    bands = ["65_74"] * 12 + ["75_84"] * 5 + ["55_64"] * 6
    people = [
        {"age_band": band, "ons4": (_ons4(LIFE_PRE[i % 12], 5), _ons4(LIFE_POST[i % 12], 4))}
        for i, band in enumerate(bands)
    ]
    cohort(project, people)
    analysis = _by_age(project_report(user=carol, pk=project.pk))
    assert [(row.label, row.change.n_paired) for row in analysis.rows] == [
        ("65 to 74", 12),
        ("Other groups together (55 to 64, 75 to 84)", 11),
    ]


def test_a_breakdown_with_only_one_group_large_enough_is_not_shown(bob, project):
    bands = ["65_74"] * 12 + ["75_84"] * 2
    people = [
        {"age_band": band, "ons4": (_ons4(LIFE_PRE[i % 12], 5), _ons4(LIFE_POST[i % 12], 4))}
        for i, band in enumerate(bands)
    ]
    cohort(project, people)
    analysis = _by_age(project_report(user=bob, pk=project.pk))
    assert analysis.rows == ()
    assert "fewer than two groups" in analysis.not_shown


def test_a_project_field_with_choices_gives_a_table_of_who_took_part_and_subgroups(bob, project):
    ProjectField.objects.create(
        project=project, key="referral", name="How they came", purpose="To see who each route reaches.",
        choices=["GP referral", "Self-referral"],
    )
    ProjectField.objects.create(project=project, key="notes", name="Notes", purpose="Free text: not grouped.")
    routes = ["GP referral"] * 12 + ["Self-referral"] * 11
    people = [
        {"fields": {"referral": route, "notes": "x"},
         "ons4": (_ons4(LIFE_PRE[i % 12], 5), _ons4(LIFE_POST[i % 12], 4))}
        for i, route in enumerate(routes)
    ]
    cohort(project, people)
    report = project_report(user=bob, pk=project.pk)
    assert [table.title for table in report.who] == ["Age band", "How they came"]
    expected = [("GP referral", 12), ("Self-referral", 11)]
    assert [(row.label, row.count) for row in report.who[1].rows] == expected
    section = next(s for s in report.sections if s.key == "ons4")
    by_route = next(
        a for a in section.subgroups if a.variable == "How they came" and a.label == "Life satisfaction"
    )
    assert [(row.label, row.change.n_paired) for row in by_route.rows] == expected
    assert not any(a.variable == "Notes" for a in section.subgroups)


# Social value ---------------------------------------------------------------------------------------


def test_wellbys_come_from_ons4_life_satisfaction_only(client, bob, project):
    people = ons4_people()
    for person in people:
        person["swemwbs"] = ({f"q{n}": 2 for n in range(1, 8)}, {f"q{n}": 4 for n in range(1, 8)})
    cohort(project, people)
    report = project_report(user=bob, pk=project.pk)
    [wellby] = report.wellby
    mean_change = np.mean(np.array(LIFE_POST) - LIFE_PRE)
    assert wellby.estimate.wellbys == pytest.approx(mean_change * 12 * 1)
    assert wellby.estimate.value_gbp == pytest.approx(mean_change * 12 * 13_000)
    assert wellby.estimate.assumptions["price_base"].startswith("2019 prices")
    client.force_login(bob)
    text = client.get(url("project_report", project.pk)).content.decode()
    assert "No WELLBY is given for WEMWBS or SWEMWBS" in text
    assert "£13,000" in text and "Persistence" in text


def test_a_project_without_ons4_has_no_wellby_and_says_why(bob, project):
    project.instruments = ["swemwbs"]
    project.save()
    cohort(project, [
        {"swemwbs": ({f"q{n}": 2 for n in range(1, 8)}, {f"q{n}": 3 + i % 2 for n in range(1, 8)})}
        for i in range(12)
    ])
    report = project_report(user=bob, pk=project.pk)
    assert row_for(report, "swemwbs", "score").shown
    assert report.wellby == []
    assert any("does not use ONS4" in note for note in report.wellby_notes)


# The report's other parts ---------------------------------------------------------------------------


def test_the_report_counts_what_was_delivered_and_shows_stories_without_codes(client, bob, carol, project):
    [first, *_rest] = cohort(project, ons4_people())
    AttendanceRecord.objects.create(project=project, sessions=12, attendances=140, unique_people=15)
    Story.objects.create(
        project=project,
        participant=first,
        text=f"Singing got me out of the house. ({first.code} told us this.)",
        attribution="A participant in her seventies",
        consent_date=date(2026, 6, 1),
    )
    for user in (bob, carol):
        client.force_login(user)
        text = client.get(url("project_report", project.pk)).content.decode()
        assert "Singing got me out of the house." in text and "A participant in her seventies" in text
        assert "R-0" not in text  # no participant code, whoever reads it
        assert re.search(r">\s*140\s*<", text) and re.search(r">\s*15\s*<", text)  # as table cells
        assert "level 2" in text.lower()
        for caveat in ("No comparison group", "People without a follow-up", "Self-report", "Small numbers",
                       "Regression to the mean"):
            assert caveat in text


def test_a_project_with_nothing_measured_yet_has_a_level_1_report_that_says_so(client, bob, carol, project):
    for user in (bob, carol):
        report = project_report(user=user, pk=project.pk)
        assert report.evidence_level == 1 and report.wellby == [] and report.stories == []
        assert all(not row.shown and row.reason == "Nobody has answered at both points yet."
                   for section in report.sections for row in section.rows)
        client.force_login(user)
        text = client.get(url("project_report", project.pk)).content.decode()
        assert "No sessions or attendance have been recorded." in text
        assert "this report is at <strong>level 1</strong>" in text


def test_an_example_project_shows_the_example_banner(client, bob, project):
    project.is_example = True
    project.save()
    client.force_login(bob)
    assert "Example data" in client.get(url("project_report", project.pk)).content.decode()


def test_after_retention_the_report_uses_the_kept_snapshot_and_says_so(client, bob, carol, project):
    cohort(project, ons4_people())
    before = row_for(project_report(user=bob, pk=project.pk), "ons4", "life_satisfaction").change
    services.outcomes_retention_apply(now=datetime(2029, 1, 1, tzinfo=UTC))
    assert not Participant.objects.filter(project=project).exists()
    report = project_report(user=carol, pk=project.pk)
    assert report.snapshot is not None and report.data_deleted
    after = row_for(report, "ons4", "life_satisfaction")
    assert after.change.mean_change == pytest.approx(before.mean_change)
    assert after.change.t_p_value == pytest.approx(before.t_p_value)
    assert after.paired == 12 and after.at_baseline is None
    assert report.wellby and report.wellby[0].estimate.assumptions["people"] == 12
    client.force_login(carol)
    text = client.get(url("project_report", project.pk)).content.decode()
    assert "Participants’ data was deleted on" in text and "are those kept on" in text


# How figures are written ----------------------------------------------------------------------------


def test_figures_are_written_with_true_minus_signs_and_a_dash_for_anything_missing():
    from culturehub.outcomes.templatetags import outcomes_report as filters

    assert (filters.stat(-1.5), filters.stat(-0.004), filters.stat(3), filters.stat(float("nan"))) == (
        "−1.50", "0.00", "3.00", "–"
    )
    assert [filters.signed(v) for v in (0.42, -1.1, 0, -0.001, 0.001, None)] == [
        "+0.42", "−1.10", "0.00", "0.00", "0.00", "–"
    ]
    assert (filters.p_value(0.0004), filters.p_value(0.04951), filters.p_value(None)) == (
        "<\u00a00.001", "0.050", "–"
    )
    money = [filters.money(v) for v in (1_234_567.4, -13_000, -0.4, None)]
    assert money == ["£1,234,567", "−£13,000", "£0", "–"]
    assert str(filters.count(1234)) == "1,234"
    assert str(filters.count(None)) == '–<span class="govuk-visually-hidden"> (hidden)</span>'
    assert (filters.percent(58.33), filters.assumption(0.5), filters.assumption(120)) == (
        "58%", "0.50", "120"
    )


# PDF, permissions and queries -----------------------------------------------------------------------

TITLE = "Outcome report: Singing for better breathing"


def _pdf_objects(content: bytes) -> str:
    """The PDF's objects as text, its compressed streams inflated: the document information (title
    included) is kept in one of them."""
    parts = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, flags=re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    text = []
    for part in parts:
        text.append(part.decode("latin-1"))
        utf16 = re.findall(rb"\xfe\xff((?:\x00[ -~])+)", part)
        text += [match.decode("utf-16-be", "replace") for match in utf16]
    return "\n".join(text)


def test_the_pdf_is_the_report_as_an_attachment(client, bob, project):
    cohort(project, ons4_people())
    client.force_login(bob)
    response = client.get(url("project_report_pdf", project.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith('attachment; filename="singing-for-better-breathing-')
    assert response["Content-Disposition"].endswith('.pdf"')
    assert TITLE in _pdf_objects(response.content)


@pytest.mark.parametrize(
    ("who", "status"),
    [("bob", 200), ("erin", 200), ("carol", 200), ("alice", 200), ("frank", 404), ("gina", 404), (None, 404)],
)
def test_who_may_read_the_report(client, project, bob, erin, carol, admin, frank, gina, who, status):
    user = {"bob": bob, "erin": erin, "carol": carol, "alice": admin, "frank": frank, "gina": gina}.get(who)
    if user is not None:
        client.force_login(user)
    assert client.get(url("project_report", project.pk)).status_code == status
    if status == 404 or who == "carol":
        assert client.get(url("project_report_pdf", project.pk)).status_code == status


def test_the_selector_itself_refuses_outsiders(frank, project):
    from django.http import Http404

    with pytest.raises(Http404):
        project_report(user=frank, pk=project.pk)


def test_the_report_reads_a_bounded_number_of_queries(client, bob, project, django_assert_max_num_queries):
    bands = ["65_74", "75_84", "55_64"]
    people = [
        {
            "age_band": bands[i % 3],
            "ons4": (
                _ons4(LIFE_PRE[i % 12], ANXIETY_PRE[i % 12]),
                _ons4(LIFE_POST[i % 12], ANXIETY_POST[i % 12]),
            ),
            "swemwbs": ({f"q{n}": 2 + i % 3 for n in range(1, 8)}, {f"q{n}": 3 + i % 2 for n in range(1, 8)}),
        }
        for i in range(30)
    ]
    cohort(project, people)
    client.force_login(bob)
    with django_assert_max_num_queries(20):
        response = client.get(url("project_report", project.pk))
    assert response.status_code == 200
