import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from culturehub.directory.models import (
    Consortium,
    ConsortiumMember,
    Offer,
    Organisation,
    OrganisationIdentifier,
)
from culturehub.places.models import Area
from culturehub.places.tests.factories import make_area

pytestmark = pytest.mark.django_db

DEMO_PLACES = {
    "E08000025": ("Birmingham", Area.Kind.METROPOLITAN),
    "E06000015": ("Derby", Area.Kind.UNITARY),
    "E08000003": ("Manchester", Area.Kind.METROPOLITAN),
    "E06000027": ("Torbay", Area.Kind.UNITARY),
    "E06000014": ("York", Area.Kind.UNITARY),
    "E10000016": ("Kent", Area.Kind.COUNTY),
    "E10000013": ("Gloucestershire", Area.Kind.COUNTY),
}
EXAMPLES = Path(settings.DEMO_DATA_DIR) / "directory" / "examples.yaml"


@pytest.fixture
def demo_places(db):
    return {code: make_area(code=code, name=name, kind=kind) for code, (name, kind) in DEMO_PLACES.items()}


def load() -> str:
    out = StringIO()
    call_command("load_directory_demo", stdout=out)
    return out.getvalue()


def test_it_loads_one_example_consortium_per_demo_locality_with_members_and_offers(demo_places, vocabulary):
    load()
    consortia = Consortium.objects.filter(is_example=True)
    assert sorted(consortium.area.code for consortium in consortia) == sorted(DEMO_PLACES)
    for consortium in consortia:
        assert consortium.status == "published"
        assert consortium.lead is not None
        active = consortium.memberships.filter(state=ConsortiumMember.State.ACTIVE)
        assert active.count() >= 2
        assert active.filter(organisation=consortium.lead).exists()
    assert Organisation.objects.filter(is_example=False).count() == 0
    assert Offer.objects.filter(organisation__is_example=True, status="published").count() >= 14
    offer = Offer.objects.get(name="Example Singing for Memory")
    assert {term.key for term in offer.themes.all()} == {"dementia"}
    assert "York" in offer.search_text and "Singing" in offer.search_text


def test_running_it_again_changes_nothing(demo_places, vocabulary):
    load()
    counts = (Organisation.objects.count(), Offer.objects.count(), ConsortiumMember.objects.count())
    assert "nothing changed" in load()
    assert (Organisation.objects.count(), Offer.objects.count(), ConsortiumMember.objects.count()) == counts


def test_examples_carry_no_register_numbers_addresses_or_figures(demo_places, vocabulary):
    load()
    assert not OrganisationIdentifier.objects.exists()
    for organisation in Organisation.objects.all():
        assert organisation.name.startswith("Example ")
        assert organisation.postcode == "" and organisation.address == "" and organisation.website == ""
        assert organisation.email.endswith(".example.org")
    for offer in Offer.objects.all():
        assert offer.price_amount is None and offer.capacity is None
        assert offer.minimum_age is None and offer.maximum_age is None
    # The file itself: no digits outside the area codes, the version and its comments.
    text = "\n".join(
        line
        for line in EXAMPLES.read_text().splitlines()
        if not line.lstrip().startswith("#") and "area:" not in line and not line.startswith("version")
    )
    assert not re.search(r"\d", text)


def test_a_locality_whose_area_is_not_loaded_is_skipped_and_reported(vocabulary):
    make_area(code="E06000015", name="Derby", kind=Area.Kind.UNITARY)
    output = load()
    assert "skipped E08000025" in output
    assert Consortium.objects.get().area.code == "E06000015"


def test_an_example_organisation_page_says_it_is_an_example(client, demo_places, vocabulary):
    load()
    organisation = Organisation.objects.get(name="Example Riverside Youth Theatre")
    response = client.get(reverse("directory:organisation_detail", args=[organisation.pk]))
    assert "This is an example organisation for the demo, not a real one" in response.content.decode()
    consortium = Consortium.objects.get(area__code="E06000015")
    response = client.get(reverse("directory:consortium_detail", args=[consortium.pk]))
    assert "This is an example consortium for the demo, not a real one" in response.content.decode()


def test_the_examples_file_names_only_the_demo_localities():
    data = yaml.safe_load(EXAMPLES.read_text())
    assert sorted(locality["area"] for locality in data["localities"]) == sorted(DEMO_PLACES)


def test_nothing_is_loaded_before_the_vocabulary(demo_places):
    assert "skipped every locality: the shared vocabulary is not loaded yet" in load()
    assert not Organisation.objects.exists()
