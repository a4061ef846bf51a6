"""Checks for what organisations type in: postcodes, register identifiers (in org-id form) and web
addresses. Pure functions: each returns the value in its standard form or raises ValidationError with a
message that says what is wrong and how to put it right.

Sources for the identifier rules (checked November 2026):
- org-id.guide, the register of organisation identifier lists, for the scheme prefixes GB-CHC (Charity
  Commission for England and Wales), GB-COH (Companies House), GB-SC (Scottish Charity Regulator) and
  GB-NIC (Charity Commission for Northern Ireland): https://org-id.guide/
- Companies House company numbers: 8 characters, either 8 digits (England and Wales, shown with leading
  zeros, for example 00445790) or a two-letter prefix and 6 digits (SC Scotland, NI Northern Ireland,
  OC/SO/NC limited liability partnerships, FC overseas companies...); section 1066 of the Companies Act
  2006 lets the registrar set the form. https://find-and-update.company-information.service.gov.uk/
- OSCR, "Publicising charitable status": a Scottish Charity Number is SC0 followed by five digits
  (SC0xxxxx, for example SC098765). https://www.oscr.org.uk/managing-a-charity/trustee-duties/publicising-charitable-status
- Charity Commission for England and Wales register: registered numbers have 6 digits (older charities)
  or 7 (since the 1990s); linked charities add a subsidiary number, written 1053467-2.
  https://register-of-charities.charitycommission.gov.uk/
- Charity Commission for Northern Ireland register: numbers are 6 digits from 100000 (findthatcharity.uk
  shows them as NIC100012). https://www.charitycommissionni.org.uk/
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# ---------------------------------------------------------------------------------------------------
# Postcodes
# ---------------------------------------------------------------------------------------------------

POSTCODE_MESSAGE = "Enter a real postcode, like SW1A 1AA"

# The outward code's shapes (A9, A99, A9A, AA9, AA99, AA9A) with the letters each position may hold, and
# the inward code (9AA) without the letters C, I, K, M, O and V (Royal Mail's published rules).
_FIRST = "ABCDEFGHIJKLMNOPRSTUWYZ"  # never Q, V or X
_SECOND = "ABCDEFGHKLMNOPQRSTUVWXY"  # never I, J or Z
_THIRD = "ABCDEFGHJKPSTUW"  # the letter in A9A
_FOURTH = "ABEHMNPRVWXY"  # the letter in AA9A
_INWARD = "ABDEFGHJLNPQRSTUWXYZ"
_POSTCODE = re.compile(
    rf"^(?:[{_FIRST}][0-9]{{1,2}}|[{_FIRST}][0-9][{_THIRD}]|[{_FIRST}][{_SECOND}][0-9]{{1,2}}"
    rf"|[{_FIRST}][{_SECOND}][0-9][{_FOURTH}])[0-9][{_INWARD}]{{2}}$"
)
_SPECIAL_POSTCODES = {"GIR0AA"}  # Girobank's historic postcode, still valid


def postcode_clean(value: str) -> str:
    """A UK postcode in upper case with one space before the inward code ("sw1a1aa" -> "SW1A 1AA")."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not (_POSTCODE.match(compact) or compact in _SPECIAL_POSTCODES):
        raise ValidationError(POSTCODE_MESSAGE, code="invalid_postcode")
    return f"{compact[:-3]} {compact[-3:]}"


# ---------------------------------------------------------------------------------------------------
# Register identifiers
# ---------------------------------------------------------------------------------------------------

CHC = "GB-CHC"
COH = "GB-COH"
OSCR = "GB-SC"
NIC = "GB-NIC"
SCHEMES = (CHC, COH, OSCR, NIC)

# Prefixes Companies House puts before 6 digits. The common ones come first; the rest are the rarer
# registers (overseas companies, industrial and provident societies, European companies...).
COMPANY_PREFIXES = (
    "SC",
    "NI",
    "OC",
    "SO",
    "NC",
    "R0",
    "FC",
    "SF",
    "NF",
    "LP",
    "SL",
    "NL",
    "IP",
    "SP",
    "NP",
    "RC",
    "SR",
    "NR",
    "CE",
    "CS",
    "SE",
    "ES",
    "EN",
    "GE",
    "GS",
    "GN",
    "AC",
    "SA",
    "NA",
    "ZC",
    "IC",
    "SI",
    "NV",
    "SG",
)


def _compact(value: str, *prefixes: str) -> str:
    """Upper case, no spaces, and without a scheme prefix the person may have typed."""
    text = re.sub(r"\s+", "", value or "").upper()
    for prefix in prefixes:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def charity_number_clean(value: str) -> str:
    """A Charity Commission for England and Wales registered number: 6 or 7 digits, optionally with a
    subsidiary number after a dash ("1053467-2")."""
    text = _compact(value, "GB-CHC-")
    main, dash, subsidiary = text.partition("-")
    if not main:
        raise ValidationError("Enter the charity number, like 1234567", code="charity_empty")
    if not main.isdigit():
        raise ValidationError(
            "A charity number contains only numbers, like 1234567", code="charity_not_digits"
        )
    if len(main) not in (6, 7):
        raise ValidationError(
            f"A charity number in England and Wales has 6 or 7 digits; you entered {len(main)}",
            code="charity_length",
        )
    if main.startswith("0"):
        raise ValidationError("A charity number does not start with 0", code="charity_leading_zero")
    if dash:
        if not subsidiary.isdigit():
            raise ValidationError(
                "Write a subsidiary number as digits after a dash, like 1234567-1",
                code="charity_subsidiary",
            )
        return f"{main}-{int(subsidiary)}"
    return main


