from auditlog.registry import auditlog

from culturehub.opportunities.models import Buyer, RelevanceFlag, SavedSearch

# Imports write buyers in bulk (no signals); what the trail records is a person correcting a buyer's
# type or place by hand, which changes every opportunity shown in that place.
auditlog.register(Buyer)
# Flags are people's judgements, kept as examples for improving the automatic one: who said what, when.
auditlog.register(RelevanceFlag)
# Saved searches: who saved, renamed or deleted a search, and when its feed address was replaced; the
# token is masked in the trail, as it is a key to the feeds.
auditlog.register(SavedSearch, mask_fields=["feed_token"])
