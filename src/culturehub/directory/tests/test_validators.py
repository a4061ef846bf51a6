import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from culturehub.directory import validators as v


def message_of(function, value) -> str:
    with pytest.raises(ValidationError) as caught:
        function(value)
    return " ".join(caught.value.messages)


# ---------------------------------------------------------------------------------------------------
# Postcodes
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("SW1A 1AA", "SW1A 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        ("  de1  2fs ", "DE1 2FS"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_it_accepts_real_postcode_shapes_and_writes_them_in_standard_form(typed, clean):
    assert v.postcode_clean(typed) == clean


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "SW1A",
        "12345",
        "SW1A 1AAA",
        "QW1 1AA",  # Q never starts a postcode
        "AZ1 1AA",  # Z is never second
        "M1 1CA",  # C is never in the inward code
        "M1! 1AA",
        "SW1A-1AA",
    ],
)
def test_it_rejects_a_bad_postcode(typed):
    assert message_of(v.postcode_clean, typed) == "Enter a real postcode, like SW1A 1AA"


_outward = st.one_of(
    st.tuples(st.sampled_from(v._FIRST), st.integers(0, 99)).map(lambda t: f"{t[0]}{t[1]}"),
    st.tuples(st.sampled_from(v._FIRST), st.sampled_from(v._SECOND), st.integers(0, 99)).map(
        lambda t: f"{t[0]}{t[1]}{t[2]}"
    ),
    st.tuples(st.sampled_from(v._FIRST), st.integers(0, 9), st.sampled_from(v._THIRD)).map(
        lambda t: f"{t[0]}{t[1]}{t[2]}"
    ),
    st.tuples(
        st.sampled_from(v._FIRST), st.sampled_from(v._SECOND), st.integers(0, 9), st.sampled_from(v._FOURTH)
    ).map(lambda t: "".join(map(str, t))),
)
_inward = st.tuples(st.integers(0, 9), st.sampled_from(v._INWARD), st.sampled_from(v._INWARD)).map(
    lambda t: "".join(map(str, t))
)


@given(outward=_outward, inward=_inward, spaces=st.sampled_from(["", " ", "  "]), lower=st.booleans())
def test_every_well_formed_postcode_is_accepted_and_normalised_once(outward, inward, spaces, lower):
    typed = f"{outward}{spaces}{inward}"
    typed = typed.lower() if lower else typed
    clean = v.postcode_clean(typed)
    assert clean == f"{outward} {inward}"
    assert v.postcode_clean(clean) == clean  # cleaning again changes nothing


@settings(max_examples=60)
@given(st.text(max_size=12))
def test_anything_typed_either_cleans_to_the_standard_form_or_gets_the_postcode_message(text):
    try:
        clean = v.postcode_clean(text)
    except ValidationError as error:
        assert error.messages == [v.POSTCODE_MESSAGE]
    else:
        assert clean == clean.upper()
        assert clean.count(" ") == 1 and len(clean.split(" ")[1]) == 3


# ---------------------------------------------------------------------------------------------------
# Charity Commission for England and Wales (GB-CHC)
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("1234567", "1234567"),
        ("263710", "263710"),
        (" 1053467-2 ", "1053467-2"),
        ("GB-CHC-1089464", "1089464"),
        ("1053467-02", "1053467-2"),
    ],
)
def test_it_accepts_charity_numbers_with_or_without_a_subsidiary_number(typed, clean):
    assert v.charity_number_clean(typed) == clean


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12345", "A charity number in England and Wales has 6 or 7 digits; you entered 5"),
        ("12345678", "A charity number in England and Wales has 6 or 7 digits; you entered 8"),
        ("12A4567", "A charity number contains only numbers, like 1234567"),
        ("0123456", "A charity number does not start with 0"),
        ("1234567-x", "Write a subsidiary number as digits after a dash, like 1234567-1"),
        ("1234567-", "Write a subsidiary number as digits after a dash, like 1234567-1"),
    ],
)
def test_it_says_which_charity_number_rule_is_broken(typed, message):
    assert message_of(v.charity_number_clean, typed) == message


@given(main=st.integers(100000, 9999999), subsidiary=st.none() | st.integers(0, 99))
def test_every_6_or_7_digit_charity_number_is_accepted_unchanged(main, subsidiary):
    typed = f"{main}" if subsidiary is None else f"{main}-{subsidiary}"
    assert v.charity_number_clean(typed) == typed
    assert v.org_id_parse(f"GB-CHC-{typed}") == ("GB-CHC", typed)


