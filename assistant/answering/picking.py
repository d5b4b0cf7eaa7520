"""Answer picking: which candidate quote answers the question, and how sure that is.

Two pickers behind one interface, so they can be compared on the same cases (``RAMME_ANSWERING__PICKER``):

- ``LearnedPicker`` (the default): a ranker weighs each candidate's rule score against the
  question–sentence and question–heading similarity from the multilingual model (sentence vectors
  stored at ingest, so a question costs one embedding) and against a similarity metric it learned
  on the same vectors (``SimilarityMetric``: per dimension, and across a few of the corpus's
  principal directions); a confidence model then turns what the
  ranker saw about the best candidate (its share, margin, coverage, answer type, demanded fact,
  period, similarity, the rule gate, how many quotes it shows out of how many candidates) into the
  probability that the pick is right. Both are trained
  on the golden cases' labels by ``rammeaftale train-picker`` (evals/picker_training.py); the
  thresholds between "sikker", "usikker" and "dækker ikke" come from that training's
  cross-validation, not from hand-set numbers.
- ``RulePicker``: the hand-tuned rule score and evidence gate, answering "sikker" or "dækker ikke".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.answering.extractive import (
    Candidates,
    ScoredSentence,
    Signals,
    choose,
    choose_by_rule,
)
from assistant.retrieval.lexical import LexicalIndex
from assistant.retrieval.sentence_vectors import SentenceVectors
from core.records import DAEKKER_IKKE, SIKKER, USIKKER
from core.settings import EvidencePolicy

MODEL_FILE = Path(__file__).parent.parent / "models" / "picker.json"

# What is worked out for each candidate quote. The ranker uses RANKER_FEATURES; the rest describe
# the best candidate to the confidence model. Candidates' position, length, text shape, the
# separate coverage signals, the passage's fused/dense/BM25 retrieval scores, ranks within the
# question, interactions with known_share, gradient-boosted trees and (round 4) the neighbours'
# and the whole passage's similarity, the quote's own coverage and the period flags were tried for
# the ranker and dropped: under cross-validation they did not help (the ablation is in issue 14's
# closing notes).
FEATURES = (
    "rule_score",  # the hand-tuned score of assistant/answering/extractive.py: coverage, answer type, definition, rank
    "sentence_sim",  # question vs. the quote's own sentences (multilingual-e5-small)
    "heading_sim",  # question vs. the passage's section heading
    "own_coverage",  # share of the question's topic words the quote itself carries
    "context_coverage",  # the same with the section heading's words
    "type_ok",  # states the kind of fact asked for
    "asks_type",
    "demand_met",  # states the number, price or date a question demands (1 when none is)
    "has_demand",
    "in_asked_period",
    "other_period",
    "best_context_coverage",  # question-level: how well anything found covers the question
    "best_sentence_sim",
    "hit_rank",  # the rank of the quote's passage in retrieval (0 = best)
    "type_answered",  # the question asks for a kind of fact (a number, a date, ...) and the quote states one
    "known_share",  # question-level: share of its words the corpus uses (LexicalIndex.known_share)
    "neighbour_sim",  # the best similarity of the sentences just before and after the quote
    "question_words",  # question-level: how many words it has (a bare keyword query is vaguer)
    "window",  # the candidate is a quote with the one after it (extractive.ScoredSentence.window)
    "pair_gain",  # a pair's rule score above that of its first sentence alone (0 for a single quote)
)
RANKER_FEATURES = (
    "rule_score",
    "sentence_sim",
    "heading_sim",
    "hit_rank",
    "type_answered",
    "demand_met",
    "window",
    "pair_gain",
)
_RANKER_COLUMNS = [FEATURES.index(name) for name in RANKER_FEATURES]


@dataclass(frozen=True)
class CandidateVectors:
    """The question's vector and, per candidate, the stored vectors of its sentence most similar to
    the question and of its passage's heading (zeros where the index holds none)."""

    question: np.ndarray
    sentences: np.ndarray  # one row per candidate
    headings: np.ndarray

    def pairs(self, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Per candidate (of ``rows``): the question's vector times its sentence's, then times its
        heading's, dimension by dimension. The learned metric is a weighted sum of these and of
        ``crossed``, and the confidence model reads those of the pick."""
        q = self.question
        return np.hstack([self.sentences[rows] * q, self.headings[rows] * q])

    def crossed(
        self, basis: np.ndarray, centre: np.ndarray, rows: np.ndarray | slice = slice(None)
    ) -> np.ndarray:
        """Per candidate (of ``rows``): every pairing of the question's coordinate along one row of
        ``basis`` with its sentence's (less ``centre``) along another, (i, j) row-major. ``pairs``
        meet question and sentence dimension by dimension; these let the metric learn that a
        question leaning one way ("how many", "who") is answered by a sentence leaning another
        (one that states a number, a body), which no weighing of single dimensions can. A
        candidate without a stored sentence vector has none."""
        sentences = self.sentences[rows]
        if not len(basis):
            return np.zeros((len(sentences), 0))
        present = np.abs(sentences).sum(axis=1) > 0
        question = basis @ self.question
        sentence = np.where(present[:, None], sentences - centre, 0.0) @ basis.T
        return (question[None, :, None] * sentence[:, None, :]).reshape(len(sentences), -1)

    def products(
        self, basis: np.ndarray, centre: np.ndarray, rows: np.ndarray | slice = slice(None)
    ) -> np.ndarray:
        """What the learned metric weighs, per candidate: ``pairs``, then ``crossed``."""
        return np.hstack([self.pairs(rows), self.crossed(basis, centre, rows)])


@dataclass(frozen=True)
class PickInput:
    """Everything a picker may look at for one question."""

    candidates: Candidates
    features: np.ndarray  # one row per candidate sentence, columns as FEATURES
    supported: bool  # the rule-based evidence gate (coverage or dense similarity)
    index: LexicalIndex
    policy: EvidencePolicy
    vectors: CandidateVectors


@dataclass(frozen=True)
class Pick:
    chosen: list[ScoredSentence]
    confidence: str  # SIKKER | USIKKER | DAEKKER_IKKE
    probability: float | None = None  # the learned picker's probability that its pick is right


class AnswerPicker(Protocol):
    name: str

    def pick(self, given: PickInput) -> Pick: ...


class RulePicker:
    """The rule score picks; the coverage/dense gate and the demanded-fact check decide whether to
    answer at all. Knows no hedge: an answer is "sikker" or "dækker ikke"."""

    name = "rules"

    def pick(self, given: PickInput) -> Pick:
        chosen = choose_by_rule(given.candidates, given.index, given.policy)
        answered = given.supported and chosen and not lacks_demanded_fact(given, chosen)
        return Pick(chosen, SIKKER if answered else DAEKKER_IKKE)


CONFIDENCE_FEATURES = (
    "best_probability",  # the ranker's softmax share of the best quote
    "second_probability",
    "score_margin",  # the best quote's score minus the runner-up's
    "best_score",
    "best_own_coverage",
    "best_context_coverage",
    "best_sentence_sim",
    "best_heading_sim",
    "best_type_ok",
    "best_demand_met",
    "asks_type",
    "has_demand",
    "top_coverage",  # the best coverage any candidate reaches
    "top_sentence_sim",
    "rule_gate",  # the rule-based evidence gate's verdict
    "best_in_asked_period",
    "best_other_period",
    "dense_agrees",  # the pick is also the candidate most similar to the question
    "rule_agrees",  # the pick is also the rule score's best
    "share_entropy",  # how spread the ranker's probability is over the candidates
    "best_hit_rank",
    "known_share",
    "quotes",  # how many quotes the answer shows (contenders close to the best)
    "candidates",  # how many candidate quotes there were to choose from
    "best_neighbour_sim",
    "question_words",
    "best_metric_sim",  # the learned similarity metric's value for the best quote
    "metric_margin",  # ... minus the highest it gives any other candidate
)


@dataclass(frozen=True)
class Linear:
    """A standardised linear function: ((x - mean) / scale) @ coef + intercept, of inputs held to
    the range training saw (``low``..``high``). A linear model has no business extrapolating: one
    uploaded document in a one-document index moved a score margin far past anything in training,
    and that alone turned a right answer from "usikker" into "dækker ikke"."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float = 0.0
    low: np.ndarray | None = None
    high: np.ndarray | None = None

    def __call__(self, features: np.ndarray) -> np.ndarray:
        if self.low is not None and self.high is not None:
            features = np.clip(features, self.low, self.high)
        return ((features - self.mean) / self.scale) @ self.coef + self.intercept

    def to_dict(self) -> dict:
        data = {
            "mean": _rounded(self.mean),
            "scale": _rounded(self.scale),
            "coef": _rounded(self.coef),
            "intercept": round(float(self.intercept), 8),
        }
        if self.low is not None and self.high is not None:
            data |= {"low": _rounded(self.low), "high": _rounded(self.high)}
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Linear:
        mean, scale, coef = (np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "coef"))
        low, high = (np.asarray(data[k], dtype=np.float64) if k in data else None for k in ("low", "high"))
        return cls(mean, scale, coef, float(data["intercept"]), low, high)


