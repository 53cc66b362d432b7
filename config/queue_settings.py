"""Settings of the fleet's queue (``rpa worker``, and ``rpa schedule`` / ``rpa run --defer`` when
the ledger is on PostgreSQL): how workers take flow runs and how soon a dead worker's run is
given to another.

Set them like any other setting: ``[queue]`` in ``config/settings.toml``, or environment variables
such as ``RPA_QUEUE__WORKER_CONCURRENCY=2``.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator


class QueueSettings(BaseModel):
    """How ``rpa worker`` takes flow runs from the queue in the ledger's PostgreSQL database."""

    # Flow runs one worker process runs at the same time (different flows: a flow never runs
    # twice at once anywhere in the fleet). `rpa worker --concurrency N` overrides it.
    worker_concurrency: int = Field(default=1, ge=1, le=16)
    # Every worker writes its heartbeat into the queue's workers table this often.
    worker_heartbeat_interval_s: float = Field(default=10.0, gt=0, le=600)
    # A worker whose heartbeat is older than this is taken for dead (its host stopped, or it was
    # killed): another worker puts the run it held back on the queue. It must outlast the runs'
    # own heartbeat timeout (run_heartbeat_timeout_s), so that the dead run is closed and its
    # items released before the run starts again elsewhere.
    stalled_worker_timeout_s: float = Field(default=150.0, gt=0, le=86400)
    # How often an idle worker looks for work when PostgreSQL's notifications are lost.
    fetch_poll_interval_s: float = Field(default=5.0, gt=0, le=600)

    @model_validator(mode="after")
    def _several_beats_before_death(self) -> QueueSettings:
        if self.stalled_worker_timeout_s < 3 * self.worker_heartbeat_interval_s:
            raise ValueError(
                "queue.stalled_worker_timeout_s must be at least three times "
                "queue.worker_heartbeat_interval_s, so that one late heartbeat does not make a "
                "live worker look dead"
            )
        return self
