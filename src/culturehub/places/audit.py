from auditlog.registry import auditlog

from culturehub.places.models import Priority

auditlog.register(Priority, m2m_fields={"themes"}, exclude_fields=["created_at", "updated_at"])
