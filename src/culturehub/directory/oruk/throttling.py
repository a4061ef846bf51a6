"""Rate limits for the open Open Referral UK feed.

The compliance rules make the feed open to anyone without a key and allow publishers to throttle
it. The limit is per client address, on its own cache key so it never shares a count with any
other throttle in the project.
"""

from ninja.throttling import AnonRateThrottle

# 120 requests a minute per address: a harvester paging through the whole directory at 200 services
# a page (the per_page cap) still reads 24,000 services a minute, while one client in a loop cannot
# take the 2-core server from everyone else.
ORUK_RATE = "120/min"


class OrukRateThrottle(AnonRateThrottle):
    scope = "oruk"
