"""CSV uploads of responses: bad rows reported with their line and reason, good rows kept, and the same
file uploaded twice changing nothing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from culturehub.outcomes import services
from culturehub.outcomes.models import Response, ResponseUpload

pytestmark = pytest.mark.django_db

HEADER = "participant_code,timepoint,q1,q2,q3,q4,q5,q6,q7\n"


@pytest.fixture
def people(bob, project):
    for code in ("P-0001", "P-0002", "P-0003"):
        services.participant_create(user=bob, project=project, code=code, consent_date=date(2026, 1, 5))


def upload(user, project, text, instrument="swemwbs", name="responses.csv"):
    return services.responses_upload(
        user=user, project=project, instrument=instrument, content=text.encode("utf-8"), file_name=name
    )


def test_good_rows_are_kept_and_each_bad_row_is_reported_with_its_line(bob, project, people):
    text = (
        HEADER
        + "P-0001,pre,3,3,3,3,3,3,3\n"  # line 2: good
        + "P-0002,pre,3,3,3,3,3,3,9\n"  # line 3: out of range
        + "P-0009,pre,3,3,3,3,3,3,3\n"  # line 4: unknown participant
        + "P-0003,during,3,3,3,3,3,3,3\n"  # line 5: not in the plan
        + "P-0003,post,3,3,,3,3,3,3\n"  # line 6: item missing
        + "P-0001,pre,4,4,4,4,4,4,4\n"  # line 7: same participant and point as line 2
        + "p-0002,POST,5,5,5,5,5,5,5\n"  # line 8: good (code and timepoint case do not matter)
    )
    result = upload(bob, project, text)
    assert (result.rows_read, result.rows_created, result.rows_rejected) == (7, 2, 5)
    lines = {problem["line"]: problem["reason"] for problem in result.errors}
    assert sorted(lines) == [3, 4, 5, 6, 7]
    assert "q7" in lines[3] and "1 to 5" in lines[3]
    assert "P-0009 is not a participant" in lines[4]
    assert "during" in lines[5] and "pre, post" in lines[5]
    assert "q3 not answered" in lines[6]
    assert "already on line 2" in lines[7]
    assert Response.objects.filter(source="upload", upload=result).count() == 2


def test_uploading_the_same_file_again_duplicates_nothing(bob, project, people):
    text = HEADER + "P-0001,pre,3,3,3,3,3,3,3\nP-0002,pre,4,4,4,4,4,4,4\n"
    first = upload(bob, project, text)
    second = upload(bob, project, text)
    assert (first.rows_created, first.rows_unchanged) == (2, 0)
    assert (second.rows_created, second.rows_updated, second.rows_unchanged) == (0, 0, 2)
    assert Response.objects.count() == 2
    assert ResponseUpload.objects.count() == 2


def test_a_corrected_row_updates_the_earlier_answers(bob, project, people):
    upload(bob, project, HEADER + "P-0001,pre,3,3,3,3,3,3,3\n")
    corrected = upload(bob, project, HEADER + "P-0001,pre,3,3,3,3,3,3,4\n")
    assert corrected.rows_updated == 1
    assert Response.objects.get().raw == 22


def test_the_cli_participant_id_column_is_accepted(bob, project, people):
    result = upload(
        bob,
        project,
        "participant_id,timepoint,life_satisfaction,worthwhile,happiness,anxiety\nP-0001,pre,7,8,,3\n",
        instrument="ons4",
    )
    assert result.rows_created == 1
    assert Response.objects.get().measures["happiness"]["value"] is None


def test_a_file_missing_a_column_is_refused_whole(bob, project, people):
    with pytest.raises(ValidationError) as error:
        upload(bob, project, "participant_code,timepoint,q1,q2\nP-0001,pre,3,3\n")
    assert "q3, q4, q5, q6, q7 missing" in error.value.messages[0]
    assert not ResponseUpload.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_with_how_to_fix_it(bob, project):
    with pytest.raises(ValidationError) as error:
        services.responses_upload(
            user=bob,
            project=project,
            instrument="swemwbs",
            content="participant_code,timepoint\né".encode("latin-1"),
            file_name="x.csv",
        )
    assert "UTF-8" in error.value.messages[0]


def test_a_spreadsheet_byte_order_mark_and_blank_lines_are_fine(bob, project, people):
    text = "\ufeff" + HEADER + "\nP-0001,pre,3,3,3,3,3,3,3\n\n"
    result = upload(bob, project, text)
    assert (result.rows_read, result.rows_created, result.rows_rejected) == (1, 1, 0)


def test_a_row_with_too_many_values_is_reported(bob, project, people):
    result = upload(bob, project, HEADER + "P-0001,pre,3,3,3,3,3,3,3,3\n")
    assert result.errors == [{"line": 2, "reason": "The row has 10 values but the header has 9 columns"}]


def test_only_the_data_role_can_upload(project, erin):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        upload(erin, project, HEADER)


def test_the_upload_page_shows_the_summary_and_the_lines_to_fix(client, bob, project, people):
    client.force_login(bob)
    csv_file = SimpleUploadedFile(
        "week1.csv", (HEADER + "P-0001,pre,3,3,3,3,3,3,3\nP-0002,pre,x,3,3,3,3,3,3\n").encode()
    )
    response = client.post(
        reverse("outcomes:upload", args=[project.pk]), {"instrument": "swemwbs", "file": csv_file}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Rows to fix" in page
    assert "&#x27;x&#x27; is not a whole number" in page or "'x' is not a whole number" in page


def test_the_upload_page_says_what_is_wrong_with_an_unreadable_file(client, bob, project):
    client.force_login(bob)
    csv_file = SimpleUploadedFile("bad.csv", b"name,age\nx,1\n")
    response = client.post(
        reverse("outcomes:upload", args=[project.pk]), {"instrument": "swemwbs", "file": csv_file}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and "participant_code" in text