def company_number_clean(value: str) -> str:
    """A Companies House number in its 8-character form: 8 digits (shorter numbers padded with leading
    zeros, "445790" -> "00445790") or a two-letter prefix and 6 digits ("SC123456")."""
    text = _compact(value, "GB-COH-")
    if not text:
        raise ValidationError("Enter the company number, like 01234567", code="company_empty")
    if text.isdigit():
        if len(text) > 8:
            raise ValidationError(
                f"A company number has 8 characters; you entered {len(text)}", code="company_length"
            )
        return text.zfill(8)
    prefix, digits = text[:2], text[2:]
    if prefix not in COMPANY_PREFIXES:
        raise ValidationError(
            "A company number is 8 digits, or 2 letters such as SC, NI or OC followed by 6 digits",
            code="company_prefix",
        )
    if not (digits.isdigit() and len(digits) == 6):
        raise ValidationError(
            f"After {prefix}, a company number has 6 digits, like {prefix}123456", code="company_digits"
        )
    return text


def scottish_charity_number_clean(value: str) -> str:
    """An OSCR Scottish Charity Number: SC followed by 6 digits, the first of them 0 ("SC012345")."""
    text = _compact(value, "GB-SC-")
    if not text:
        raise ValidationError("Enter the Scottish charity number, like SC012345", code="oscr_empty")
    if not text.startswith("SC"):
        raise ValidationError("A Scottish charity number starts with SC, like SC012345", code="oscr_prefix")
    digits = text[2:]
    if not (digits.isdigit() and len(digits) == 6):
        raise ValidationError(
            "After SC, a Scottish charity number has 6 digits, like SC012345", code="oscr_digits"
        )
    if not digits.startswith("0"):
        raise ValidationError("Scottish charity numbers start with SC0, like SC012345", code="oscr_zero")
    return text


def northern_ireland_charity_number_clean(value: str) -> str:
    """A Charity Commission for Northern Ireland number: 6 digits, 100000 or more.

    People often write it with NIC in front, as findthatcharity.uk does: "NIC100012" -> "100012".
    """
    text = _compact(value, "GB-NIC-", "NIC")
    if not text:
        raise ValidationError("Enter the Northern Ireland charity number, like 100012", code="nic_empty")
    if not (text.isdigit() and len(text) == 6):
        raise ValidationError(
            "A Northern Ireland charity number has 6 digits, like 100012", code="nic_digits"
        )
    if int(text) < 100000:
        raise ValidationError("Northern Ireland charity numbers start at 100000", code="nic_range")
    return text


IDENTIFIER_CLEANERS = {
    CHC: charity_number_clean,
    COH: company_number_clean,
    OSCR: scottish_charity_number_clean,
    NIC: northern_ireland_charity_number_clean,
}


def identifier_clean(*, scheme: str, value: str) -> str:
    """The identifier in its standard form for the scheme (one of SCHEMES)."""
    try:
        cleaner = IDENTIFIER_CLEANERS[scheme]
    except KeyError:
        raise ValidationError(
            f"{scheme} is not a register we know; use GB-CHC, GB-COH, GB-SC or GB-NIC", code="scheme"
        ) from None
    return cleaner(value)


def org_id_parse(text: str) -> tuple[str, str]:
    """Split an org-id ("GB-CHC-1234567") into its scheme and cleaned identifier."""
    compact = re.sub(r"\s+", "", text or "").upper()
    # GB-SC- before GB-S... and the longest scheme first, so GB-NIC is not read as another scheme.
    for scheme in sorted(SCHEMES, key=len, reverse=True):
        if compact.startswith(f"{scheme}-"):
            return scheme, identifier_clean(scheme=scheme, value=compact[len(scheme) + 1 :])
    raise ValidationError(
        "Enter an organisation identifier starting GB-CHC-, GB-COH-, GB-SC- or GB-NIC-, like GB-CHC-1234567",
        code="org_id",
    )


# ---------------------------------------------------------------------------------------------------
# Web addresses
# ---------------------------------------------------------------------------------------------------

URL_MESSAGE = "Enter a web address in the correct format, like https://www.example.org"
_url_validator = URLValidator(schemes=["http", "https"], message=URL_MESSAGE)


def web_address_clean(value: str) -> str:
    """A web address with its scheme; people often leave it off, so "www.example.org" gains https://."""
    text = (value or "").strip()
    if not text or any(character.isspace() for character in text):
        raise ValidationError(URL_MESSAGE, code="invalid_url")
    if "://" not in text:
        text = f"https://{text}"
    _url_validator(text)
    return text
