"""Who publishes each register, under which licence, and how to credit it.

Shown on every listing that carries a record from the register, next to the date Culture Hub last
read the entry. Kept in code rather than the database because it changes only when the importer does.
"""

from __future__ import annotations

from dataclasses import dataclass

from culturehub.core.licences import CC_BY, CC_BY_URL, OGL, OGL_URL
from culturehub.registers.models import Source


@dataclass(frozen=True)
class SourceInfo:
    name: str
    publisher: str
    url: str
    licence: str
    licence_url: str
    attribution: str
    published: str  # the edition the bundled data and fixtures come from, in words


SOURCES: dict[str, SourceInfo] = {
    Source.CHARITIES: SourceInfo(
        name="Register of charities, with the UK charity activity tags (UK-CAT) extract",
        publisher="Charity Commission for England and Wales; extract by the UK-CAT project",
        url="https://charityclassification.org.uk/",
        licence=f"{OGL} (register data); {CC_BY} (UK-CAT extract)",
        licence_url=CC_BY_URL,
        attribution=(
            "Contains public sector information from the Charity Commission for England and Wales "
            "licensed under the Open Government Licence v3.0. Extract from the UK Charity Activity "
            "Tags project (charity-classification/ukcat), CC BY 4.0."
        ),
        published="UK-CAT sample and top charities extracts (financial years to 2025)",
    ),
    Source.CCEW: SourceInfo(
        name="Register of charities: full register download",
        publisher="Charity Commission for England and Wales",
        url="https://register-of-charities.charitycommission.gov.uk/register/full-register-download",
        licence=OGL,
        licence_url=OGL_URL,
        attribution=(
            "Contains public sector information from the Charity Commission for England and Wales "
            "licensed under the Open Government Licence v3.0."
        ),
        published="The date of extract given in the file",
    ),
    Source.ACE_NPO: SourceInfo(
        name="National Portfolio Organisations 2018-22",
        publisher="Arts Council England",
        url="https://www.artscouncil.org.uk/our-investment/2018-22-investment-programme-data",
        licence=OGL,
        licence_url=OGL_URL,
        attribution=(
            "Source: Arts Council England, National Portfolio Organisations 2018-22 (list of 12 August "
            "2020), licensed under the Open Government Licence v3.0."
        ),
        published="12 August 2020",
    ),
    Source.ACE_PROJECT_GRANTS: SourceInfo(
        name="National Lottery Project Grants awards",
        publisher="Arts Council England",
        url="https://www.artscouncil.org.uk/ProjectGrants/project-grants-data",
        licence=OGL,
        licence_url=OGL_URL,
        attribution=(
            "Source: Arts Council England, National Lottery Project Grants awards 2018/19, 2019/20 and "
            "2020/21 (lists correct as of 2 October 2020), licensed under the Open Government Licence v3.0."
        ),
        published="2 October 2020",
    ),
    Source.MUSEUMS: SourceInfo(
        name="Mapping Museums data",
        publisher="Mapping Museums project, Birkbeck, University of London",
        url="https://museweb.dcs.bbk.ac.uk/data",
        licence=CC_BY,
        licence_url=CC_BY_URL,
        attribution=(
            "Data from the Mapping Museums website at www.mappingmuseums.org (Poulovassilis, Candlin, "
            "Ballatore et al., Mapping Museums Data, September 2021, Birkbeck, University of London, "
            "doi:10.18743/DATA.00171), used under CC BY 4.0."
        ),
        published="30 September 2021",
    ),
}


def source_info(source: str) -> SourceInfo:
    return SOURCES[source]
