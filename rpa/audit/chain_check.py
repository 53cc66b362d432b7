"""Walking the hash chain and naming the first record that was edited, deleted, inserted or moved.

Each event's hash covers its own fields and the hash of the event before it. Walking the events
in ``seq`` order, two facts are checked for each: does its content still hash to its stored hash
(*valid*), and does its ``prev_hash`` equal the stored hash of the event before it (*linked*)?
How the two fail tells the kinds of tampering apart:

- a gap in ``seq``                                   -> records were **deleted**;
- valid, not linked, and ``prev_hash`` is the hash of another record -> it was **reordered**;
- not valid but linked                               -> it was **edited** (unless the next record
  links past it to its predecessor: then it was **inserted**);
- valid, not linked, but a later record links to it  -> its predecessor was edited and re-hashed;
- linked to nothing and nothing links to it          -> it was **inserted**;
- content that hashes correctly with another ``seq`` -> it was renumbered to hide a deletion or
  an insertion before it.

Once a problem is found the walk re-synchronises on the stored hashes and goes on, so every
damaged place is listed; the first problem in ``seq`` order is the one to investigate first.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from rpa.audit.problems import Problem, ProblemKind, record_label
from rpa.ledger.chain import ChainEvent

# How far a renumbered record is searched for (records deleted or inserted before it at once).
RENUMBER_SEARCH = 8


def _label(event: ChainEvent) -> str:
    return record_label(event.seq, event.run_id, event.kind)


def _original_seq(event: ChainEvent) -> int | None:
    """The seq this record's content was hashed with, if it was renumbered since."""
    for offset in range(1, RENUMBER_SEARCH + 1):
        for candidate in (event.seq + offset, event.seq - offset):
            if candidate > 0 and replace(event, seq=candidate).recomputed_hash() == event.hash:
                return candidate
    return None


def _problem(kind: ProblemKind, event: ChainEvent, message: str) -> Problem:
    return Problem(kind, message, seq=event.seq, run_id=event.run_id, event_kind=event.kind)


def check_chain(
    events: Sequence[ChainEvent],
    *,
    first_seq: int,
    first_prev: str | None,
    trusted_hashes: Collection[str] = (),
    head_seq: int | None = None,
) -> list[Problem]:
    """Problems of ``events`` (in seq order), which should start at ``first_seq`` and link to
    ``first_prev`` (None: do not check the first link). ``trusted_hashes`` are hashes sealed
    elsewhere (the chain head, digests): a record with one of them is known to be original.
    Records after ``head_seq`` (the head the appender recorded), once the chain has reached
    it, are left to :func:`check_tail`: they were inserted, and no records before them were
    deleted, however high their ``seq``."""
    by_hash = {e.hash: e for e in events}
    linked_to = {e.prev_hash for e in events} | set(trusted_hashes)
    problems: list[Problem] = []
    expected_seq, expected_prev = first_seq, first_prev
    for index, event in enumerate(events):
        if head_seq is not None and event.seq > head_seq and expected_seq > head_seq:
            break
        following = events[index + 1] if index + 1 < len(events) else None
        valid = event.recomputed_hash() == event.hash
        moved_from = None if valid else _original_seq(event)
        if event.seq > expected_seq:
            if moved_from is None:  # a renumbered record explains its own gap below
                problems.append(
                    _problem(
                        ProblemKind.DELETED,
                        event,
                        f"{_gap(expected_seq, event.seq)} deleted: "
                        f"the chain jumps to {_label(event)}",
                    )
                )
            expected_prev = None  # the deleted record's hash is unknown
        linked = expected_prev is None or event.prev_hash == expected_prev
        inserted = False
        if linked and valid:
            pass
        elif linked:
            if moved_from is not None:
                if not problems:  # otherwise a consequence of the insertion already reported
                    problems.append(
                        _problem(
                            ProblemKind.INSERTED,
                            event,
                            f"{_label(event)} was written as seq {moved_from}: records were "
                            "inserted before it and the later ones renumbered",
                        )
                    )
            elif (
                following is not None
                and expected_prev is not None
                and (following.prev_hash == expected_prev)
            ):
                inserted = True
                problems.append(
                    _problem(
                        ProblemKind.INSERTED,
                        event,
                        f"{_label(event)} was inserted: the record after it links past it to "
                        f"seq {event.seq - 1}",
                    )
                )
            else:
                problems.append(
                    _problem(
                        ProblemKind.EDITED,
                        event,
                        f"{_label(event)} was edited: its content no longer matches its hash",
                    )
                )
        else:
            found = _unlinked(event, by_hash, linked_to, valid, moved_from, problems)
            inserted = bool(found) and found[0].kind is ProblemKind.INSERTED
            problems.extend(found)
        expected_seq = event.seq + 1
        if not inserted:  # after an insertion, the next record still links to the predecessor
            expected_prev = event.hash
    return problems


