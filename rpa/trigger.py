"""Who or what started a run: a schedule, or an operator at a command line.

An auditor asks "who started this?" of every run. The scheduler says so explicitly: it starts
each run with ``RPA_SCHEDULE_ID`` set to the job's id (or passes the id in). Anything else is an
operator's command, attributed to the operating-system user who typed it — through ``sudo``, the
user who ran sudo, not root.
"""

from __future__ import annotations

import getpass
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

SCHEDULE_ID_ENV = "RPA_SCHEDULE_ID"
# The scheduler also states the trigger explicitly: RPA_TRIGGER_KIND=schedule and the schedule id.
TRIGGER_KIND_ENV = "RPA_TRIGGER_KIND"
TRIGGER_SCHEDULE_ID_ENV = "RPA_TRIGGER_SCHEDULE_ID"
# A run an operator put on the fleet's queue (`rpa run FLOW --defer`) is started by a worker on
# any host, in the worker's account: the worker names the operator who queued it.
TRIGGER_OPERATOR_ENV = "RPA_TRIGGER_OPERATOR"


class TriggerKind(StrEnum):
    """How a run was started."""

    SCHEDULE = "schedule"
    OPERATOR = "operator"


@dataclass(frozen=True)
class Trigger:
    """What started a run, and on which host."""

    kind: TriggerKind
    host: str
    schedule_id: str | None = None  # set when kind is schedule
    operator: str | None = None  # set when kind is operator

    def as_dict(self) -> dict[str, str | None]:
        """Plain values for a run record or a log line."""
        return {
            "kind": self.kind.value,
            "schedule_id": self.schedule_id,
            "operator": self.operator,
            "host": self.host,
        }

    def describe(self) -> str:
        """One phrase for people: "schedule nightly-po on host-1"."""
        who = f"schedule {self.schedule_id}" if self.schedule_id else f"operator {self.operator}"
        return f"{who} on {self.host}"


def current_os_user(environ: Mapping[str, str] | None = None) -> str:
    """The person at the keyboard: ``SUDO_USER`` under sudo, else the login user, else the uid."""
    env = os.environ if environ is None else environ
    # The variables getpass.getuser() reads, in its order, after sudo's record of the real user.
    for name in ("SUDO_USER", "LOGNAME", "USER", "LNAME", "USERNAME"):
        if env.get(name):
            return env[name]
    try:
        return getpass.getuser()  # the password database entry of the current uid
    except (KeyError, OSError):
        # A container may run under a uid with no passwd entry and no USER variable.
        return f"uid:{os.getuid()}"


def detect_trigger(
    schedule_id: str | None = None,
    *,
    operator: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Trigger:
    """Work out the trigger: an explicit or environment schedule id wins; else the operator.

    ``operator`` overrides the detected user (for a service that acts for a named person).
    """
    env = os.environ if environ is None else environ
    host = socket.gethostname()
    explicit = env.get(TRIGGER_SCHEDULE_ID_ENV) if env.get(TRIGGER_KIND_ENV) == "schedule" else None
    scheduled = schedule_id or env.get(SCHEDULE_ID_ENV) or explicit or None
    if scheduled:
        return Trigger(kind=TriggerKind.SCHEDULE, host=host, schedule_id=scheduled)
    queued_by = env.get(TRIGGER_OPERATOR_ENV) if env.get(TRIGGER_KIND_ENV) == "operator" else None
    return Trigger(
        kind=TriggerKind.OPERATOR,
        host=host,
        operator=operator or queued_by or current_os_user(env),
    )


def schedule_environment(schedule_id: str) -> dict[str, str]:
    """The environment entries a scheduler sets on a run it starts, so the run knows its trigger."""
    return {
        SCHEDULE_ID_ENV: schedule_id,
        TRIGGER_KIND_ENV: TriggerKind.SCHEDULE.value,
        TRIGGER_SCHEDULE_ID_ENV: schedule_id,
    }


def operator_environment(operator: str) -> dict[str, str]:
    """The environment entries a worker sets on a run an operator queued, so the run is
    attributed to that operator and not to the worker's service account."""
    return {TRIGGER_KIND_ENV: TriggerKind.OPERATOR.value, TRIGGER_OPERATOR_ENV: operator}
