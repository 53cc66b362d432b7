"""Checking the digests: their own hashes and links, what they sealed, and their files."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from rpa.audit.digests import DIGESTS_DIR, Digest, digest_file, read_digest_file
from rpa.audit.problems import Problem, ProblemKind, record_label
from rpa.ledger.canonical import GENESIS_HASH
from rpa.ledger.chain import ChainEvent

_DIGEST_FILE = re.compile(r"digest-(\d{8})\.json")


def _problem(kind: ProblemKind, digest: Digest, message: str) -> Problem:
    return Problem(
        kind, message, seq=digest.last_seq, run_id=digest.run_id, digest_no=digest.digest_no
    )


def _name(digest: Digest) -> str:
    whose = f"run {digest.run_id}" if digest.run_id else digest.reason
    return f"digest {digest.digest_no} ({whose})"


def check_digest(
    digest: Digest,
    *,
    predecessor: Digest | None,
    events: Mapping[int, ChainEvent],
    logs_dir: Path,
) -> list[Problem]:
    """Problems of one digest; ``events`` must hold the chain records it sealed and its run's."""
    problems: list[Problem] = []
    if digest.recomputed_hash() != digest.digest_hash:
        problems.append(
            _problem(
                ProblemKind.DIGEST_EDITED,
                digest,
                f"{_name(digest)} was edited: it no longer matches its hash",
            )
        )
    if digest.digest_no == 1:
        if digest.prev_digest_hash != GENESIS_HASH:
            problems.append(
                _problem(
                    ProblemKind.DIGEST_EDITED,
                    digest,
                    f"{_name(digest)} links to a digest before the first one",
                )
            )
    elif predecessor is None:
        problems.append(
            _problem(
                ProblemKind.DIGEST_DELETED,
                digest,
                f"digest {digest.digest_no - 1}, before {_name(digest)}, was deleted",
            )
        )
    elif digest.prev_digest_hash != predecessor.digest_hash:
        problems.append(
            _problem(
                ProblemKind.DIGEST_EDITED,
                digest,
                f"{_name(digest)} does not link to digest "
                f"{predecessor.digest_no}: one of them was replaced",
            )
        )
    sealed = events.get(digest.last_seq)
    if sealed is not None and sealed.hash != digest.head_hash:
        problems.append(
            _problem(
                ProblemKind.DIGEST_MISMATCH,
                digest,
                f"{_name(digest)} sealed "
                f"{record_label(sealed.seq, sealed.run_id, sealed.kind)} with hash "
                f"{digest.head_hash[:12]}…, but that record's hash is now {sealed.hash[:12]}…: "
                f"the chain up to seq {digest.last_seq} was rewritten after it was sealed",
            )
        )
    if digest.run_id is not None and digest.run_event_count is not None:
        now = sum(
            1 for e in events.values() if e.run_id == digest.run_id and e.seq <= digest.last_seq
        )
        if now != digest.run_event_count:
            kind = ProblemKind.DELETED if now < digest.run_event_count else ProblemKind.INSERTED
            problems.append(
                _problem(
                    kind,
                    digest,
                    f"run {digest.run_id} had {digest.run_event_count} records when "
                    f"{_name(digest)} sealed it; the chain now holds {now} "
                    f"up to seq {digest.last_seq}",
                )
            )
    problems.extend(_check_file(digest, logs_dir))
    return problems


def _check_file(digest: Digest, logs_dir: Path) -> list[Problem]:
    path = digest_file(logs_dir, digest.digest_no)
    content = read_digest_file(path)
    if content is None:
        return [
            _problem(
                ProblemKind.DIGEST_DELETED,
                digest,
                f"the file of {_name(digest)} ({path.name}) is missing or unreadable",
            )
        ]
    if content != digest.as_dict():
        return [
            _problem(
                ProblemKind.DIGEST_EDITED,
                digest,
                f"the file of {_name(digest)} ({path.name}) differs from the digest in "
                "the database: one of them was edited",
            )
        ]
    return []


def check_digest_set(
    digests: Sequence[Digest], *, head_digest_no: int, head_digest_hash: str, logs_dir: Path
) -> list[Problem]:
    """Whole-trail checks: the last digest is the one the head records, and no file is orphaned."""
    problems: list[Problem] = []
    last = digests[-1] if digests else None
    last_no = last.digest_no if last else 0
    if last_no < head_digest_no:
        problems.append(
            Problem(
                ProblemKind.DIGEST_DELETED,
                f"digests {last_no + 1}–{head_digest_no} were deleted (the chain "
                f"head records digest {head_digest_no} as the last)",
                digest_no=last_no + 1,
            )
        )
    elif last is not None and last_no > head_digest_no:
        problems.append(
            _problem(
                ProblemKind.DIGEST_EDITED,
                last,
                f"{_name(last)} was inserted: the chain head records digest "
                f"{head_digest_no} as the last",
            )
        )
    elif last is not None and last.digest_hash != head_digest_hash:
        problems.append(
            _problem(
                ProblemKind.DIGEST_EDITED,
                last,
                f"{_name(last)} was replaced: its hash differs from the one the chain head records",
            )
        )
    known = {d.digest_no for d in digests}
    folder = logs_dir / DIGESTS_DIR
    for path in sorted(folder.glob("digest-*.json")) if folder.is_dir() else []:
        match = _DIGEST_FILE.fullmatch(path.name)
        if match and int(match.group(1)) not in known and int(match.group(1)) <= head_digest_no:
            problems.append(
                Problem(
                    ProblemKind.DIGEST_DELETED,
                    f"digest {int(match.group(1))} was deleted from the database; "
                    f"its file {path.name} remains",
                    digest_no=int(match.group(1)),
                )
            )
    return problems


def check_sealed_records(
    digests: Sequence[Digest], events: Mapping[int, ChainEvent], earlier: Sequence[Problem]
) -> list[Problem]:
    """The first record whose hash is not the one a digest sealed for it.

    A chain edited and then re-hashed from the edit onwards links and hashes correctly, and
    only contradicts the digests: this names the record where the rewrite began instead of
    the digest. Nothing is named when ``earlier`` problems already explain it.
    """
    for digest in digests:
        for seq in range(digest.first_seq, digest.last_seq + 1):
            sealed = digest.sealed_hash_of(seq)
            event = events.get(seq)
            if sealed is None or event is None or event.hash == sealed:
                continue
            if any(p.seq is not None and p.seq <= seq for p in earlier):
                return []
            label = record_label(event.seq, event.run_id, event.kind)
            how = (
                "it was edited and the records after it re-hashed to hide the edit"
                if event.recomputed_hash() == event.hash
                else "it was edited"
            )
            return [
                Problem(
                    ProblemKind.EDITED,
                    f"{label} is not the record {_name(digest)} sealed (hash {sealed[:12]}…, "
                    f"now {event.hash[:12]}…): {how}",
                    seq=seq,
                    run_id=event.run_id,
                    event_kind=event.kind,
                    digest_no=digest.digest_no,
                )
            ]
    return []