def _unlinked(
    event: ChainEvent,
    by_hash: dict[str, ChainEvent],
    linked_to: set[str],
    valid: bool,
    moved_from: int | None,
    earlier: list[Problem],
) -> list[Problem]:
    """The problem of a record whose prev_hash is not its predecessor's hash."""
    written_after = by_hash.get(event.prev_hash)
    if written_after is not None and written_after.seq != event.seq - 1:
        return [
            _problem(
                ProblemKind.REORDERED,
                event,
                f"{_label(event)} was reordered: it was written after the record now at "
                f"seq {written_after.seq}, not after seq {event.seq - 1}",
            )
        ]
    if moved_from is not None and moved_from > event.seq:
        return [
            _problem(
                ProblemKind.DELETED,
                event,
                f"{_gap(event.seq, moved_from)} of the original chain deleted: {_label(event)} was "
                f"written as seq {moved_from} and renumbered to close the gap",
            )
        ]
    if moved_from is not None and earlier:
        return []  # renumbered by an insertion or deletion already reported
    if valid and event.hash in linked_to:
        return [
            Problem(
                ProblemKind.EDITED,
                f"seq {event.seq - 1} was edited and its hash recomputed: {_label(event)} still "
                "links to the original version of it",
                seq=event.seq - 1,
            )
        ]
    if event.hash in linked_to:
        return [
            _problem(
                ProblemKind.EDITED,
                event,
                f"{_label(event)} was edited: its link to the previous record was changed",
            )
        ]
    return [
        _problem(
            ProblemKind.INSERTED,
            event,
            f"{_label(event)} was inserted: it links to no record of the chain "
            "and none links to it",
        )
    ]


def _gap(first: int, after_last: int) -> str:
    last = after_last - 1
    return f"record seq {first}" if first == last else f"records seq {first}–{last}"


def check_tail(events: Sequence[ChainEvent], head_seq: int, head_hash: str) -> list[Problem]:
    """Compare the chain's end with the head the appender recorded."""
    if not events:
        if head_seq > 0:
            return [
                Problem(
                    ProblemKind.DELETED,
                    f"records seq 1–{head_seq} deleted: the chain "
                    f"is empty but its head records {head_seq} records",
                    seq=1,
                )
            ]
        return []
    last = events[-1]
    if last.seq > head_seq:
        beyond = next(e for e in events if e.seq > head_seq)
        return [
            _problem(
                ProblemKind.INSERTED,
                beyond,
                f"{_label(beyond)} was inserted: the chain head recorded by the suite ends at "
                f"seq {head_seq}",
            )
        ]
    if last.seq < head_seq:
        return [
            Problem(
                ProblemKind.DELETED,
                f"{_gap(last.seq + 1, head_seq + 1)} deleted from the end of the chain "
                f"(the chain head records seq {head_seq})",
                seq=last.seq + 1,
            )
        ]
    if last.hash != head_hash:
        return [
            _problem(
                ProblemKind.EDITED,
                last,
                f"{_label(last)} was replaced: its hash differs from the chain head's",
            )
        ]
    return []
