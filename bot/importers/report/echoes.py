"""Comments whose activity header was lost at a page break: told apart by what they repeat."""

from __future__ import annotations

from dataclasses import dataclass

from bot.importers.issues import msg
from bot.importers.report.model import PrintedActivity
from bot.importers.report.paragraphs import Para, content_words, sentences, short
from bot.importers.report.state import ParseState


@dataclass
class Draft(PrintedActivity):
    """An activity being built, with its comment still as paragraphs."""

    comment_paras: list[Para]
    line: int


def split_echoes(state: ParseState, number: str, drafts: list[Draft]) -> None:
    """Split off trailing comment paragraphs that repeat another activity's comment.

    When a page break swallows an activity's header, its comment runs on at the end of the
    comment before it. Such a tail is recognised by three things together: it is not the
    comment's first paragraph, a page break sits just before or inside it, and each of its
    paragraphs repeats a sentence (of MIN_ECHO_WORDS words or more) of another activity's
    comment in the same goal section, as reports on related activities do. Repeated sentences
    alone are normal (units copy each other's wording) and are left alone.
    """
    said = [[sentences(p.text) for p in d.comment_paras] for d in drafts]
    every = [set().union(*s) if s else set() for s in said]
    runs: dict[int, int] = {}  # draft index -> first paragraph of its stray tail
    partners: dict[int, set[int]] = {}
    for a, draft in enumerate(drafts):
        k = len(draft.comment_paras)
        found: set[int] = set()
        while k - 1 >= 1:
            echo = {b for b in range(len(drafts)) if b != a and said[a][k - 1] & every[b]}
            if not echo:
                break
            found |= echo
            k -= 1
        tail = draft.comment_paras[k:]
        if tail and any(p.break_before or p.has_break for p in tail):
            runs[a] = k
            partners[a] = found

    def tail_sentences(a: int) -> set[str]:
        return set().union(*said[a][runs[a] :])

    def affinity(a: int) -> float:
        """Share of the tail's words found in the activity's own title, purpose, comment."""
        draft = drafts[a]
        tail = content_words(" ".join(p.text for p in draft.comment_paras[runs[a] :]))
        own = " ".join(
            [draft.title, draft.purpose, *(p.text for p in draft.comment_paras[: runs[a]])]
        )
        return len(tail & content_words(own)) / max(1, len(tail))

    undecided: set[frozenset[int]] = set()
    split: list[int] = []
    for a in sorted(runs):
        orphan = True
        for b in partners[a]:
            if b not in runs or not (tail_sentences(a) & tail_sentences(b)):
                continue  # b's copy belongs to b: a's tail is the stray one
            # Both tails qualify and repeat each other: the stray one is the one less related
            # to its own activity's title, purpose and comment.
            if affinity(a) == affinity(b):
                undecided.add(frozenset((a, b)))
                orphan = False
            else:
                orphan = orphan and affinity(a) < affinity(b)
        if orphan:
            split.append(a)
    for pair in sorted(undecided, key=sorted):
        a, b = sorted(pair)
        state.doubt(
            drafts[a].comment_paras[runs[a]].line,
            msg(
                "report_echo_undecided",
                first=short(drafts[a].title),
                second=short(drafts[b].title),
                goal=number,
            ),
        )
    for a in split:
        draft = drafts[a]
        tail = draft.comment_paras[runs[a] :]
        draft.comment_paras = draft.comment_paras[: runs[a]]
        others = ", ".join(f'"{short(drafts[b].title)}"' for b in sorted(partners[a]))
        state.unplace(
            number, tail, msg("report_reason_echo", others=others, title=short(draft.title))
        )
