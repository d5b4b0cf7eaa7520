"""Calculator intent by meaning: a caseworker who writes "vi stopper anbringelsen den 10. marts,
hvor længe skal vi betale?" asks for the notice calculator without any of its keywords.

The question's embedding (the one retrieval computes anyway) is compared with example phrasings
(assistant/understanding/intent_examples.yaml): it means "notice" when it is closer to the notice
examples than to the other examples by at least ``NOTICE_MARGIN``. Only a question that also
carries a date is routed (assistant/calculators/entries/notice.py). Measured on the golden suite: the 16
notice questions have margins 0.011–0.110 (all but one above 0.03; that one has the keywords);
questions without a date reach 0.061, which is why the date stays required.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from core.yamlfiles import read_yaml

EXAMPLES_FILE = Path(__file__).parent / "intent_examples.yaml"
NOTICE_MARGIN = 0.03


class CalculatorIntent:
    """Whether a question means the notice calculator, from its embedding."""

    def __init__(
        self, embeddings: Embeddings, examples_file: Path = EXAMPLES_FILE, margin: float = NOTICE_MARGIN
    ):
        self.embeddings = embeddings
        self.examples_file = examples_file
        self.margin = margin

    @cached_property
    def _examples(self) -> tuple[np.ndarray, np.ndarray]:
        data = read_yaml(self.examples_file)

        def embed(texts: list[str]) -> np.ndarray:
            return np.asarray([self.embeddings.embed_query(t) for t in texts], dtype=np.float32)

        return embed(data["notice"]), embed(data["other"])

    def notice_margin(self, question_vector: list[float] | np.ndarray) -> float:
        """How much closer the question is to the notice examples than to the others."""
        notice, other = self._examples
        vector = np.asarray(question_vector, dtype=np.float32)
        return float((notice @ vector).max() - (other @ vector).max())

    def means_notice(self, question_vector: list[float] | np.ndarray) -> bool:
        return self.notice_margin(question_vector) >= self.margin
