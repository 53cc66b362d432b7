"""Oracle's procurement rules, enforced once for REST and (through REST) for the pages."""

from sandbox.rules.errors import RuleViolation

__all__ = ["RuleViolation"]
