"""Unattended scheduling: flows started on a timetable by ``rpa schedule`` (APScheduler 3.x).

One module per role:

- ``schedule_file``: the schedules in ``config/schedules.toml``, validated;
- ``triggers``: cron and interval expressions turned into APScheduler triggers;
- ``job_store``: the persistent job store, and applying the schedule file to it at start;
- ``instance_lock``: one scheduler per job store;
- ``job``: the stable function every job points at;
- ``runtime`` and ``run_registry``: one scheduled run, from the flow lock to its record, and
  the runs in progress;
- ``child_run`` and ``process_group``: a run as a child process in its own process group,
  with a wall-clock limit, stopped as a group (browsers included), orphans reaped;
- ``run_log``: missed, skipped, timed-out, crashed and interrupted runs as run records;
- ``listing``: next runs for ``rpa flows`` and ``rpa schedule --list``;
- ``signal_pipe``: signal handlers that hand over to a thread without taking a lock;
- ``service``: the scheduler's life, from start to a graceful shutdown on SIGTERM/SIGINT.
"""
