"""Benchmark data: a directory of 20,000 organisations with 50,000 published offers in a SQLite file.

    python bench/directory_generate.py [--data-dir var/bench/directory] [--organisations 20000]
                                       [--offers 50000] [--seed 3] [--database-url URL]

The database is `<data-dir>/culturehub.sqlite3`, made afresh each run (an earlier file is deleted), or
with --database-url postgres://... a PostgreSQL database, which must be empty (`createdb` a new one;
nothing is deleted there).
Areas are the real English areas from the bundled ONS lookups and the vocabulary is the bundled one.
The text of each offer is assembled from the vocabulary's labels and synonyms and the word list below;
every record is published and marked as an example. Rows go in with bulk_create, each offer already
carrying its search_text (the recipe of `directory.services.offer_search_text`, checked against it on
a sample afterwards), so the insert trigger from migration 0002_search fills the FTS5 index as they go
in; the index is then optimised and the database analysed (on PostgreSQL the GIN index from the same
migration is filled as rows go in; the tables are analysed).

Then run bench/directory_search.py against the same --data-dir.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "var" / "bench" / "directory"

# Our own word list: the everyday words organisations use to describe community arts work.
WORDS = [
    "afternoon", "ageing", "allotment", "archive", "audience", "autumn", "ballet", "band", "banner",
    "belonging", "bereavement", "book", "bridge", "calm", "canal", "carers", "celebration", "ceramics",
    "choir", "circus", "city", "clay", "coast", "collage", "community", "confidence", "conversation",
    "craft", "creative", "crochet", "culture", "cycling", "dementia", "digital", "drawing", "drumming",
    "early", "evening", "exhibition", "family", "festival", "film", "folk", "friendship", "garden",
    "gentle", "green", "group", "guided", "harbour", "harmony", "healing", "heritage", "history",
    "hospital", "ideas", "journal", "kitchen", "knitting", "lantern", "learning", "library", "light",
    "listening", "living", "local", "lunchtime", "making", "market", "meadow", "memory", "mentoring",
    "mindful", "mosaic", "movement", "mural", "museum", "music", "neighbourhood", "nature", "outdoor",
    "painting", "park", "parent", "photography", "play", "poetry", "pottery", "printmaking", "puppetry",
    "quiet", "radio", "reading", "recovery", "residency", "rhythm", "river", "school", "sculpture",
    "seaside", "sewing", "singing", "skills", "sketching", "social", "song", "spring", "stories", "street",
    "studio", "summer", "support", "table", "tea", "textiles", "theatre", "together", "town", "ukulele",
    "village", "voices", "walking", "weaving", "wellbeing", "winter", "woodland", "workshop", "writing",
    "young", "youth", "zine",
]
ORGANISATION_KINDS = ["Arts", "Community Arts", "Music", "Theatre", "Dance", "Heritage Trust", "Museum",
                      "Creative Health", "Arts Collective", "Library Service", "Festival", "Studios"]
ORGANISATION_ENDINGS = ["", " Trust", " CIC", " Project", " Network", " Partnership", " Society", " Group"]
OFFER_SHAPES = ["{word} {art} for {population}", "{art} and {word}", "{word} {art} sessions",
                "{population}: {art}", "The {word} {art} project", "{art} at the {word}"]
LEGAL_FORMS = ["charity", "cio", "cic", "clg", "social_enterprise", "unincorporated", "individual"]


def setup_django(data_dir: Path, database_url: str | None = None) -> None:
    """Django on the SQLite file in data_dir, or on the database at database_url."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DEBUG"] = "1"
    os.environ["CULTUREHUB_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "culturehub.config.settings"
    sys.path.insert(0, str(REPO_ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings

    # DEBUG keeps every query's text in memory; production does not, so neither does the benchmark.
    settings.DEBUG = False


def prepare_database() -> None:
    from django.core.management import call_command

    from culturehub.places.imports import areas_import
    from culturehub.places.models import Area
    from culturehub.vocabulary.services import vocabulary_load

    call_command("migrate", verbosity=0)
    from culturehub.directory.models import Organisation

    if Organisation.objects.exists():
        raise SystemExit("This database already holds organisations: give an empty one (createdb a new one).")
    if not Area.objects.exists():
        run = areas_import()
        print(f"Areas: {run.status} ({run.message})")
    vocabulary_load()


def remove_database(data_dir: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        (data_dir / f"culturehub.sqlite3{suffix}").unlink(missing_ok=True)


class Generator:
    def __init__(self, seed: int):
        from culturehub.places.models import Area
        from culturehub.vocabulary.models import Term

        self.random = random.Random(seed)  # noqa: S311  repeatable data, not secrets
        areas = list(Area.objects.all())
        self.local = [a for a in areas if a.kind in ("district", "unitary", "metropolitan", "london_borough")]
        self.counties = [a for a in areas if a.kind == "county"]
        self.icbs = [a for a in areas if a.kind == "icb"]
        self.regions = [a for a in areas if a.kind == "region"]
        self.england = [a for a in areas if a.code == "E92000001"]
        self.terms: dict[str, list] = {}
        for term in Term.objects.filter(retired=False).select_related("scheme"):
            self.terms.setdefault(term.scheme.key, []).append(term)

    def areas(self) -> list:
        """Mostly one or two councils; sometimes a county, an ICB, a region or all of England."""
        roll = self.random.random()
        if roll < 0.6:
            return self.random.sample(self.local, self.random.choice((1, 1, 1, 2, 3)))
        if roll < 0.75:
            return [self.random.choice(self.counties)]
        if roll < 0.87:
            return [self.random.choice(self.icbs)]
        if roll < 0.96:
            return [self.random.choice(self.regions)]
        return list(self.england)

    def some(self, scheme: str, low: int, high: int) -> list:
        terms = self.terms.get(scheme, [])
        return self.random.sample(terms, min(len(terms), self.random.randint(low, high)))

    def words(self, count: int) -> list[str]:
        return [self.random.choice(WORDS) for _ in range(count)]

    def term_word(self, term) -> str:
        return self.random.choice([term.label, *[str(synonym) for synonym in term.synonyms or []]])


def sentence(generator: Generator, terms: list) -> str:
    words = generator.words(generator.random.randint(6, 12))
    for term in terms:
        words.insert(generator.random.randrange(len(words) + 1), generator.term_word(term).lower())
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def search_text(*, name, description, eligibility, organisation_name, terms, areas) -> str:
    """The recipe of directory.services.offer_search_text, from data already in memory."""
    words = [name, description, eligibility, organisation_name]
    for term in sorted(terms, key=lambda term: term.pk):
        words.append(term.label)
        words.extend(str(synonym) for synonym in term.synonyms or [])
    words.extend(sorted(area.name for area in areas))
    return "\n".join(word.strip() for word in words if word and word.strip())


def generate(organisation_count: int, offer_count: int, seed: int) -> None:
    from django.db import connection, transaction

    from culturehub.directory.models import Offer, Organisation

    generator = Generator(seed)
    rnd = generator.random
    started = time.perf_counter()
    organisations, organisation_areas = [], []
    for number in range(organisation_count):
        home = rnd.choice(generator.local)
        name = f"{home.name} {rnd.choice(ORGANISATION_KINDS)}{rnd.choice(ORGANISATION_ENDINGS)} {number}"
        organisation = Organisation(
            id=uuid.UUID(int=rnd.getrandbits(128), version=4), name=name,
            legal_form=rnd.choice(LEGAL_FORMS), description=sentence(generator, []), town=home.name,
            status="published", is_example=True,
        )
        organisations.append(organisation)
        organisation_areas.append([home, *generator.areas()])

    m2m_fields = {"themes": ("themes", 1, 3), "art_forms": ("art_forms", 1, 2),
                  "populations": ("populations", 1, 2), "delivery_settings": ("settings", 1, 2),
                  "outcomes": ("outcomes", 1, 3)}
    offers, offer_links = [], []
    routes = [route for route, _label in Offer.REFERRAL_ROUTES]
    prices = [price for price, _label in Offer.Price.choices]
    for number in range(offer_count):
        # Every organisation gets at least one offer; the rest go to organisations at random.
        organisation = organisations[number] if number < organisation_count else rnd.choice(organisations)
        chosen = {field: generator.some(*spec) for field, spec in m2m_fields.items()}
        areas = generator.areas()
        art = generator.term_word(chosen["art_forms"][0]) if chosen["art_forms"] else rnd.choice(WORDS)
        population = chosen["populations"][0].label.lower() if chosen["populations"] else "everyone"
        name = rnd.choice(OFFER_SHAPES).format(word=rnd.choice(WORDS), art=art.lower(), population=population)
        name = name[0].upper() + name[1:]
        description = " ".join(sentence(generator, chosen["themes"] + chosen["outcomes"]) for _ in range(3))
        eligibility = rnd.choice(["", "", f"For {population} living in {areas[0].name}."])
        price = rnd.choice(prices)
        all_terms = [term for terms in chosen.values() for term in terms]
        offers.append(Offer(
            id=uuid.UUID(int=rnd.getrandbits(128), version=4), organisation=organisation, name=name[:200],
            description=description, eligibility=eligibility, delivery_modes=["sessions"],
            price=price, price_amount=None if price == "free" else rnd.choice([3, 5, 8, 12, 40, 250]),
            referral_routes=rnd.sample(routes, rnd.randint(1, 3)), status="published",
            search_text=search_text(name=name, description=description, eligibility=eligibility,
                                    organisation_name=organisation.name, terms=all_terms, areas=areas),
        ))
        offer_links.append((chosen, areas))
    print(f"Built {len(organisations):,} organisations and {len(offers):,} offers in memory "
          f"in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    with transaction.atomic():
        Organisation.objects.bulk_create(organisations, batch_size=2000)
        through = Organisation.areas_served.through
        through.objects.bulk_create(
            [through(organisation_id=org.pk, area_id=area.pk)
             for org, areas in zip(organisations, organisation_areas, strict=True)
             for area in {area.pk: area for area in areas}.values()],
            batch_size=5000,
        )
        # The insert trigger copies each offer's search_text into the FTS5 index as it goes in.
        Offer.objects.bulk_create(offers, batch_size=2000)
        rows = {field: [] for field in [*m2m_fields, "areas_served"]}
        for offer, (chosen, areas) in zip(offers, offer_links, strict=True):
            for field, terms in chosen.items():
                through = getattr(Offer, field).through
                rows[field].extend(through(offer_id=offer.pk, term_id=term.pk) for term in terms)
            through = Offer.areas_served.through
            rows["areas_served"].extend(through(offer_id=offer.pk, area_id=area.pk) for area in areas)
        for field, field_rows in rows.items():
            getattr(Offer, field).through.objects.bulk_create(field_rows, batch_size=5000)
    print(f"Stored them in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO directory_offer_fts(directory_offer_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
            cursor.execute("SELECT count(*) FROM directory_offer_fts")
            indexed = f"{cursor.fetchone()[0]:,} offers in the FTS5 index, optimised"
        else:
            cursor.execute("ANALYZE")
            indexed = "GIN index filled on insert"
    seconds = time.perf_counter() - started
    print(f"Search index: {indexed}; analysed in {seconds:.1f} s")


def check_recipe(sample: int = 20) -> None:
    """The generated search_text must be what the directory's own service would store."""
    from culturehub.directory import services
    from culturehub.directory.models import Offer

    if not hasattr(services, "offer_search_text"):
        print("directory.services.offer_search_text is not there yet; recipe not checked.")
        return
    offers = Offer.objects.select_related("organisation").order_by("?")[:sample]
    differing = [offer.pk for offer in offers if services.offer_search_text(offer) != offer.search_text]
    if differing:
        raise SystemExit(f"search_text differs from offer_search_text for {len(differing)} of {sample}")
    print(f"search_text matches directory.services.offer_search_text on {sample} sampled offers")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--offers", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--database-url", help="an empty PostgreSQL database to fill instead of SQLite")
    args = parser.parse_args()
    if args.offers < args.organisations:
        parser.error("--offers must be at least --organisations (each organisation has an offer)")
    args.data_dir.mkdir(parents=True, exist_ok=True)
    if not args.database_url:
        remove_database(args.data_dir)
    setup_django(args.data_dir, args.database_url)
    prepare_database()
    generate(args.organisations, args.offers, args.seed)
    check_recipe()
    if args.database_url:
        print(f"Database: {args.database_url}")
    else:
        database = args.data_dir / "culturehub.sqlite3"
        print(f"Database: {database} ({database.stat().st_size / 1e6:,.0f} MB)")


if __name__ == "__main__":
    main()
