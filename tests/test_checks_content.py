"""Self-check content: the real checks meet the issue's rules, and each kind of mistake in a
check, scale or bands file is reported with its file and line. The mistakes are made in a copy of
the small fixture content with self-checks (tests/fixtures/projects/selfchecks/content): two areas,
four checks (one across both areas, one topic check with every feature of conditions, scales and gates),
two scales, the standard bands, a case naming a question."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import SCHEMA
from projects import FIXTURE_PROJECTS

from generator import load_corpus
from generator.check_pages import condition_html
from generator.checks import first_paint_words, holds_without_answers
from generator.diagnostics import ContentError
from generator.locale import load_locale
from generator.model import AllOf, AnyOf, Not, ShowIf

FIXTURE = FIXTURE_PROJECTS / "selfchecks"
CHECK = "content/checks/alpha-check.yaml"
ACROSS = "content/checks/quick-check.yaml"
CASE = "content/cases/no-alpha-records.yaml"


def test_every_area_has_a_check_of_at_least_eight_questions_citing_its_own_clauses(corpus) -> None:
    by_area = {check.area: check for check in corpus.checks.values() if check.area}
    assert set(by_area) == set(corpus.areas)
    for area_id, check in by_area.items():
        assert len(check.questions) >= 8, check.id
        own = {clause.id for clause in corpus.sections[corpus.areas[area_id].section_id].clauses}
        for question in check.questions:
            assert question.clauses and set(question.clauses) <= own, question.id


def test_the_health_check_asks_two_or_three_questions_per_area(corpus) -> None:
    across = [check for check in corpus.checks.values() if check.area is None]
    assert len(across) == 1
    counts: dict[str, int] = {}
    for question in across[0].questions:
        counts[question.area] = counts.get(question.area, 0) + 1
    assert set(counts) == set(corpus.areas)
    assert all(2 <= count <= 3 for count in counts.values()), counts


def test_questions_are_indexed_globally_for_other_content(corpus) -> None:
    total = sum(len(check.questions) for check in corpus.checks.values())
    assert len(corpus.questions) == total
    question = corpus.questions["labour-written-contracts"]
    assert question.check_id == "labour-check" and question.area == "labour"


def problems_after(
    tmp_path: Path, edits: dict[str, tuple[str, str]], extra: dict[str, str | None] | None = None
) -> list[str]:
    """Copy the fixture content, apply ``old → new`` edits per file, load it and return the problem lines."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE / "content", root / "content")
    for name, (old, new) in edits.items():
        file = root / name
        text = file.read_text(encoding="utf-8")
        assert old in text, (name, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    for name, text in (extra or {}).items():
        file = root / name
        if text is None:  # zero every option's points
            text = re.sub(r"points: \d+", "points: 0", file.read_text(encoding="utf-8"))
        file.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_corpus(root / "content", SCHEMA, root)
    return [str(problem) for problem in raised.value.problems]


def line_of(name: str, text: str) -> int:
    lines = (FIXTURE / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def test_the_fixture_content_is_valid() -> None:
    corpus = load_corpus(FIXTURE / "content", SCHEMA, FIXTURE)
    assert sorted(corpus.checks) == ["alpha-check", "beta-check", "export-check", "quick-check"]


def test_unknown_clause_is_reported_with_its_line(tmp_path: Path) -> None:
    line = line_of(CHECK, "clauses: [alpha-1]")
    problems = problems_after(tmp_path, {CHECK: ("clauses: [alpha-1]", "clauses: [alpha-99]")})
    assert problems == [f"{CHECK}:{line}:15: $.questions[0].clauses[0]: unknown clause 'alpha-99'"]


def corpus_after(tmp_path: Path, edits: dict[str, tuple[str, str]]):
    """Copy the fixture content, apply ``old → new`` edits per file, and load it (it must be valid)."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE / "content", root / "content")
    for name, (old, new) in edits.items():
        file = root / name
        text = file.read_text(encoding="utf-8")
        assert old in text, (name, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_corpus(root / "content", SCHEMA, root)


def test_a_question_may_cite_a_clause_of_another_area_and_scores_in_its_check_s_area(tmp_path: Path) -> None:
    corpus = corpus_after(tmp_path, {CHECK: ("clauses: [alpha-1]", "clauses: [beta-1, overall-1]")})
    question = corpus.questions["alpha-records"]
    assert question.clauses == ("beta-1", "overall-1") and question.area == "alpha"


def test_in_a_check_across_areas_a_question_without_area_scores_in_its_first_clause_s_area(tmp_path: Path) -> None:
    corpus = corpus_after(
        tmp_path,
        {
            ACROSS: (
                '    area: alpha\n    text: "Are alpha records kept?"\n    clauses: [alpha-1]',
                '    text: "Are alpha records kept?"\n    clauses: [overall-1, beta-2, alpha-1]',
            )
        },
    )
    question = corpus.questions["quick-alpha-records"]
    assert (question.area, question.own_area) == ("beta", False)
    assert corpus.checks["quick-check"].questions[0] == question


def test_duplicate_question_id_across_checks_is_reported_with_both_places(tmp_path: Path) -> None:
    problems = problems_after(tmp_path, {CHECK: ("- id: alpha-records", "- id: beta-register")})
    beta = "content/checks/beta-check.yaml"
    line = line_of(beta, "- id: beta-register")
    first = line_of(CHECK, "- id: alpha-records")
    check_problems = [problem for problem in problems if problem.startswith("content/checks/")]
    assert check_problems == [
        f"{beta}:{line}:9: $.questions[0].id: id 'beta-register' is already used at "
        f"{CHECK}:{first}; ids must be unique across the content"
    ]
    case_problems = [problem for problem in problems if problem.startswith("content/cases/")]
    assert case_problems and all("unknown self-check question 'alpha-records'" in p for p in case_problems)


def test_show_if_pointing_to_a_later_or_unknown_question_or_unknown_option(tmp_path: Path) -> None:
    later = problems_after(tmp_path / "a", {CHECK: ("question: alpha-suppliers", "question: alpha-audit")})
    assert len(later) == 1 and "'alpha-audit' comes later in this check" in later[0]
    assert later[0].startswith(f"{CHECK}:{line_of(CHECK, 'question: alpha-suppliers')}:")
    unknown = problems_after(tmp_path / "b", {CHECK: ("question: alpha-suppliers", "question: nowhere")})
    assert len(unknown) == 1 and "'nowhere' is not a question of this check" in unknown[0]
    option = problems_after(tmp_path / "c", {CHECK: ('answer_in: ["yes", partly]', 'answer_in: ["yes", maybe]')})
    assert len(option) == 1 and "'maybe' is not an option of scale 'standard'" in option[0]
    assert option[0].startswith(f"{CHECK}:{line_of(CHECK, 'answer_in:')}:")


def test_weight_of_zero_is_reported(tmp_path: Path) -> None:
    problems = problems_after(tmp_path, {CHECK: ("weight: 3", "weight: 0")})
    problems = [problem for problem in problems if problem.startswith(CHECK)]
    line = line_of(CHECK, "weight: 3")
    assert len(problems) == 1 and problems[0].startswith(f"{CHECK}:{line}:")
    assert "must be greater than 0, found 0" in problems[0]


BANDS = "content/bands/standard.yaml"


def test_bands_with_a_gap_are_reported(tmp_path: Path) -> None:
    problems = problems_after(tmp_path, {BANDS: ("min: 50", "min: 60")})
    assert problems == [
        f"{BANDS}:{line_of(BANDS, 'min: 50')}:10: $.bands[1].min: band 'medium' starts at 60 but the bands below "
        "end at 50: scores from 50 to 60 have no band"
    ]


def test_overlapping_bands_are_reported(tmp_path: Path) -> None:
    problems = problems_after(tmp_path, {BANDS: ("min: 80", "min: 70")})
    assert problems == [
        f"{BANDS}:{line_of(BANDS, 'min: 80')}:10: $.bands[0].min: band 'low' starts at 70, overlapping the band "
        "below that ends at 80"
    ]


def test_bands_not_reaching_100_are_reported(tmp_path: Path) -> None:
    problems = problems_after(tmp_path, {BANDS: ("max: 100", "max: 95")})
    assert problems == [
        f"{BANDS}:{line_of(BANDS, 'bands:')}:1: $.bands: the bands end at 95: scores from 95 to 100 have no band"
    ]


def test_unknown_scale_and_bands_references_are_reported(tmp_path: Path) -> None:
    problems = problems_after(tmp_path, {CHECK: ("version: 1\n", "version: 1\nscale: stars\nbands: strict\n")})
    line = line_of(CHECK, "version: 1")
    assert problems == [
        f"{CHECK}:{line + 1}:8: $.scale: unknown scale 'stars' (known: standard, yes-no)",
        f"{CHECK}:{line + 2}:8: $.bands: unknown bands 'strict' (known: standard-bands)",
    ]


def test_a_check_failing_its_schema_is_reported_once_not_again_by_every_case_naming_its_questions(
    tmp_path: Path,
) -> None:
    problems = problems_after(tmp_path, {CHECK: ("version: 1\n", "version: one\n")})
    assert problems == [
        f"{CHECK}:{line_of(CHECK, 'version: 1')}:10: $.version: expected a whole number, found the text 'one'"
    ]


def test_a_reference_to_an_id_nobody_declares_is_still_reported_when_another_file_fails(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path,
        {
            CHECK: ("version: 1\n", "version: one\n"),
            CASE: ("questions: [alpha-records]", "questions: [alpha-no-such-question]"),
        },
    )
    assert sorted(problems) == [
        f"{CASE}:{line_of(CASE, 'questions: [alpha-records]')}:13: $.questions[0]: "
        "unknown self-check question 'alpha-no-such-question'",
        f"{CHECK}:{line_of(CHECK, 'version: 1')}:10: $.version: expected a whole number, found the text 'one'",
    ]


def test_area_check_questions_must_not_name_an_area_and_others_need_one_from_a_clause_at_least(
    tmp_path: Path,
) -> None:
    own = problems_after(tmp_path / "a", {CHECK: ("    clauses: [alpha-1]", "    area: beta\n    clauses: [alpha-1]")})
    assert len(own) == 1 and "only checks without 'area' name it per question" in own[0]
    line = line_of(ACROSS, "- id: quick-alpha-training")
    edit = (
        '    area: alpha\n    text: "Are staff trained on alpha?"\n    clauses: [alpha-2]',
        '    text: "Are staff trained on alpha?"\n    clauses: [overall-1]',
    )
    missing = problems_after(tmp_path / "b", {ACROSS: edit})
    assert missing == [
        f"{ACROSS}:{line}:5: $.questions[1]: this check has no 'area' and no clause of this question belongs to "
        "a key area, so the question needs its own 'area'"
    ]


def test_scale_needs_an_option_worth_points(tmp_path: Path) -> None:
    name = "content/scales/standard.yaml"
    problems = problems_after(tmp_path, {name: ("points: 2\n", "points: 0\n")}, {name: None})
    assert problems == [
        f"{name}:{line_of(name, 'options:')}:1: $.options: at least one option must earn more than 0 points"
    ]


BETA = "content/checks/beta-check.yaml"


def test_not_applicable_false_needs_a_scale_with_a_not_applicable_option_and_two_others(tmp_path: Path) -> None:
    edit = ("    weight: 3\n", "    weight: 3\n    not_applicable: false\n")
    problems = problems_after(tmp_path / "a", {BETA: edit})
    assert problems == [
        f"{BETA}:{line_of(BETA, 'weight: 3') + 1}:21: $.questions[0].not_applicable: scale 'yes-no' has no "
        "not-applicable option, so 'not_applicable: false' changes nothing; remove it"
    ]
    one_left = (
        "# yaml-language-server: $schema=../../../schema/scale.schema.json\n"
        "id: yes-no\ntitle: One\noptions:\n"
        "  - {id: 'yes', label: 'Yes', points: 1}\n"
        "  - {id: na, label: N/A, not_applicable: true}\n"
    )
    problems = problems_after(tmp_path / "b", {BETA: edit}, {"content/scales/yes-no.yaml": one_left})
    problems = [problem for problem in problems if problem.startswith(BETA)]
    assert len(problems) == 1 and "leaves one answer; a question needs two" in problems[0]


def test_show_if_on_an_answer_its_question_does_not_accept_is_reported(tmp_path: Path) -> None:
    strict = ('    help: "Answer Not applicable if you have no suppliers."\n', "    not_applicable: false\n")
    condition = ('answer_in: ["yes", partly]', 'answer_in: ["yes", na]')
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE / "content", root / "content")
    text = (FIXTURE / CHECK).read_text(encoding="utf-8")
    (root / CHECK).write_text(text.replace(*strict).replace(*condition), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_corpus(root / "content", SCHEMA, root)
    (problem,) = [str(problem) for problem in raised.value.problems]
    assert "$.questions[3].show_if.answer_in[1]: question 'alpha-suppliers' does not accept 'na' " in problem
    assert problem.endswith("(not_applicable: false), so this condition never holds for it")


def test_a_red_line_keeps_not_applicable_only_where_its_help_says_when_it_applies(corpus) -> None:
    """The judgement behind the shipped checks' ``not_applicable: false``: a red line that applies
    to every enterprise offers no way out; the few that keep N/A say in their help when it is true."""
    keeps_na = {
        question.id
        for check in corpus.checks.values()
        for question in check.questions
        if question.red_line and question.not_applicable
    }
    assert keeps_na == {
        "environment-discharge-permit",  # some industries need no permit or registration
        "environment-control-facilities",  # an office has no treatment facilities to run
    }
    for question_id in keeps_na:
        assert "Answer Not applicable" in (corpus.questions[question_id].help or ""), question_id


TOPIC = "content/checks/export-check.yaml"


def test_show_if_options_are_checked_against_the_scale_of_the_question_they_name(tmp_path: Path) -> None:
    edit = ('          answer_in: ["no"]\n    advice: "Keep', '          answer_in: [partly]\n    advice: "Keep')
    problems = problems_after(tmp_path, {TOPIC: edit})
    line = line_of(TOPIC, "- question: export-beta-permit") + 1
    assert problems == [
        f"{TOPIC}:{line}:23: $.questions[3].show_if.any[1].answer_in[0]: 'partly' is not an option of scale "
        "'yes-no' (yes, no), the scale of question 'export-beta-permit'"
    ]


def test_every_nested_condition_names_an_earlier_question(tmp_path: Path) -> None:
    edit = (
        "        - not:\n            question: export-alpha-plan",
        "        - not:\n            question: export-general",
    )
    problems = problems_after(tmp_path, {TOPIC: edit})
    line = line_of(TOPIC, "question: export-alpha-plan")
    assert problems == [
        f"{TOPIC}:{line}:23: $.questions[2].show_if.all[1].not.question: show_if question 'export-general' comes "
        "later in this check; it must be an earlier question"
    ]


def test_a_condition_has_one_form_and_nests_at_most_four_deep(tmp_path: Path) -> None:
    both = (
        "      all:\n        - question: export-sells-abroad",
        '      question: export-sells-abroad\n      answer_in: ["no"]\n'
        "      all:\n        - question: export-sells-abroad",
    )
    problems = problems_after(tmp_path / "a", {TOPIC: both})
    line = line_of(TOPIC, "      all:") - 1
    assert problems == [
        f"{TOPIC}:{line}:5: $.questions[2].show_if: a condition is either question and answer_in, or one of all, "
        "any, not: not both (found question and all)"
    ]
    deep = (
        "        - not:\n            question: export-alpha-plan\n            answer_in: [na]",
        "        - not:\n            not:\n              not:\n                question: export-alpha-plan\n"
        "                answer_in: [na]",
    )
    problems = problems_after(tmp_path / "b", {TOPIC: deep})
    assert len(problems) == 1
    assert problems[0].startswith(f"{TOPIC}:{line_of(TOPIC, '- not:') + 2}:")
    assert problems[0].endswith(
        "$.questions[2].show_if.all[1].not.not.not: conditions nest at most 4 deep; simplify this one"
    )


def test_a_gate_question_takes_no_weight_advice_or_red_line_and_a_check_needs_a_scored_one(tmp_path: Path) -> None:
    edit = ("    scored: false\n", "    scored: false\n    weight: 2\n    red_line: true\n")
    problems = problems_after(tmp_path / "a", {TOPIC: edit})
    line = line_of(TOPIC, "    scored: false")
    assert problems == [
        f"{TOPIC}:{line + 1}:13: $.questions[0].weight: a gate question (scored: false) never counts in the score, "
        "so 'weight' means nothing; remove it",
        f"{TOPIC}:{line + 2}:15: $.questions[0].red_line: a gate question (scored: false) never counts in the "
        "score, so 'red_line' means nothing; remove it",
    ]
    scored = problems_after(tmp_path / "b", {TOPIC: ("    scored: false\n", "")})
    assert scored == [
        f"{TOPIC}:{line_of(TOPIC, '- id: export-sells-abroad')}:5: $.questions[0]: missing required key 'advice'",
        f"{TOPIC}:{line_of(TOPIC, '- id: export-sells-abroad')}:5: $.questions[0]: missing required key 'weight'",
    ]


def test_a_question_s_own_scale_must_exist(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path, {TOPIC: ("    scale: yes-no\n    clauses: [beta-2", "    scale: yes-maybe\n    clauses: [beta-2")}
    )
    line = line_of(TOPIC, "clauses: [beta-2") - 1
    assert problems == [f"{TOPIC}:{line}:12: $.questions[2].scale: unknown scale 'yes-maybe' (known: standard, yes-no)"]


def test_conditions_in_words_and_what_the_first_paint_may_hide() -> None:
    corpus = load_corpus(FIXTURE / "content", SCHEMA, FIXTURE)
    check = corpus.checks["export-check"]
    positions = {question.id: number for number, question in enumerate(check.questions, start=1)}

    def labels(question_id: str) -> dict[str, str]:
        scale = corpus.scales[check.scale_of(corpus.questions[question_id])]
        return {option.id: option.label for option in scale.options}

    permit, records = corpus.questions["export-beta-permit"], corpus.questions["export-beta-records"]
    english = condition_html(load_locale("en"), permit.show_if, labels, positions)
    assert english == (
        'Only if you answered Yes to <a href="#export-sells-abroad">question 1</a> and you did not answer '
        'Not applicable to <a href="#export-alpha-plan">question 2</a>.'
    )
    chinese = condition_html(load_locale("zh"), records.show_if, labels, positions)
    assert chinese == (
        '仅当您对<a href="#export-alpha-plan">第 2 题</a>回答“Partly”或“No”，或者您对'
        '<a href="#export-beta-permit">第 3 题</a>回答“No”时需回答。'
    ), "the content's own labels, the page's words"
    assert first_paint_words(permit.show_if) == ("export-sells-abroad=yes", False), "needs a saved Yes"
    assert first_paint_words(records.show_if) == (
        "export-alpha-plan=partly export-alpha-plan=no export-beta-permit=no",
        False,
    )
    either = AnyOf((Not(ShowIf("a", ("yes",))), ShowIf("b", ("no",))))
    assert first_paint_words(either) == ("b=no", True), "holds before any answer: never hidden at first paint"
    assert not holds_without_answers(AllOf((Not(ShowIf("a", ("yes",))), ShowIf("b", ("no",)))))
