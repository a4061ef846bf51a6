"""Stable HSDS ids for records Culture Hub does not key by UUID itself.

Open Referral ids must be UUIDs and must not change between loads, or every consumer that stored
one loses track of it. Taxonomies and terms are keyed by scheme and key, and the small child
objects of a service (its cost option, schedule, areas, attributes) have no table of their own, so
their ids are uuid5 hashes of what identifies them under one fixed namespace. Never change
NAMESPACE: it would change every published id.
"""

from uuid import UUID, uuid5

NAMESPACE = UUID("6f1c2b9e-4a8d-5e3f-9b7c-2d4e6a8c0f13")


def stable_id(*parts: object) -> UUID:
    return uuid5(NAMESPACE, "/".join(str(part) for part in parts))


def taxonomy_id(scheme_key: str) -> UUID:
    return stable_id("taxonomy", scheme_key)


def taxonomy_term_id(scheme_key: str, term_key: str) -> UUID:
    return stable_id("taxonomy_term", scheme_key, term_key)
