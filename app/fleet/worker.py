"""``rpa worker``: take flow runs from the fleet's queue and run each as the scheduler does.

Each run is ``rpa run FLOW …`` in a child process in its own process group, with the flow's time
limit (:class:`app.scheduling.runtime.SchedulerRuntime`), and dies with the worker: a worker
killed with ``kill -9``, or a host that stops, takes its runs with it.

The worker writes its heartbeat into the queue's workers table. Every worker also watches the
fleet: a run held by a worker whose heartbeat stopped longer than
``queue.stalled_worker_timeout_s`` ago is put back on the queue, and run records whose heartbeat
stopped are closed as aborted; the next run of the flow, on any host, picks up its unfinished
requests (the ledger makes that safe).

Stop (SIGTERM from systemd, or Ctrl-C): take no new run; running flows are asked to finish the
request in hand (SIGTERM) and get ``scheduler.shutdown_grace_s``; then their process groups are
stopped and recorded as interrupted. A second signal cuts the grace short.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
from collections.abc import Mapping
from typing import Any

import procrastinate
import structlog
from procrastinate import RetryStrategy

from app.fleet.queue_app import QUEUE, RUN_FLOW_TASK, ensure_queue_schema, worker_queue_app
from app.fleet.queued_runs import RunOrigin
from app.flow_registry import FlowSpec
from app.scheduling.process_group import OrphanReaper, become_subreaper
from app.scheduling.run_log import SchedulerRunLog
from app.scheduling.runtime import RunSource, SchedulerRuntime
from config.settings import Settings
from rpa.logging import configure_logging
from rpa.run_lock import running_holder

log = structlog.get_logger()


class WorkerStoppingError(RuntimeError):
    """A job reached a worker that is stopping: it goes back on the queue for another."""


class FlowRunningElsewhereError(RuntimeError):
    """The flow is running outside the queue (an operator's plain ``rpa run`` on some host):
    the queued run waits on the queue and is tried again, rather than being refused."""


# How long a queued run that could not start here waits before it is tried again, and how many
# times (about a day: longer than any flow's time limit).
REQUEUE_WAIT_S = 10
REQUEUE_ATTEMPTS = 8640


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def register_run_flow_task(app: procrastinate.App, runtime: SchedulerRuntime) -> None:
    """The queue's one task: run a flow through ``runtime``."""

    def run_flow(flow: str, args: list[str], origin: dict[str, Any]) -> None:
        if runtime.registry.stopping:
            raise WorkerStoppingError("this worker is stopping")
        holder = running_holder(runtime.settings, flow)
        if holder is not None:
            log.info(
                "flow running outside the queue; the queued run waits", holder=holder.describe()
            )
            raise FlowRunningElsewhereError(f"{flow} is running: {holder.describe()}")
        queued = RunOrigin.from_job_args(origin)
        source = RunSource(
            schedule_id=queued.schedule_id,
            operator=None if queued.schedule_id else (queued.operator or "unknown"),
        )
        log.info("queued run taken", flow=flow, origin=origin)
        runtime.run_for(source, flow, tuple(args))

    # A job that reaches a stopping worker, or finds its flow running outside the queue, goes
    # back on the queue; nothing else is retried by the queue (a flow records its own failures,
    # and its next run picks up what is left).
    retry = RetryStrategy(
        max_attempts=REQUEUE_ATTEMPTS,
        wait=REQUEUE_WAIT_S,
        retry_exceptions={WorkerStoppingError, FlowRunningElsewhereError},
    )
    app.task(name=RUN_FLOW_TASK, queue=QUEUE, retry=retry)(run_flow)


async def requeue_stalled_runs(app: procrastinate.App, stalled_after_s: float) -> list[int]:
    """Put back on the queue the runs held by workers whose heartbeat stopped. Returns the
    ids of the jobs this call put back (another worker may have done it first)."""
    requeued: list[int] = []
    stalled = await app.job_manager.get_stalled_jobs(
        queue=QUEUE, task_name=RUN_FLOW_TASK, seconds_since_heartbeat=stalled_after_s
    )
    for job in stalled:
        assert job.id is not None
        try:
            await app.job_manager.retry_job(job)
        except Exception as exc:
            log.info("stalled run already handled", job_id=job.id, reason=str(exc))
            continue
        requeued.append(job.id)
        log.warning(
            "run put back on the queue: its worker stopped sending heartbeats",
            job_id=job.id,
            flow=job.task_kwargs.get("flow"),
            worker_id=job.worker_id,
            stalled_after_s=stalled_after_s,
        )
    return requeued


async def _watch_the_fleet(
    app: procrastinate.App, run_log: SchedulerRunLog, settings: Settings
) -> None:
    """Every heartbeat interval: requeue dead workers' runs, close dead runs' records."""
    interval = settings.queue.worker_heartbeat_interval_s
    while True:
        try:
            await requeue_stalled_runs(app, settings.queue.stalled_worker_timeout_s)
            await asyncio.to_thread(run_log.close_dead_runs)
        except Exception as exc:
            log.error("watching the fleet failed; trying again", error=repr(exc))
        await asyncio.sleep(interval)


async def _serve(
    app: procrastinate.App, runtime: SchedulerRuntime, settings: Settings, concurrency: int
) -> None:
    loop = asyncio.get_running_loop()
    stop, hurry = asyncio.Event(), asyncio.Event()

    def on_signal() -> None:
        (hurry if stop.is_set() else stop).set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal)
    async with app.open_async():
        worker = asyncio.create_task(
            app.run_worker_async(
                queues=[QUEUE],
                name=worker_name(),
                concurrency=concurrency,
                install_signal_handlers=False,
                update_heartbeat_interval=settings.queue.worker_heartbeat_interval_s,
                stalled_worker_timeout=settings.queue.stalled_worker_timeout_s,
                fetch_job_polling_interval=settings.queue.fetch_poll_interval_s,
            )
        )
        watcher = asyncio.create_task(_watch_the_fleet(app, runtime.run_log, settings))
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({worker, stopped}, return_when=asyncio.FIRST_COMPLETED)
        log.info("stop requested; no new runs will start", running=len(runtime.registry.running()))
        # procrastinate stops fetching, then waits for the running jobs (no time limit of its
        # own: the runtime's drain below bounds the wait).
        worker.cancel()

        async def relay_hurry() -> None:
            await hurry.wait()
            log.warning("second stop signal: stopping running flows now")
            runtime.registry.hurry()

        hurrier = asyncio.create_task(relay_hurry())
        await asyncio.to_thread(runtime.drain, settings.scheduler.shutdown_grace_s)
        with contextlib.suppress(asyncio.CancelledError):
            await worker
        for task in (watcher, hurrier, stopped):
            task.cancel()
        await asyncio.gather(watcher, hurrier, stopped, return_exceptions=True)


def run_worker(settings: Settings, flows: Mapping[str, FlowSpec], concurrency: int) -> int:
    """Run a worker in the foreground until SIGTERM/SIGINT. Returns the exit code (0)."""
    configure_logging(
        level=settings.log_level, log_file=settings.logs_dir / "worker" / "worker.jsonl"
    )
    url = settings.effective_ledger_url
    if ensure_queue_schema(url):
        log.info("queue schema applied to the ledger database")
    run_log = SchedulerRunLog(settings)
    run_log.close_dead_runs()
    runtime = SchedulerRuntime(settings, flows, run_log, runs_die_with_me=True)
    if become_subreaper():  # orphans of a run's browser become ours, to be reaped
        OrphanReaper(runtime.registry.is_tracked).start()
    app = worker_queue_app(url)
    register_run_flow_task(app, runtime)
    log.info("worker starting", name=worker_name(), concurrency=concurrency, queue=QUEUE)
    try:
        asyncio.run(_serve(app, runtime, settings, concurrency))
    finally:
        run_log.close()
    log.info("worker stopped")
    return 0
