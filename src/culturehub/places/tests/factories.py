"""Plain functions that build places data for tests.

Codes and names are real ONS codes so pages read naturally; the figures are made up for the tests
and never leave them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from culturehub.core.models import ImportRun
from culturehub.places.models import Area, AreaAlias, AreaIcb, DataSource, Indicator, IndicatorValue, Priority

ENGLAND = "E92000001"


def make_area(*, code: str, name: str, kind: str, upper_tier: Area | None = None,
              region: Area | None = None) -> Area:
    return Area.objects.create(code=code, name=name, kind=kind, upper_tier=upper_tier, region=region)


def make_england() -> Area:
    area, _created = Area.objects.get_or_create(
        code=ENGLAND, defaults={"name": "England", "kind": Area.Kind.COUNTRY}
    )
    return area


def make_source(*, key: str = "fingertips", name: str = "OHID Fingertips") -> DataSource:
    source, _created = DataSource.objects.get_or_create(
        key=key,
        defaults={
            "name": name,
            "publisher": "Office for Health Improvement and Disparities",
            "url": "https://fingertips.phe.org.uk/",
            "licence": "Open Government Licence v3.0",
            "licence_url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        },
    )
    return source


def make_indicator(*, key: str, name: str | None = None, polarity: str = Indicator.Polarity.NO_JUDGEMENT,
                   unit: str = "", source: DataSource | None = None, **fields) -> Indicator:
    return Indicator.objects.create(
        key=key, name=name or key.replace("-", " ").capitalize(), polarity=polarity, unit=unit,
        source=source or make_source(), **fields,
    )


def make_import_run(*, finished_at: datetime | None = None, source: str = "fingertips") -> ImportRun:
    return ImportRun.objects.create(
        source=source, location="tests", status=ImportRun.Status.SUCCEEDED,
        finished_at=finished_at or timezone.now(),
    )


def make_value(*, indicator: Indicator, area: Area, value: float | None, period: str = "2022/23",
               period_start: int | None = None, lower_ci: float | None = None, upper_ci: float | None = None,
               sex: str = "Persons", age: str = "All ages", category_type: str = "", category: str = "",
               import_run: ImportRun | None = None, **extra) -> IndicatorValue:
    return IndicatorValue.objects.create(
        indicator=indicator, area=area, value=value, period=period,
        period_start=period_start if period_start is not None else int(period[:4]),
        lower_ci=lower_ci, upper_ci=upper_ci, sex=sex, age=age,
        category_type=category_type, category=category, import_run=import_run, **extra,
    )


def make_priority(*, area: Area, title: str = "Mental wellness and balance", themes=(), **fields) -> Priority:
    """A priority stored directly (test set-up; the service is tested on its own)."""
    defaults = {
        "summary": "Help people look after their mental wellbeing.",
        "document_type": Priority.DocumentType.HEALTH_AND_WELLBEING_STRATEGY,
        "source_title": "Joint Health and Wellbeing Strategy 2022 to 2030",
        "source_url": "https://example.org/strategy",
        "source_date": "2022-2030",
        "publisher": "Health and Wellbeing Board",
    }
    priority = Priority.objects.create(area=area, title=title, **{**defaults, **fields})
    if themes:
        priority.themes.set(themes)
    return priority


def give_two_factor(user):
    """Commissioners and administrators must have TOTP set up before they can use the site."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user


@dataclass
class Geography:
    england: Area
    north_west: Area
    south_east: Area
    manchester: Area
    kent: Area
    maidstone: Area
    dartford: Area
    sevenoaks: Area
    gm_icb: Area
    kent_icb: Area
    west_suffolk: Area


def make_geography() -> Geography:
    """England; Manchester (metropolitan, its own upper tier); Kent (county) with three districts."""
    england = make_england()
    north_west = make_area(code="E12000002", name="North West", kind=Area.Kind.REGION)
    south_east = make_area(code="E12000008", name="South East", kind=Area.Kind.REGION)
    east = make_area(code="E12000006", name="East of England", kind=Area.Kind.REGION)
    manchester = make_area(code="E08000003", name="Manchester", kind=Area.Kind.METROPOLITAN,
                           region=north_west)
    manchester.upper_tier = manchester
    manchester.save()
    kent = make_area(code="E10000016", name="Kent", kind=Area.Kind.COUNTY, region=south_east)
    maidstone = make_area(code="E07000110", name="Maidstone", kind=Area.Kind.DISTRICT, upper_tier=kent,
                          region=south_east)
    dartford = make_area(code="E07000107", name="Dartford", kind=Area.Kind.DISTRICT, upper_tier=kent,
                         region=south_east)
    sevenoaks = make_area(code="E07000111", name="Sevenoaks", kind=Area.Kind.DISTRICT, upper_tier=kent,
                          region=south_east)
    gm_icb = make_area(code="E54000057", name="NHS Greater Manchester Integrated Care Board",
                       kind=Area.Kind.ICB)
    kent_icb = make_area(code="E54000032", name="NHS Kent and Medway Integrated Care Board",
                         kind=Area.Kind.ICB)
    AreaIcb.objects.create(area=manchester, icb=gm_icb, share=1.0)
    for district in (maidstone, dartford, sevenoaks):
        AreaIcb.objects.create(area=district, icb=kent_icb, share=1.0)
    suffolk = make_area(code="E10000029", name="Suffolk", kind=Area.Kind.COUNTY, region=east)
    west_suffolk = make_area(code="E07000245", name="West Suffolk", kind=Area.Kind.DISTRICT,
                             upper_tier=suffolk, region=east)
    AreaAlias.objects.create(code="E07000201", area=west_suffolk, name="Forest Heath",
                             note="Merged into West Suffolk in April 2019")
    return Geography(
        england=england, north_west=north_west, south_east=south_east, manchester=manchester, kent=kent,
        maidstone=maidstone, dartford=dartford, sevenoaks=sevenoaks, gm_icb=gm_icb, kent_icb=kent_icb,
        west_suffolk=west_suffolk,
    )
