from auditlog.registry import auditlog

from culturehub.directory.models import (
    Consortium,
    ConsortiumMember,
    Offer,
    Organisation,
    OrganisationClaim,
    Venue,
)

auditlog.register(Organisation, m2m_fields={"areas_served"})
auditlog.register(
    Offer,
    m2m_fields={"art_forms", "populations", "delivery_settings", "outcomes", "themes", "areas_served"},
)
auditlog.register(Venue)
auditlog.register(Consortium)
auditlog.register(ConsortiumMember, exclude_fields=["invitation_token"])
auditlog.register(OrganisationClaim, exclude_fields=["token_hash"])
