"""Word error rate: how far a recogniser's words are from what was really said.

WER = (substitutions + deletions + insertions) / reference words, from a
word-level Levenshtein alignment of lower-cased words without punctuation
(apostrophes inside words are kept, so "wasn't" stays one word).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def words(text: str) -> list[str]:
    """Lower-cased words without punctuation."""
    return _WORD.findall(text.lower().replace("’", "'"))


@dataclass(frozen=True)
class Alignment:
    """Edit counts turning the reference words into the hypothesis words."""

    reference_words: int
    substitutions: int
    deletions: int
    insertions: int

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions


def align(reference: str, hypothesis: str) -> Alignment:
    """The minimum-edit word alignment of ``hypothesis`` against ``reference``."""
    ref, hyp = words(reference), words(hypothesis)
    # each cell: (edits, substitutions, deletions, insertions); fewest edits wins
    previous = [(j, 0, 0, j) for j in range(len(hyp) + 1)]
    for i, ref_word in enumerate(ref, start=1):
        current = [(i, 0, i, 0)]
        for j, hyp_word in enumerate(hyp, start=1):
            diagonal = previous[j - 1]
            if ref_word == hyp_word:
                best = diagonal
            else:
                best = (diagonal[0] + 1, diagonal[1] + 1, diagonal[2], diagonal[3])
            up = previous[j]
            if up[0] + 1 < best[0]:
                best = (up[0] + 1, up[1], up[2] + 1, up[3])
            left = current[j - 1]
            if left[0] + 1 < best[0]:
                best = (left[0] + 1, left[1], left[2], left[3] + 1)
            current.append(best)
        previous = current
    _, subs, dels, ins = previous[-1]
    return Alignment(len(ref), subs, dels, ins)


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Edits per reference word (0.0 is perfect; can exceed 1.0 with many insertions).

    An empty reference scores 0.0 against an empty hypothesis and 1.0 otherwise.
    """
    result = align(reference, hypothesis)
    if result.reference_words == 0:
        return 0.0 if result.insertions == 0 else 1.0
    return result.errors / result.reference_words


def score_recordings(pairs: Iterable[tuple[str, str]]) -> dict[str, float | int]:
    """Corpus WER over ``(reference, hypothesis)`` pairs.

    Returns ``wer`` (all errors / all reference words, the usual corpus
    figure), ``mean_wer`` (the average of per-recording WERs), ``recordings``,
    ``reference_words``, ``errors``, ``substitutions``, ``deletions`` and
    ``insertions``.
    """
    alignments = [align(ref, hyp) for ref, hyp in pairs]
    total = sum(a.reference_words for a in alignments)
    errors = sum(a.errors for a in alignments)
    per_recording = [
        a.errors / a.reference_words if a.reference_words else float(a.insertions > 0)
        for a in alignments
    ]
    return {
        "recordings": len(alignments),
        "reference_words": total,
        "errors": errors,
        "substitutions": sum(a.substitutions for a in alignments),
        "deletions": sum(a.deletions for a in alignments),
        "insertions": sum(a.insertions for a in alignments),
        "wer": errors / total if total else 0.0,
        "mean_wer": sum(per_recording) / len(per_recording) if per_recording else 0.0,
    }
