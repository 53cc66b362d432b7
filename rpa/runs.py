"""Run records: who started each run, with what code, inputs and settings, and how it ended.

Every run writes one record, kept in two places: the ledger database's ``runs`` table (so support
tools can query runs next to items) and ``<logs_dir>/runs/<run_id>/run.json`` (next to the run's
``events.jsonl`` log, for a person reading the folder). A run killed before it could finish
stays ``running``; :func:`abort_dead_runs` recognises it, on its own host by its pid and the
process's start time, on any host by its heartbeat gone stale (:mod:`rpa.run_heartbeat`), and
marks it ``aborted``.

Each change of the record is also appended to the audit chain in the same transaction (start,
browser version, end), flows report what they did to each item with
:meth:`RunRecorder.record_item`, and the end of a run writes its digest: the chain head and the
hashes of the run's evidence files (``docs/audit.md``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import Connection, insert, update

import rpa
from rpa.audit.anchors import current_anchor, read_anchors, write_anchor
from rpa.audit.continuity import refuse_if_behind
from rpa.audit.digests import save_digest_file
from rpa.audit.evidence import describe_all, files_in, run_evidence_dir
from rpa.audit.run_events import close_in_chain, item_result_payload, started_payload
from rpa.ledger import Ledger
from rpa.ledger.chain import ChainEvent, append_event, lock_chain_head
from rpa.ledger.database import write_transaction
from rpa.ledger.event_kinds import EventKind
from rpa.ledger.schema import runs, utc_now
from rpa.redaction import is_sensitive_key, redact, redact_text
from rpa.run_heartbeat import Heartbeat, last_heartbeats
from rpa.run_record import (
    EVENTS_JSONL,
    RUN_JSON,
    InputFile,
    RunRecord,
    RunStatus,
    list_runs,
    new_run_id,
    run_dir,
)
from rpa.trigger import Trigger

log = structlog.get_logger()


def redacted_config(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The settings with every secret (by key name or registered value) replaced by ``***``."""
    cleaned: dict[str, Any] = redact(settings)
    return cleaned


