from auditlog.registry import auditlog

from culturehub.registers.models import ListingMatch

# Reversing a match is an administrator's decision about someone else's listing: keep its trail.
auditlog.register(ListingMatch)
