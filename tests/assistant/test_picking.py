"""The answer pickers over real candidate scoring on a tiny in-memory index (no Chroma, no model):
features, the learned picker's decision and its thresholds, the model file's round trip."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from assistant.answering.extractive import score_candidates
from assistant.answering.picking import (
    CONFIDENCE_FEATURES,
    FEATURES,
    RANKER_FEATURES,
    LearnedPicker,
    Linear,
    PickerModel,
    PickerModelError,
    PickInput,
    RulePicker,
    SimilarityMetric,
    candidate_features,
    candidate_vectors,
    confidence_summary,
    make_picker,
    softmax,
)
from assistant.retrieval.lexical import LexicalIndex
from assistant.retrieval.sentence_vectors import SentenceVectors
from assistant.understanding.query import ExpandedQuery
from core.records import DAEKKER_IKKE, SIKKER, USIKKER, Chunk, Hit
from core.settings import EvidencePolicy

POLICY = EvidencePolicy()
EMBEDDING = "the index's model"
NOTICE = "Opsigelsesvarslet er løbende måned plus én måned. Afregning sker månedligt."
OTHER = "Kommunerne mødes i DASSOS. Taksterne offentliggøres på hjemmesiden."


def chunk(i: int, text: str, section: str = "13.4 Opsigelsesvarsel", period: str = "2017") -> Chunk:
    return Chunk(f"c{i}", text, "d.txt", "Styringsaftale", period, "aftale", section, 39, i, "h")


def pick_input(question: str, period: str | None = None, vectors: SentenceVectors | None = None) -> PickInput:
    chunks = [chunk(0, NOTICE), chunk(1, OTHER, "Samarbejde", "2023-24")]
    index = LexicalIndex(chunks)
    hits = [Hit(c, 1.0 / (1 + i), i + 1, i + 1, 0.8 - i / 10) for i, c in enumerate(chunks)]
    candidates = score_candidates(ExpandedQuery(question, (), {}), hits, index, POLICY)
    vectors = vectors or SentenceVectors()
    question_vector = np.ones(4, dtype=np.float32) / 2
    features = candidate_features(candidates, question_vector, vectors, period, index.known_share(question))
    return PickInput(
        candidates, features, True, index, POLICY, candidate_vectors(candidates, question_vector, vectors)
    )


NO_METRIC = SimilarityMetric(EMBEDDING, np.zeros(4), np.zeros(4))


def model(
    ranker_coef: np.ndarray,
    confidence_intercept: float,
    sure: float = 0.9,
    covered: float = 0.3,
    metric: SimilarityMetric = NO_METRIC,
) -> PickerModel:
    n, m = len(RANKER_FEATURES), len(CONFIDENCE_FEATURES) + len(metric.weights)  # + the pick's products
    ranker = Linear(np.zeros(n), np.ones(n), ranker_coef)
    confidence = Linear(np.zeros(m), np.ones(m), np.zeros(m), confidence_intercept)
    return PickerModel(ranker, metric, confidence, sure, covered, 0.5, {"cases": 0})


def learned(picker_model: PickerModel) -> LearnedPicker:
    return LearnedPicker(picker_model, EMBEDDING)


def only(feature: str, weight: float = 5.0) -> np.ndarray:
    coef = np.zeros(len(RANKER_FEATURES))
    coef[RANKER_FEATURES.index(feature)] = weight
    return coef


def test_features_have_one_row_per_candidate_and_a_column_per_name() -> None:
    given = pick_input("Hvad er opsigelsesvarslet?")
    assert given.features.shape == (len(given.candidates.sentences), len(FEATURES))
    column = given.features[:, FEATURES.index("own_coverage")]
    best = int(np.argmax(column))
    assert "Opsigelsesvarslet" in given.candidates.sentences[best].text


def test_sentence_similarity_comes_from_the_stored_vectors() -> None:
    vectors = SentenceVectors({"c0": (np.array([[1, 1, 1, 1], [0, 0, 0, 0]], dtype=np.float32), None)})
    given = pick_input("Hvad er opsigelsesvarslet?", vectors=vectors)
    sims = given.features[:, FEATURES.index("sentence_sim")]
    first = next(i for i, s in enumerate(given.candidates.sentences) if s.hit_rank == 0 and s.position == 0)
    assert sims[first] == pytest.approx(2.0) and sims.min() == 0.0


def test_neighbour_similarity_is_the_best_of_the_sentences_around_the_quote() -> None:
    vectors = SentenceVectors({"c0": (np.array([[1, 1, 1, 1], [0, 0, 0, 0]], dtype=np.float32), None)})
    given = pick_input("Hvad er opsigelsesvarslet?", vectors=vectors)
    around = given.features[:, FEATURES.index("neighbour_sim")]
    by_place = {(s.hit_rank, s.position): i for i, s in enumerate(given.candidates.sentences) if not s.window}
    assert around[by_place[(0, 1)]] == pytest.approx(2.0)  # the first sentence, before it
    assert around[by_place[(0, 0)]] == 0.0  # the second sentence, after it
    assert around[by_place[(1, 0)]] == 0.0  # a passage without stored vectors


def test_a_quote_with_the_one_after_it_is_a_candidate_only_the_learned_picker_takes() -> None:
    given = pick_input("Hvad er opsigelsesvarslet, og hvornår sker afregning?")
    pairs = [s for s in given.candidates.sentences if s.window]
    assert [(p.hit_rank, p.position, p.end) for p in pairs] == [(0, 0, 1), (1, 0, 1)]  # none after a last one
    assert pairs[0].text == NOTICE
    flags = given.features[:, FEATURES.index("window")]
    assert list(flags) == [float(s.window) for s in given.candidates.sentences]
    # The pair covers both halves of the question, so it outscores either sentence by the rules.
    assert pairs[0].score > max(s.score for s in given.candidates.sentences if not s.window)
    first = next(s for s in given.candidates.sentences if (s.hit_rank, s.position, s.window) == (0, 0, False))
    gains = given.features[:, FEATURES.index("pair_gain")]
    gain = gains[given.candidates.sentences.index(pairs[0])]
    assert gain == pytest.approx(pairs[0].score - first.score) and gain > 0
    assert all(g == 0.0 for g, s in zip(gains, given.candidates.sentences) if not s.window)
    assert not any(s.window for s in RulePicker().pick(given).chosen)
    by_pairs = learned(model(only("window"), 5.0)).pick(given)
    assert by_pairs.chosen[0].window and by_pairs.chosen[0].text == NOTICE
    assert not any(s.overlaps(by_pairs.chosen[0]) for s in by_pairs.chosen[1:])


def test_a_linear_model_holds_its_inputs_to_the_range_it_was_trained_on() -> None:
    coef = np.array([1.0, -1.0])
    bounded = Linear(np.zeros(2), np.ones(2), coef, 0.0, np.array([0.0, 0.0]), np.array([1.0, 3.0]))
    assert bounded(np.array([[0.5, 2.0]]))[0] == pytest.approx(-1.5)  # inside: unchanged
    assert bounded(np.array([[9.0, -4.0]]))[0] == pytest.approx(1.0)  # held to (1, 0)
    assert Linear(np.zeros(2), np.ones(2), coef)(np.array([[9.0, -4.0]]))[0] == pytest.approx(13.0)
    reread = Linear.from_dict(bounded.to_dict())
    assert reread(np.array([[9.0, -4.0]]))[0] == pytest.approx(1.0)


def test_the_confidence_model_sees_how_many_quotes_and_candidates_and_words_there_were() -> None:
    given = pick_input("Hvad er opsigelsesvarslet?")
    assert set(given.features[:, FEATURES.index("question_words")]) == {3.0}
    scores = np.arange(len(given.features), dtype=np.float64)
    metric = np.zeros(len(scores))
    metric[-1], metric[0] = 0.75, 0.5
    summary = confidence_summary(given.features, scores, softmax(scores), metric, True, quotes=2)
    named = dict(zip(CONFIDENCE_FEATURES, summary))
    assert named["quotes"] == 2.0
    assert named["candidates"] == len(given.candidates.sentences)
    assert named["question_words"] == 3.0
    assert named["best_metric_sim"] == 0.75 and named["metric_margin"] == pytest.approx(0.25)


def test_period_features_say_whether_a_quote_is_from_the_period_asked_about() -> None:
    given = pick_input("Hvad er opsigelsesvarslet?", period="2023-24")
    in_period = given.features[:, FEATURES.index("in_asked_period")]
    periods = [given.candidates.hits[s.hit_rank].chunk.period for s in given.candidates.sentences]
    assert list(in_period) == [float(p == "2023-24") for p in periods]


def test_the_learned_picker_quotes_what_its_ranker_scores_highest() -> None:
    given = pick_input("Hvad er opsigelsesvarslet?")
    by_rules = learned(model(only("rule_score"), 5.0)).pick(given)
    assert by_rules.chosen[0].text.startswith("Opsigelsesvarslet")
    against_rules = learned(model(only("rule_score", -5.0), 5.0)).pick(given)
    lowest = min(given.candidates.sentences, key=lambda s: s.score)
    assert against_rules.chosen[0].text.startswith(lowest.text)


def test_the_learned_picker_uses_one_blas_thread_and_gives_the_rest_back(monkeypatch) -> None:
    """A second OpenBLAS thread woken by the picker's products slows the embedding engine's next
    question on a 2-core machine; the picker holds BLAS to one thread and restores it after."""
    from threadpoolctl import threadpool_info

    def blas_threads() -> list[int]:
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

    before = blas_threads()
    seen: list[list[int]] = []
    shares = PickerModel.shares

    def watched(self, *args):
        seen.append(blas_threads())
        return shares(self, *args)

    monkeypatch.setattr(PickerModel, "shares", watched)
    learned(model(only("rule_score"), 5.0)).pick(pick_input("Hvad er opsigelsesvarslet?"))
    assert seen and all(threads == [1] * len(before) for threads in seen) and before
    assert blas_threads() == before


def test_the_learned_metric_weighs_embedding_dimensions_under_its_own_model_only() -> None:
    # The question (1, 1, 1, 1) / 2 is as similar to either sentence of c0 by cosine; the metric
    # weighs only the dimension the second one points along.
    vectors = SentenceVectors({"c0": (np.array([[1, 0, 0, 0], [0, 1, 0, 0]], dtype=np.float32), None)})
    given = pick_input("Hvad er opsigelsesvarslet?", vectors=vectors)
    metric = SimilarityMetric(EMBEDDING, np.array([0.0, 5.0, 0.0, 0.0]), np.zeros(4))
    picker_model = model(np.zeros(len(RANKER_FEATURES)), 5.0, metric=metric)
    assert learned(picker_model).pick(given).chosen[0].text == "Afregning sker månedligt."
    scores, _, metric = picker_model.shares(given, "another embedding model")
    assert not scores.any() and not metric.any()  # learned on other vectors: it adds nothing


def test_the_metrics_cross_terms_pair_a_question_direction_with_a_sentence_direction() -> None:
    # Question and sentences meet in no dimension, so cosine similarity and the per-dimension
    # weights see nothing; one cross weight (question along direction 0, sentence along direction 1)
    # is enough to rank the sentence that leans along direction 1 first.
    vectors = SentenceVectors(
        {
            "c0": (np.array([[0, 0, 1, 0], [0, 1, 0, 0]], dtype=np.float32), None)
        }  # "Opsigelsesvarslet ..." first
    )
    given = pick_input("Hvad er opsigelsesvarslet?", vectors=vectors)
    given = replace(given, vectors=replace(given.vectors, question=np.array([1.0, 0.0, 0.0, 0.0])))
    basis, centre = np.eye(4)[:2], np.zeros(4)
    crossed = given.vectors.crossed(basis, centre)
    assert crossed.shape == (len(given.candidates.sentences), 4)
    expected = np.outer(basis @ given.vectors.question, basis @ given.vectors.sentences[1]).ravel()
    assert np.allclose(crossed[1], expected)
    cross = np.array([0.0, 5.0, 0.0, 0.0])  # (question direction 0, sentence direction 1)
    metric = SimilarityMetric(EMBEDDING, np.zeros(4), np.zeros(4), basis, centre, cross)
    picker_model = model(np.zeros(len(RANKER_FEATURES)), 5.0, metric=metric)
    assert learned(picker_model).pick(given).chosen[0].text == "Afregning sker månedligt."
    without = replace(given, vectors=replace(given.vectors, sentences=np.zeros_like(given.vectors.sentences)))
    assert not without.vectors.crossed(basis, centre + 1.0).any()  # no stored sentence: no cross terms
    again = PickerModel.from_json(picker_model.to_json()).metric
    assert np.array_equal(again.basis, basis) and np.array_equal(again.cross, cross)


def test_the_confidence_model_reads_the_picks_pairs_under_its_own_model_only() -> None:
    vectors = SentenceVectors({"c0": (np.array([[1, 0, 0, 0], [0, 1, 0, 0]], dtype=np.float32), None)})
    given = pick_input("Hvad er opsigelsesvarslet?", vectors=vectors)
    picker_model = model(only("rule_score"), 0.0)
    coef = np.zeros(len(CONFIDENCE_FEATURES) + 8)
    coef[len(CONFIDENCE_FEATURES)] = 10.0  # the question and the pick's sentence meet along dimension 0
    picker_model = replace(picker_model, confidence_model=replace(picker_model.confidence_model, coef=coef))
    pick = learned(picker_model).pick(given)
    assert pick.chosen[0].text.startswith("Opsigelsesvarslet")  # the sentence along dimension 0
    assert pick.probability == pytest.approx(1 / (1 + np.exp(-5.0)))  # 10 x 1 x 0.5
    assert LearnedPicker(picker_model, "another embedding model").pick(given).probability == 0.5


@pytest.mark.parametrize(("intercept", "confidence"), [(5.0, SIKKER), (0.0, USIKKER), (-5.0, DAEKKER_IKKE)])
def test_the_confidence_models_probability_is_cut_by_the_thresholds(
    intercept: float, confidence: str
) -> None:
    pick = learned(model(only("rule_score"), intercept)).pick(pick_input("Hvad er opsigelsesvarslet?"))
    assert pick.confidence == confidence
    assert pick.probability == pytest.approx(1 / (1 + np.exp(-intercept)))


def test_a_quote_without_the_demanded_number_is_never_sure() -> None:
    given = pick_input("Hvor mange kommuner mødes i DASSOS?")
    pick = learned(model(only("rule_score"), 9.0)).pick(given)
    assert pick.confidence == USIKKER  # sure by probability, but no quote states a count


def test_no_candidates_means_the_documents_do_not_cover_it() -> None:
    given = pick_input("Hvad er opsigelsesvarslet?")
    empty = replace(
        given, candidates=replace(given.candidates, sentences=[]), features=np.zeros((0, len(FEATURES)))
    )
    assert learned(model(only("rule_score"), 5.0)).pick(empty).confidence == DAEKKER_IKKE


def test_the_rule_picker_answers_sure_or_not_at_all() -> None:
    given = pick_input("Hvad er opsigelsesvarslet?")
    assert RulePicker().pick(given).confidence == SIKKER
    assert RulePicker().pick(replace(given, supported=False)).confidence == DAEKKER_IKKE


def test_the_model_file_round_trips_and_refuses_other_features() -> None:
    original = model(only("rule_score"), 1.5, sure=0.97, covered=0.2)
    again = PickerModel.from_json(original.to_json())
    assert again.sure == 0.97 and again.covered == 0.2 and again.second_ratio == 0.5
    assert again.metric.embedding_model == EMBEDDING and np.array_equal(again.metric.heading, np.zeros(4))
    assert np.allclose(again.ranker.coef, original.ranker.coef)
    broken = original.to_json().replace('"rule_score"', '"something_else"', 1)
    with pytest.raises(PickerModelError, match="train-picker"):
        PickerModel.from_json(broken)


def test_the_committed_model_loads_and_an_unknown_picker_is_named() -> None:
    assert isinstance(make_picker("learned", EMBEDDING), LearnedPicker)
    with pytest.raises(ValueError, match="Mulige: learned, rules"):
        make_picker("magic", EMBEDDING)
