from auditlog.registry import auditlog

from culturehub.vocabulary.models import AssignedTag

auditlog.register(AssignedTag)
