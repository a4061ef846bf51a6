"""Every account page is a GOV.UK page in our layout: one h1, a title of its own, a label for every
input, the right autocomplete hints, and an error summary that links to the field at fault."""

from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.urls import reverse

pytestmark = pytest.mark.django_db


class PageParts(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.title, self.h1s, self.inputs, self.labels = "", [], [], set()
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"title", "h1"}:
            self._in = tag
            if tag == "h1":
                self.h1s.append("")
        elif tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        elif tag in {"input", "textarea", "select"} and attrs.get("type") not in {"hidden", "submit"}:
            self.inputs.append(attrs)

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1s[-1] += data

    @property
    def page_title(self):
        return " ".join(self.title.split())


def parts(response):
    assert response.status_code == 200, response
    return PageParts(response.content.decode())


def _assert_good_page(page):
    assert len(page.h1s) == 1, page.h1s
    assert page.page_title.endswith("– Culture Hub")
    for field in page.inputs:
        assert field.get("id") in page.labels, f"no label for {field}"
        assert "placeholder" not in field


@pytest.fixture
def signed_in_bob(client, bob, verified, sign_in):
    verified(bob)
    sign_in(client, bob)
    return bob


def _anonymous_pages(client, bob, verified):
    verified(bob)
    address = EmailAddress.objects.create(user=bob, email="bob.new@example.org", verified=False)
    key = EmailConfirmationHMAC(address).key
    return {
        "sign in": client.get(reverse("account_login")),
        "sign up": client.get(reverse("account_signup")),
        "verification sent": client.get(reverse("account_email_verification_sent")),
        "confirm email": client.get(reverse("account_confirm_email", args=[key])),
        "bad confirm link": client.get(reverse("account_confirm_email", args=["not-a-key"])),
        "reset password": client.get(reverse("account_reset_password")),
        "reset done": client.get(reverse("account_reset_password_done")),
        "reset from bad key": client.get(
            reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad-key"})
        ),
        "reset from key done": client.get(reverse("account_reset_password_from_key_done")),
        "account closed": client.get(reverse("account_inactive")),
    }


def test_each_page_for_visitors_has_one_h1_a_title_of_its_own_and_labelled_inputs(client, bob, verified):
    pages = {name: parts(response) for name, response in _anonymous_pages(client, bob, verified).items()}
    for page in pages.values():
        _assert_good_page(page)
    titles = [page.page_title for page in pages.values()]
    assert len(set(titles)) == len(titles), titles


def test_each_page_for_signed_in_people_has_one_h1_a_title_of_its_own_and_labelled_inputs(
    client, signed_in_bob, with_totp
):
    before_two_factor = {
        "profile": reverse("accounts:profile"),
        "sign out": reverse("account_logout"),
        "email": reverse("account_email"),
        "change password": reverse("account_change_password"),
        "two-factor": reverse("mfa_index"),
        "set up app": reverse("mfa_activate_totp"),
        "reauthenticate": reverse("account_reauthenticate"),
    }
    pages = {name: parts(client.get(url)) for name, url in before_two_factor.items()}
    with_totp(signed_in_bob)
    client.post(reverse("mfa_generate_recovery_codes"))
    after = {
        "turn off app": reverse("mfa_deactivate_totp"),
        "recovery codes": reverse("mfa_view_recovery_codes"),
        "new recovery codes": reverse("mfa_generate_recovery_codes"),
        "code to continue": reverse("mfa_reauthenticate"),
    }
    pages |= {name: parts(client.get(url)) for name, url in after.items()}
    for page in pages.values():
        _assert_good_page(page)
    titles = [page.page_title for page in pages.values()]
    assert len(set(titles)) == len(titles), titles


def test_the_sign_in_and_sign_up_fields_carry_autocomplete_hints(client):
    sign_in = parts(client.get(reverse("account_login")))
    assert {f["name"]: f.get("autocomplete") for f in sign_in.inputs} == {
        "login": "email",
        "password": "current-password",
    }
    sign_up = parts(client.get(reverse("account_signup")))
    assert {f["name"]: f.get("autocomplete") for f in sign_up.inputs} == {
        "email": "email",
        "password1": "new-password",
        "password2": "new-password",
    }


def test_the_change_password_fields_carry_autocomplete_hints(client, signed_in_bob):
    page = parts(client.get(reverse("account_change_password")))
    assert {f["name"]: f.get("autocomplete") for f in page.inputs} == {
        "oldpassword": "current-password",
        "password1": "new-password",
        "password2": "new-password",
    }


def test_an_empty_sign_in_shows_the_error_summary_linked_to_each_field(client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    html = response.content.decode()
    assert parts(response).page_title.startswith("Error: Sign in")
    assert "There is a problem" in html
    assert '<a href="#id_login">Enter your email address</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_login-error"' in html


def test_a_wrong_password_is_reported_in_the_summary_and_links_to_the_first_field(client, bob, verified):
    verified(bob)
    response = client.post(reverse("account_login"), {"login": bob.email, "password": "not-it"})
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_login">The email address or password is not correct.' in html


def test_the_sign_out_page_asks_for_confirmation_and_posts_with_a_csrf_token(client, signed_in_bob):
    page = client.get(reverse("account_logout"))
    html = page.content.decode()
    assert 'method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Are you sure you want to sign out" in html
    assert client.get(reverse("accounts:profile")).status_code == 200, "a GET must not sign out"


def test_the_authenticator_set_up_page_shows_the_qr_code_inline_and_the_key_as_text(client, signed_in_bob):
    html = client.get(reverse("mfa_activate_totp")).content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'id="totp-secret"' in html
    assert 'autocomplete="one-time-code"' in html
