"""The compiled check is the contract between the generator and the engine: every check of the
content compiles to data its schema accepts, and the schema's version is the engine's."""

from __future__ import annotations

import copy

from conftest import CONTENT, SCHEMA

from generator import compile_check, load_corpus, scoring
from generator.compiled_check import schema, schema_problems, schema_version


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
            assert bool(na) == model.not_applicable, model.id
            if not model.not_applicable:
                assert len(question["options"]) == len(corpus.scales[check.scale].options) - 1


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
