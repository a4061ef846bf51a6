from auditlog.registry import auditlog

from culturehub.opportunities.models import Buyer

# Imports write buyers in bulk (no signals); what the trail records is a person correcting a buyer's
# type or place by hand, which changes every opportunity shown in that place.
auditlog.register(Buyer)