def config_hash(settings: Mapping[str, Any]) -> str:
    """sha256 of the effective settings as canonical JSON, secrets excluded.

    Secret fields are left out entirely, so changing a password does not change the hash, and
    registered secrets inside other values (a database password in ``ledger_url``) are masked
    first: the hash, written in run.json next to the rest of the settings, must not let
    anyone test guesses of a password.
    """

    def without_secrets(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {str(k): without_secrets(v) for k, v in value.items() if not is_sensitive_key(k)}
        if isinstance(value, list | tuple):
            return [without_secrets(v) for v in value]
        return value

    canonical = json.dumps(
        without_secrets(redact(settings)), sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def code_version() -> str:
    """The package version, plus the git commit when the code runs from a checkout."""
    version = rpa.__version__
    git = shutil.which("git")
    if git is None:
        return version
    try:
        done = subprocess.run(
            [git, "rev-parse", "--short=12", "HEAD"],
            cwd=Path(rpa.__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return version
    commit = done.stdout.strip()
    return f"{version}+g{commit}" if done.returncode == 0 and commit else version


def playwright_version() -> str | None:
    """The installed Playwright package's version (the browser's is recorded once launched)."""
    try:
        return importlib_metadata.version("playwright")
    except importlib_metadata.PackageNotFoundError:
        return None


# --- process identity: telling a live run from a dead one ----------------------------------


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(state, start time) from Linux's /proc, or None when there is no such process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may itself contain spaces or parentheses.
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], fields[19]


def process_start_marker(pid: int) -> str | None:
    """The OS's start time of process ``pid`` (Linux), to tell it from a later reuse of the pid."""
    stat = _proc_stat(pid)
    return None if stat is None else stat[1]


def process_alive(pid: int, start_marker: str | None) -> bool:
    """True when process ``pid`` runs and is the same process that recorded ``start_marker``."""
    if Path("/proc/self/stat").exists():
        stat = _proc_stat(pid)
        if stat is None or stat[0] in ("Z", "X"):  # gone, or a zombie nobody reaped yet
            return False
        return start_marker is None or stat[1] == start_marker
    if os.name == "nt":  # pragma: no cover - os.kill would terminate the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    return True


# --- the record --------------------------------------------------------------------------------


def _write_run_json(record: RunRecord, extra: Mapping[str, Any] | None = None) -> None:
    """Write run.json atomically, keeping what an earlier write put there (the settings)."""
    if record.run_dir is None:
        return
    path = Path(record.run_dir) / RUN_JSON
    path.parent.mkdir(parents=True, exist_ok=True)
    content: dict[str, Any] = {}
    if path.exists():
        content = json.loads(path.read_text(encoding="utf-8"))
    content.update(extra or {})
    content.update(record.as_dict())
    # A name of its own per writer: workers of this run and another process's abort_dead_runs
    # may write at the same moment.
    temporary = path.with_name(f".{RUN_JSON}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(json.dumps(content, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    temporary.replace(path)  # readers see the old or the new file, never half of one


def _save(conn: Connection, record: RunRecord, *, only_if_running: bool = False) -> bool:
    stmt = (
        update(runs).where(runs.c.run_id == record.run_id).values(**_without_id(record._columns()))
    )
    if only_if_running:
        stmt = stmt.where(runs.c.status == RunStatus.RUNNING.value)
    return conn.execute(stmt).rowcount == 1


class RunRecorder:
    """Records one run: :meth:`start` it, :meth:`update_counts` as it goes, :meth:`finish` it.

    Safe to call from the run's worker threads: updates are applied one at a time.
    """

    def __init__(
        self,
        ledger: Ledger,
        logs_dir: Path,
        *,
        anchor_dir: Path | None = None,
        heartbeat_interval_s: float | None = None,
    ) -> None:
        self._lock = threading.RLock()
        # While the run runs, its heartbeat is written this often (None: only at the start).
        self._heartbeat_interval_s = heartbeat_interval_s
        self._heartbeat: Heartbeat | None = None
        self._ledger = ledger
        self._logs_dir = logs_dir
        # Where the chain head is anchored as the run ends (audit.anchor_dir), if anywhere.
        self._anchor_dir = anchor_dir
        self._record: RunRecord | None = None
        self._started_monotonic = 0.0
        self._evidence: set[Path] = set()  # files reported by record_item, for the digest

    @property
    def started(self) -> bool:
        """True once :meth:`start` has written the run's record."""
        return self._record is not None

    @property
    def record(self) -> RunRecord:
        """The run as last written (raises before :meth:`start`)."""
        if self._record is None:
            raise RuntimeError("the run has not been started")
        return self._record

    @property
    def run_dir(self) -> Path:
        return run_dir(self._logs_dir, self.record.run_id)

    @property
    def events_path(self) -> Path:
        """Where the run's JSON log lines go (pass it to ``configure_logging(log_file=...)``)."""
        return self.run_dir / EVENTS_JSONL

    def start(
        self,
        *,
        flow: str,
        trigger: Trigger,
        target_url: str | None,
        settings: Mapping[str, Any],
        input_files: Iterable[Path] = (),
        browser_version: str | None = None,
        run_id: str | None = None,
    ) -> RunRecord:
        """Write the run's record as ``running`` (database row and run.json)."""
        started = utc_now()
        self._started_monotonic = time.monotonic()
        the_id = run_id or new_run_id(started)
        record = RunRecord(
            run_id=the_id,
            flow=flow,
            status=RunStatus.RUNNING,
            trigger=trigger,
            pid=os.getpid(),
            process_start=process_start_marker(os.getpid()),
            code_version=code_version(),
            browser_version=browser_version,
            playwright_version=playwright_version(),
            target_url=redact_text(target_url) if target_url else None,
            config_hash=config_hash(settings),
            input_files=tuple(InputFile.describe(Path(p)) for p in input_files),
            started_at=started,
            run_dir=str(run_dir(self._logs_dir, the_id)),
        )
        with write_transaction(self._ledger.engine) as conn:
            head = lock_chain_head(conn)
            # A run's digest would overwrite digest files of a trail this ledger lost.
            refuse_if_behind(
                self._logs_dir,
                ledger=self._ledger.url,
                head_seq=int(head["seq"]),
                head_digest_no=int(head["digest_no"]),
                anchors=read_anchors([self._anchor_dir]) if self._anchor_dir else (),
            )
            conn.execute(
                insert(runs).values(
                    run_id=the_id, heartbeat_at=started, **_without_id(record._columns())
                )
            )
            append_event(
                conn,
                EventKind.RUN_STARTED,
                started_payload(record, self._logs_dir),
                run_id=the_id,
                flow=flow,
                at=started,
            )
        self._record = record
        if self._heartbeat_interval_s is not None:
            self._heartbeat = Heartbeat(
                self._ledger.engine, the_id, self._heartbeat_interval_s
            ).start()
        _write_run_json(record, {"config": redacted_config(settings)})
        return record

    def stop_heartbeat(self) -> None:
        """Stop writing the run's heartbeat (done by :meth:`finish`; also when a run stops
        without being able to close its record, so that it can be seen as dead)."""
        if self._heartbeat is not None:
            self._heartbeat.stop()

    def record_browser_version(self, version: str) -> RunRecord:
        """Note the browser's version once a worker has launched it."""
        with self._lock:
            record = replace(self.record, browser_version=version)
            with write_transaction(self._ledger.engine) as conn:
                _save(conn, record)
                append_event(
                    conn,
                    EventKind.RUN_BROWSER,
                    {"browser_version": version},
                    run_id=record.run_id,
                    flow=record.flow,
                )
            self._record = record
            _write_run_json(record)
            return record

    def record_item(
        self,
        subject: str,
        status: str,
        *,
        reference: str | None = None,
        message: str | None = None,
        failure_class: str | None = None,
        attempts: int = 0,
        evidence: Sequence[Path] = (),
        details: Mapping[str, Any] | None = None,
    ) -> ChainEvent:
        """Append what the run did to one item to the audit chain; returns the event.

        ``subject`` is the item (request id, supplier key); ``status`` its outcome in the
        flow's own words (raised, duplicate, rejected, failed, updated, ...); ``reference``
        what Oracle gave back (a PO number, a supplier number); ``details`` anything else the
        flow wants on the record (the action, values before and after, ...). Each ``evidence``
        file is recorded with its path relative to the logs directory and its SHA-256, and is
        sealed again in the run's digest. Secrets in any value are masked before anything is
        stored.
        """
        payload = item_result_payload(
            self._logs_dir,
            status,
            reference=reference,
            message=message,
            failure_class=failure_class,
            attempts=attempts,
            evidence=evidence,
            details=details,
        )
        record = self.record
        with self._lock:
            self._evidence.update(Path(p) for p in evidence)
        with write_transaction(self._ledger.engine) as conn:
            return append_event(
                conn,
                EventKind.ITEM_RESULT,
                payload,
                run_id=record.run_id,
                flow=record.flow,
                subject=subject,
                reference=reference,
            )

    def record_step(
        self,
        action: str,
        *,
        subject: str | None = None,
        reference: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> ChainEvent:
        """Append any other step of the run (a file refused, a plan written) to the chain."""
        record = self.record
        payload = {"action": action, **(details or {})}
        with write_transaction(self._ledger.engine) as conn:
            return append_event(
                conn,
                EventKind.STEP,
                payload,
                run_id=record.run_id,
                flow=record.flow,
                subject=subject,
                reference=reference,
            )

    def update_counts(self, counts: Mapping[str, int]) -> RunRecord:
        """Replace the run's counts (e.g. items by state) while it runs."""
        with self._lock:
            return self._store(replace(self.record, counts=dict(counts)))

    def finish(
        self,
        status: RunStatus,
        counts: Mapping[str, int] | None = None,
        message: str | None = None,
    ) -> RunRecord:
        """Close the record with its outcome; ``message`` is redacted before it is stored."""
        if RunStatus(status) is RunStatus.RUNNING:
            raise ValueError("a finished run needs a final status, not 'running'")
        self.stop_heartbeat()
        with self._lock:
            current = self.record
            record = replace(
                current,
                status=RunStatus(status),
                counts=dict(counts) if counts is not None else current.counts,
                message=redact_text(message) if message else None,
                ended_at=utc_now(),
                duration_s=round(time.monotonic() - self._started_monotonic, 3),
            )
            # Hash the files before taking the database's write lock: other workers' and
            # processes' appends should not wait on disk reads.
            evidence = describe_all(
                [*files_in(run_evidence_dir(self.run_dir)), *self._evidence], self._logs_dir
            )
            with write_transaction(self._ledger.engine) as conn:
                _save(conn, record)
                digest = close_in_chain(conn, record, evidence)
            self._record = record
            _write_run_json(record)
            save_digest_file(self._logs_dir, digest)
            self._anchor()
            return record

    def _anchor(self) -> None:
        """Anchor the chain head outside the host; a failure is logged, never fatal: the run's
        outcome stands, and ``rpa audit anchor`` can anchor the head later."""
        if self._anchor_dir is None:
            return
        try:
            path = write_anchor(
                current_anchor(self._ledger.engine, self._ledger.url), self._anchor_dir
            )
        except OSError as exc:
            log.warning(
                "anchor not written",
                reason=f"Could not write the audit anchor to {self._anchor_dir}: "
                f"{exc.strerror or exc}; run 'rpa audit anchor' once it is reachable.",
            )
        else:
            log.info("audit anchor written", path=str(path))

    def _store(self, record: RunRecord) -> RunRecord:
        with write_transaction(self._ledger.engine) as conn:
            _save(conn, record)
        self._record = record
        _write_run_json(record)
        return record


def _without_id(columns: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in columns.items() if k != "run_id"}


def abort_dead_runs(
    ledger: Ledger,
    *,
    host: str | None = None,
    logs_dir: Path | None = None,
    heartbeat_timeout_s: float | None = None,
) -> list[RunRecord]:
    """Mark ``aborted`` the runs still recorded as running that nothing is running any more.

    A run of this host (``host``, default: this machine's name) is dead when its process is
    gone. A run of another host cannot be checked that way: it is dead when its heartbeat is
    older than ``heartbeat_timeout_s`` (with None, or for a run that never wrote a heartbeat,
    such runs are left alone). Each run closed here gets its end event and digest in the audit
    chain, sealing the evidence files its process left behind; ``logs_dir`` (default: the
    parent of the run's ``runs`` folder) is where the digest file goes.
    """
    here = host or socket.gethostname()
    now = utc_now()
    running = list_runs(ledger, status=RunStatus.RUNNING, limit=10_000)
    elsewhere = [run.run_id for run in running if run.trigger.host != here]
    heartbeats = last_heartbeats(ledger.engine, elsewhere) if heartbeat_timeout_s else {}
    aborted: list[RunRecord] = []
    for run in running:
        if run.trigger.host == here:
            if process_alive(run.pid, run.process_start):
                continue
            message = f"Process {run.pid} on {here} ended without finishing the run."
        else:
            last = heartbeats.get(run.run_id)
            if heartbeat_timeout_s is None or last is None:
                continue
            silent_s = (now - last).total_seconds()
            if silent_s <= heartbeat_timeout_s:
                continue
            message = (
                f"Host {run.trigger.host} stopped sending the run's heartbeat at "
                f"{last:%Y-%m-%d %H:%M:%S} UTC ({silent_s:.0f} s before {here} closed it; "
                f"the limit is {heartbeat_timeout_s:.0f} s): its process or host stopped."
            )
        record = _close_dead_run(ledger, run, message, here=here, logs_dir=logs_dir)
        if record is not None:
            aborted.append(record)
    return aborted


def _close_dead_run(
    ledger: Ledger, run: RunRecord, message: str, *, here: str, logs_dir: Path | None
) -> RunRecord | None:
    """Close one dead run as ``aborted``; None when another process closed it first."""
    ended = utc_now()
    record = replace(
        run,
        status=RunStatus.ABORTED,
        ended_at=ended,
        duration_s=round((ended - run.started_at).total_seconds(), 3),
        message=message,
    )
    folder = Path(record.run_dir) if record.run_dir else None
    # The run's folder is <logs>/runs/<run_id>: its digest goes to the same logs directory.
    logs = logs_dir or (folder.parent.parent if folder else None)
    found = files_in(run_evidence_dir(folder)) if folder else []
    evidence = describe_all(found, logs) if logs else []
    with write_transaction(ledger.engine) as conn:
        # Another process may have been first: then this one records nothing.
        if not _save(conn, record, only_if_running=True):
            return None
        closed_by = f"abort_dead_runs on {here}, pid {os.getpid()}"
        digest = close_in_chain(conn, record, evidence, closed_by=closed_by)
    if folder is not None and folder.is_dir():  # another host's folder may not be shared here
        _write_run_json(record)
    if logs is not None:
        save_digest_file(logs, digest)
    return record
