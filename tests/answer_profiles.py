"""Answer profiles made from a compiled check's own questions and scale, for the shipped checks
(whose questions change with the content, so their profiles are generated, not committed). The
fixture checks' profiles are hand-written files in tests/fixtures/projects/selfchecks/answers/."""

from __future__ import annotations

import functools

from conftest import real_corpus

from generator import compile_check

PROFILE_NAMES = ("all-best", "all-worst", "mixed", "mostly-na", "red-line", "incomplete", "stale-answers")


def _scored(question: dict) -> list[dict]:
    return sorted(
        (option for option in question["options"] if not option["not_applicable"]), key=lambda o: -o["points"]
    )


def _na(question: dict) -> str | None:
    return next((option["id"] for option in question["options"] if option["not_applicable"]), None)


def profiles(check: dict) -> dict[str, dict]:
    """The answer profiles of :data:`PROFILE_NAMES` for a compiled check."""
    questions = check["questions"]
    best = {q["id"]: _scored(q)[0]["id"] for q in questions}
    worst = {q["id"]: _scored(q)[-1]["id"] for q in questions}
    mixed = {q["id"]: _scored(q)[index % len(_scored(q))]["id"] for index, q in enumerate(questions)}
    mostly_na = {q["id"]: _na(q) or worst[q["id"]] for q in questions}
    mostly_na[questions[0]["id"]] = best[questions[0]["id"]]
    mostly_na[questions[1]["id"]] = worst[questions[1]["id"]]
    red_line = dict(best)
    first_red = next(q for q in questions if q["red_line"])
    red_line[first_red["id"]] = _scored(first_red)[1]["id"]
    half = len(questions) // 2
    incomplete = {q["id"]: (best if index % 2 else worst)[q["id"]] for index, q in enumerate(questions[:half])}
    stale = {**best, "retired-question": best[questions[0]["id"]], questions[-1]["id"]: "not-an-option"}
    made = {
        "all-best": best,
        "all-worst": worst,
        "mixed": mixed,
        "mostly-na": mostly_na,
        "red-line": red_line,
        "incomplete": incomplete,
        "stale-answers": stale,
    }
    assert tuple(made) == PROFILE_NAMES
    return made


@functools.cache
def shipped_check(check_id: str) -> dict:
    """A shipped check compiled from the real content (loaded once per test process)."""
    corpus = real_corpus()
    return compile_check(corpus, corpus.checks[check_id])


def shipped_profile(check_id: str, name: str) -> dict:
    """One answer profile of a shipped check, e.g. ``shipped_profile("labour-check", "mixed")``."""
    return profiles(shipped_check(check_id))[name]
