import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["core:home", "core:cookies", "core:accessibility", "core:data_sources"])
def test_each_public_page_renders_with_the_layout(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#main-content"' in html
    assert "govuk-phase-banner" in html
    assert "Culture Hub" in html


def test_pages_send_security_headers(client):
    response = client.get(reverse("core:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]


def test_an_unknown_page_gets_a_helpful_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_import_runs_are_for_administrators_only(client, bob):
    client.force_login(bob)
    assert client.get(reverse("core:import_runs")).status_code == 403


def test_health_check_answers(client):
    assert client.get(reverse("core:health")).json() == {"status": "ok"}


def test_the_api_page_documents_every_endpoint_without_loading_scripts_from_elsewhere(client):
    html = client.get(reverse("core:api_docs")).content.decode()
    for path in ("/api/places/", "/api/vocabulary/", "/api/oruk/services", "/api/oruk/taxonomy_terms"):
        assert f"{path}</code>" in html
    assert "cdn." not in html
    assert 'href="/api/openapi.json"' in html


def test_the_data_page_lists_each_public_register_with_its_licence_and_how_many_entries_are_loaded(client):
    from culturehub.directory.tests.factories import make_organisation
    from culturehub.registers.models import RegisterRecord, Source

    organisation = make_organisation(name="Hilltop Museum")
    RegisterRecord.objects.create(
        source=Source.MUSEUMS, source_id="mm.1", organisation=organisation, name="Hilltop Museum",
        last_seen=timezone.now(),
    )
    html = client.get(reverse("core:data_sources")).content.decode()
    assert "Public registers in the directory" in html
    assert "Mapping Museums" in html and "Creative Commons Attribution 4.0" in html
    assert "Arts Council England" in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in html
