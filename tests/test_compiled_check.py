"""The compiled check is the contract between the generator and the engine: every check of the
content compiles to data its schema accepts, and the schema's version is the engine's."""

from __future__ import annotations

import copy

from conftest import CONTENT, SCHEMA

from generator import compile_check, load_corpus, scoring
from generator.compiled_check import schema, schema_problems, schema_version
from generator.locale import load_locale


def test_the_schema_is_versioned_with_the_engine() -> None:
    assert schema_version() == scoring.ENGINE_VERSION


def test_every_check_of_the_content_compiles_to_valid_engine_input() -> None:
    corpus = load_corpus(CONTENT, SCHEMA)
    assert corpus.checks
    for check in corpus.checks.values():
        compiled = compile_check(corpus, check)
        assert schema_problems(compiled) == [], check.id
        assert scoring.score(compiled, {})["problems"] == []


def test_a_departure_from_the_schema_is_reported_with_its_path() -> None:
    corpus = load_corpus(CONTENT, SCHEMA)
    compiled = compile_check(corpus, corpus.checks["labour-check"])
    broken = copy.deepcopy(compiled)
    del broken["questions"][1]["weight"]
    broken["bands"][0]["min"] = "low"
    assert sorted(schema_problems(broken)) == [
        "$.bands[0].min: 'low' is not of type 'number'",
        "$.questions[1]: 'weight' is a required property",
    ]
    assert schema()["additionalProperties"] is False


def test_a_question_lists_only_the_options_it_accepts() -> None:
    corpus = load_corpus(CONTENT, SCHEMA)
    for check in corpus.checks.values():
        compiled = compile_check(corpus, check)
        for model, question in zip(check.questions, compiled["questions"], strict=True):
            na = [option["id"] for option in question["options"] if option["not_applicable"]]
            scale = corpus.scales[check.scale_of(model)]
            offers_na = any(option.not_applicable for option in scale.options)
            assert bool(na) == (model.not_applicable and offers_na), model.id
            if not model.not_applicable:
                assert len(question["options"]) == len(scale.options) - 1


def test_areas_link_their_own_check_relative_to_the_check_page() -> None:
    corpus = load_corpus(CONTENT, SCHEMA)
    health = compile_check(corpus, corpus.checks["health-check"])
    assert [area["check_url"] for area in health["areas"]] == [
        f"../{corpus.checks_of_area(area['id'])[0].id}/" for area in health["areas"]
    ]
    labour = compile_check(corpus, corpus.checks["labour-check"])
    assert labour["areas"] == [{"id": "labour", "title": corpus.areas["labour"].title, "check_url": None}], (
        "the area's own check is this one"
    )


def test_a_question_on_its_own_scale_offers_that_scale_s_options_and_a_gate_has_no_weight_or_advice() -> None:
    corpus = load_corpus(CONTENT, SCHEMA)
    compiled = compile_check(corpus, corpus.checks["international-check"])
    gate, classification = compiled["questions"][:2]
    assert [option["label"] for option in gate["options"]] == ["Yes", "No"]
    assert (gate["scored"], gate["weight"], gate["advice_html"], gate["red_line"]) == (False, 0, "", False)
    assert classification["show_if"] == {"question": "international-exports", "answer_in": ["yes"]}
    assert [option["id"] for option in classification["options"]] == ["yes", "partly", "no"]


def test_the_report_texts_travel_with_the_check_in_the_site_s_language() -> None:
    corpus = load_corpus(CONTENT, SCHEMA)
    check = corpus.checks["labour-check"]
    english, chinese = compile_check(corpus, check), compile_check(corpus, check, load_locale("zh"))
    assert english["texts"]["your_answers"] == "Your answers" and chinese["texts"]["your_answers"] == "您的回答"
    assert english["texts"]["more_actions"] == {
        "one": "And {count} more action below.",
        "other": "And {count} more actions below.",
    }
    assert set(english["texts"]) == set(chinese["texts"]) == set(load_locale("en").namespace("report"))
    assert schema_problems(chinese) == []
    assert {key: value for key, value in english.items() if key != "texts"} == {
        key: value for key, value in chinese.items() if key != "texts"
    }, "only the report's words change with the language"