@dataclass(frozen=True)
class SimilarityMetric:
    """The multilingual model's similarity with its dimensions weighed by the ranker:
    sum_i w_i q_i s_i for the question q and the quote's sentence s, and with weights of its own for
    the passage's heading. Cosine similarity weighs every dimension alike; trained listwise on the
    golden cases (evals/picker_training.py), the weights stress the dimensions that tell the quote
    that answers from its neighbours. Cross terms (``CandidateVectors.crossed``) add a weight for
    each pairing of question and sentence along a few principal directions of the corpus's
    sentences (``basis``, ``centre``). The weights belong to the embedding model they were learned
    on: under another model's vectors they add nothing until the picker is retrained."""

    embedding_model: str
    sentence: np.ndarray
    heading: np.ndarray
    basis: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # one direction a row
    centre: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cross: np.ndarray = field(default_factory=lambda: np.zeros(0))  # len(basis) ** 2, row-major

    @property
    def weights(self) -> np.ndarray:
        """One weight per column of ``inputs``."""
        return np.r_[self.sentence, self.heading, self.cross]

    def applies_to(self, embedding_model: str, vectors: CandidateVectors) -> bool:
        """Whether these vectors are the ones the weights were learned on (same model, same width)."""
        width = vectors.question.shape
        return (
            embedding_model == self.embedding_model
            and width == self.sentence.shape
            and (not len(self.basis) or self.basis.shape[1:] == width)
        )

    def inputs(self, vectors: CandidateVectors, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """The products the weights weigh, per candidate of ``rows``."""
        return vectors.products(self.basis, self.centre, rows)

    def scores(self, vectors: CandidateVectors) -> np.ndarray:
        return self.inputs(vectors) @ self.weights

    def to_dict(self) -> dict:
        return {
            "embedding_model": self.embedding_model,
            "sentence": _rounded(self.sentence),
            "heading": _rounded(self.heading),
            "basis": [_rounded(row) for row in self.basis],
            "centre": _rounded(self.centre),
            "cross": _rounded(self.cross),
        }

    @classmethod
    def from_dict(cls, data: dict) -> SimilarityMetric:
        sentence = np.asarray(data["sentence"], dtype=np.float64)
        return cls(
            str(data["embedding_model"]),
            sentence,
            np.asarray(data["heading"], dtype=np.float64),
            np.asarray(data.get("basis") or [], dtype=np.float64).reshape(-1, len(sentence)),
            np.asarray(data.get("centre") or [], dtype=np.float64),
            np.asarray(data.get("cross") or [], dtype=np.float64),
        )


@dataclass(frozen=True)
class PickerModel:
    """Two small linear models stored as plain numbers (a JSON file, reviewable in a diff):

    - the ranker scores each candidate (a linear function of RANKER_FEATURES plus the learned
      similarity metric); a softmax over one question's candidates gives each the probability of
      being the quote that answers (a conditional logit, trained listwise);
    - the confidence model turns what the ranker saw (CONFIDENCE_FEATURES, then the pick's
      ``SimilarityMetric.inputs``: which question and sentence meet along which dimensions) into the
      probability that its pick is right, which the thresholds cut into "sikker", "usikker" and
      "dækker ikke"."""

    ranker: Linear
    metric: SimilarityMetric
    confidence_model: Linear
    sure: float  # a pick whose probability of being right is at or above this is "sikker"
    covered: float  # below this "dækker ikke"; in between "usikker"
    second_ratio: float  # a further quote must reach this share of the best one's softmax probability
    trained_on: dict

    def shares(self, given: PickInput, embedding_model: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each candidate's score, its softmax share among the question's candidates and the
        learned metric's part of the score. The metric counts only under the embedding model it
        was learned on."""
        metric = (
            self.metric.scores(given.vectors)
            if self.metric.applies_to(embedding_model, given.vectors)
            else np.zeros(len(given.features))
        )
        scores = self.ranker(given.features[:, _RANKER_COLUMNS]) + metric
        return scores, softmax(scores), metric

    def right_probability(self, summary: np.ndarray, pick_pairs: np.ndarray) -> float:
        """The probability that the pick is right, from CONFIDENCE_FEATURES' ``summary`` and the
        pick's ``pick_pairs`` (``SimilarityMetric.inputs``; zeros under another embedding model)."""
        inputs = np.r_[summary, pick_pairs]
        return float(sigmoid(self.confidence_model(inputs[None, :])[0]))

    def pick_pairs(self, given: PickInput, best: int, embedding_model: str) -> np.ndarray:
        """The metric's inputs for candidate ``best`` as the confidence model reads them: none
        under an embedding model other than the one it was trained with."""
        if not self.metric.applies_to(embedding_model, given.vectors):
            return np.zeros(len(self.metric.weights))
        return self.metric.inputs(given.vectors, slice(best, best + 1))[0]

    def confidence(self, probability: float) -> str:
        if probability >= self.sure:
            return SIKKER
        return USIKKER if probability >= self.covered else DAEKKER_IKKE

    def to_json(self) -> str:
        data = {
            "ranker_features": list(RANKER_FEATURES),
            "confidence_features": list(CONFIDENCE_FEATURES),
            "ranker": self.ranker.to_dict(),
            "metric": self.metric.to_dict(),
            "confidence": self.confidence_model.to_dict(),
            "thresholds": {"sure": self.sure, "covered": self.covered, "second_ratio": self.second_ratio},
            "trained_on": self.trained_on,
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> PickerModel:
        data = json.loads(text)
        metric = SimilarityMetric.from_dict(data["metric"]) if "metric" in data else None
        if (
            tuple(data["ranker_features"]) != RANKER_FEATURES
            or tuple(data["confidence_features"]) != CONFIDENCE_FEATURES
            or metric is None
            or len(metric.cross) != len(metric.basis) ** 2
            # the confidence model reads CONFIDENCE_FEATURES and then the pick's metric inputs
            or len(data["confidence"]["coef"]) != len(CONFIDENCE_FEATURES) + len(metric.weights)
        ):
            raise PickerModelError(
                "Svarvælgerens model passer ikke til denne version (andre kendetegn); "
                "kør »rammeaftale train-picker«."
            )
        thresholds = data["thresholds"]
        return cls(
            Linear.from_dict(data["ranker"]),
            metric,
            Linear.from_dict(data["confidence"]),
            float(thresholds["sure"]),
            float(thresholds["covered"]),
            float(thresholds["second_ratio"]),
            dict(data.get("trained_on") or {}),
        )


def confidence_summary(
    features: np.ndarray,
    scores: np.ndarray,
    shares: np.ndarray,
    metric: np.ndarray,
    rule_gate: bool,
    quotes: int,
) -> np.ndarray:
    """CONFIDENCE_FEATURES for one question, from its candidates' features, the ranker's output
    (its scores, their shares and the learned metric's part) and how many quotes were chosen."""
    order = np.argsort(-scores, kind="stable")
    best = features[order[0]]
    second_share = shares[order[1]] if len(order) > 1 else 0.0
    margin = scores[order[0]] - scores[order[1]] if len(order) > 1 else 10.0
    column = {name: i for i, name in enumerate(FEATURES)}
    entropy = -float((shares * np.log(shares + 1e-12)).sum())
    return np.asarray(
        [
            shares[order[0]],
            second_share,
            margin,
            scores[order[0]],
            best[column["own_coverage"]],
            best[column["context_coverage"]],
            best[column["sentence_sim"]],
            best[column["heading_sim"]],
            best[column["type_ok"]],
            best[column["demand_met"]],
            best[column["asks_type"]],
            best[column["has_demand"]],
            best[column["best_context_coverage"]],
            best[column["best_sentence_sim"]],
            float(rule_gate),
            best[column["in_asked_period"]],
            best[column["other_period"]],
            float(np.argmax(features[:, column["sentence_sim"]]) == order[0]),
            float(np.argmax(features[:, column["rule_score"]]) == order[0]),
            entropy,
            best[column["hit_rank"]],
            best[column["known_share"]],
            float(quotes),
            float(len(features)),
            best[column["neighbour_sim"]],
            best[column["question_words"]],
            metric[order[0]],
            metric[order[0]] - metric[order[1:]].max() if len(order) > 1 else 0.0,
        ],
        dtype=np.float64,
    )


class PickerModelError(RuntimeError):
    """The picker's model file is missing or does not fit this code."""


class LearnedPicker:
    name = "learned"

    def __init__(self, model: PickerModel, embedding_model: str):
        self.model = model
        self.embedding_model = embedding_model  # the index's: the learned metric needs its own

    @classmethod
    def load(cls, embedding_model: str, path: Path = MODEL_FILE) -> LearnedPicker:
        try:
            return cls(PickerModel.from_json(path.read_text(encoding="utf-8")), embedding_model)
        except FileNotFoundError as exc:
            raise PickerModelError(
                f"Svarvælgerens model mangler ({path}); kør »rammeaftale train-picker«."
            ) from exc

    def pick(self, given: PickInput) -> Pick:
        # One BLAS thread: the picker's matrix products are small, and OpenBLAS's second thread,
        # left spinning after them, slowed the embedding engine's next question on a 2-core
        # machine (warm ask p95 130 -> 54 ms; the note of issue 14's fourteenth round).
        with _blas_threads().limit(limits=1, user_api="blas"):
            return self._pick(given)

    def _pick(self, given: PickInput) -> Pick:
        sentences = given.candidates.sentences
        if not sentences:
            return Pick([], DAEKKER_IKKE, 0.0)
        scores, shares, metric = self.model.shares(given, self.embedding_model)
        order = np.argsort(-scores, kind="stable")
        ranked = [(sentences[i], float(shares[i])) for i in order]
        chosen = choose(given.candidates, ranked, given.index, given.policy, self.model.second_ratio)
        right = self.model.right_probability(
            confidence_summary(given.features, scores, shares, metric, given.supported, len(chosen)),
            self.model.pick_pairs(given, int(order[0]), self.embedding_model),
        )
        confidence = self.model.confidence(right)
        if confidence == SIKKER and lacks_demanded_fact(given, chosen):
            confidence = USIKKER  # quotes without the number, price or date asked for are no sure answer
        return Pick(chosen, confidence, right)


@cache
def _blas_threads():
    """The process's BLAS thread pools (looked up once: numpy's OpenBLAS is loaded by then)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def missing_demand(given: PickInput, quotes: list[ScoredSentence]) -> str | None:
    """The label of a number, price or date (for its year) the question demands and no quote
    states ("et antal for 2025"), or None."""
    asked = given.candidates.asked
    return asked.shape.unmet_demand([q.text for q in quotes], asked.counts)


def lacks_demanded_fact(given: PickInput, chosen: list[ScoredSentence]) -> bool:
    return missing_demand(given, chosen) is not None


def softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max())
    return exp / exp.sum()


def sigmoid(z: np.ndarray | float) -> np.ndarray | float:
    return 1.0 / (1.0 + np.exp(-z))


def make_picker(name: str, embedding_model: str, model_file: Path = MODEL_FILE) -> AnswerPicker:
    """The picker named by the settings, for the index's embedding model."""
    if name == "learned":
        return LearnedPicker.load(embedding_model, model_file)
    if name == "rules":
        return RulePicker()
    raise ValueError(f"Svarvælgeren {name!r} understøttes ikke. Mulige: learned, rules.")


def candidate_features(
    candidates: Candidates,
    question_vector: np.ndarray,
    vectors: SentenceVectors,
    asked_period: str | None,
    known_share: float,
) -> np.ndarray:
    """The FEATURES matrix for the candidates of one question."""
    sentences = candidates.sentences
    if not sentences:
        return np.zeros((0, len(FEATURES)))
    asked = candidates.asked
    sims_by_rank = {
        rank: vectors.similarities(hit.chunk.id, question_vector) for rank, hit in enumerate(candidates.hits)
    }
    sentence_sims = [_sentence_sim(sims_by_rank[s.hit_rank][0], s) for s in sentences]
    best_context = max(_signals(s).context_coverage for s in sentences)
    best_sim = max(sentence_sims)
    asks_type = float(bool(asked.shape.types))
    has_demand = float(asked.shape.unmet_demand([]) is not None)
    question_words = float(len(asked.query.question.split()))
    rows = []
    for sentence, sim in zip(sentences, sentence_sims):
        hit = candidates.hits[sentence.hit_rank]
        period = hit.chunk.period
        signals = _signals(sentence)
        rows.append(
            (
                sentence.score,
                sim,
                sims_by_rank[sentence.hit_rank][1],
                signals.own_coverage,
                signals.context_coverage,
                float(signals.type_ok),
                asks_type,
                float(signals.demand_met),
                has_demand,
                float(asked_period is not None and period == asked_period),
                float(asked_period is not None and period != asked_period),
                best_context,
                best_sim,
                float(sentence.hit_rank),
                float(signals.type_ok) * asks_type,
                known_share,
                _neighbour_sim(sims_by_rank[sentence.hit_rank][0], sentence),
                question_words,
                float(sentence.window),
                signals.pair_gain,
            )
        )
    return np.asarray(rows, dtype=np.float64)


def candidate_vectors(
    candidates: Candidates, question_vector: np.ndarray, vectors: SentenceVectors
) -> CandidateVectors:
    """What the learned metric compares: the question's vector against, per candidate, its own
    sentence most similar to the question (the one ``sentence_sim`` takes) and its passage's
    heading. Vectors of another width than the question's (another model's index) count as none."""
    q = np.asarray(question_vector, dtype=np.float64)
    sentences = np.zeros((len(candidates.sentences), q.shape[0]))
    headings = np.zeros_like(sentences)
    for row, sentence in enumerate(candidates.sentences):
        own, heading = vectors.by_chunk.get(candidates.hits[sentence.hit_rank].chunk.id, (None, None))
        if own is not None and own.ndim == 2 and own.shape[1] == q.shape[0]:
            own = own[sentence.position : max(sentence.position, sentence.end) + 1]
            if own.size:
                sentences[row] = own[int(np.argmax(own @ q))]
        if heading is not None and heading.shape == q.shape:
            headings[row] = heading
    return CandidateVectors(q, sentences, headings)


def _signals(sentence: ScoredSentence) -> Signals:
    """What the candidate's rule score was made of: every scored candidate has it."""
    if sentence.signals is None:
        raise ValueError("a candidate without signals: it did not come from score_candidates")
    return sentence.signals


def _sentence_sim(sims: np.ndarray, sentence: ScoredSentence) -> float:
    """The best similarity among the quote's own sentences (a list's items, a continuation)."""
    own = sims[sentence.position : max(sentence.position, sentence.end) + 1]
    return float(own.max()) if own.size else 0.0


def _neighbour_sim(sims: np.ndarray, sentence: ScoredSentence) -> float:
    """The best similarity of the sentence before the quote and the one after it."""
    around = [
        i for i in (sentence.position - 1, max(sentence.position, sentence.end) + 1) if 0 <= i < sims.size
    ]
    return float(sims[around].max()) if around else 0.0


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 8) for v in values]