# ---------------------------------------------------------------------------------------------------
# Companies House (GB-COH)
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("445790", "00445790"),
        ("00445790", "00445790"),
        ("12345678", "12345678"),
        ("sc123456", "SC123456"),
        ("NI 012345", "NI012345"),
        ("OC300001", "OC300001"),
        ("R0123456", "R0123456"),
        ("GB-COH-08409295", "08409295"),
    ],
)
def test_it_writes_company_numbers_in_their_8_character_form(typed, clean):
    assert v.company_number_clean(typed) == clean


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("123456789", "A company number has 8 characters; you entered 9"),
        ("XX123456", "A company number is 8 digits, or 2 letters such as SC, NI or OC followed by 6 digits"),
        ("SC12345", "After SC, a company number has 6 digits, like SC123456"),
        ("SC1234567", "After SC, a company number has 6 digits, like SC123456"),
        ("OC12A456", "After OC, a company number has 6 digits, like OC123456"),
    ],
)
def test_it_says_which_company_number_rule_is_broken(typed, message):
    assert message_of(v.company_number_clean, typed) == message


@given(st.integers(1, 99999999))
def test_all_digit_company_numbers_are_padded_to_8_and_keep_their_value(number):
    clean = v.company_number_clean(str(number))
    assert len(clean) == 8 and int(clean) == number
    assert v.company_number_clean(clean) == clean


@given(prefix=st.sampled_from(v.COMPANY_PREFIXES), digits=st.integers(0, 999999))
def test_prefixed_company_numbers_are_accepted(prefix, digits):
    typed = f"{prefix}{digits:06d}"
    assert v.company_number_clean(typed.lower()) == typed


# ---------------------------------------------------------------------------------------------------
# OSCR (GB-SC) and Northern Ireland (GB-NIC)
# ---------------------------------------------------------------------------------------------------


def test_it_accepts_a_scottish_charity_number():
    assert v.scottish_charity_number_clean("sc098765") == "SC098765"
    assert v.org_id_parse("GB-SC-SC002327") == ("GB-SC", "SC002327")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("098765", "A Scottish charity number starts with SC, like SC012345"),
        ("SC98765", "After SC, a Scottish charity number has 6 digits, like SC012345"),
        ("SC198765", "Scottish charity numbers start with SC0, like SC012345"),
    ],
)
def test_it_says_which_scottish_charity_number_rule_is_broken(typed, message):
    assert message_of(v.scottish_charity_number_clean, typed) == message


def test_it_accepts_a_northern_ireland_charity_number_with_or_without_nic():
    assert v.northern_ireland_charity_number_clean("100012") == "100012"
    assert v.northern_ireland_charity_number_clean("NIC100012") == "100012"
    assert v.org_id_parse("GB-NIC-104226") == ("GB-NIC", "104226")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("10001", "A Northern Ireland charity number has 6 digits, like 100012"),
        ("099999", "Northern Ireland charity numbers start at 100000"),
        ("10A012", "A Northern Ireland charity number has 6 digits, like 100012"),
    ],
)
def test_it_says_which_northern_ireland_rule_is_broken(typed, message):
    assert message_of(v.northern_ireland_charity_number_clean, typed) == message


def test_an_org_id_with_an_unknown_scheme_is_rejected():
    assert "GB-CHC-" in message_of(v.org_id_parse, "XI-IATI-1234")


def test_identifier_clean_refuses_an_unknown_scheme():
    with pytest.raises(ValidationError):
        v.identifier_clean(scheme="GB-XYZ", value="1")


# ---------------------------------------------------------------------------------------------------
# Web addresses
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("https://www.example.org", "https://www.example.org"),
        ("www.example.org/about", "https://www.example.org/about"),
        ("http://example.org", "http://example.org"),
    ],
)
def test_it_accepts_web_addresses_and_adds_a_missing_scheme(typed, clean):
    assert v.web_address_clean(typed) == clean


@pytest.mark.parametrize(
    "typed", ["not a website", "ftp://example.org", "https://", "example", "http//x.org"]
)
def test_it_rejects_a_broken_web_address(typed):
    assert message_of(v.web_address_clean, typed) == (
        "Enter a web address in the correct format, like https://www.example.org"
    )


def test_each_kind_of_bad_value_gets_its_own_message():
    messages = {
        message_of(v.postcode_clean, "nowhere"),
        message_of(v.charity_number_clean, "12"),
        message_of(v.company_number_clean, "XX1"),
        message_of(v.web_address_clean, "nope"),
    }
    assert len(messages) == 4
