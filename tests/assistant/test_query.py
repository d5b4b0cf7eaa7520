"""Query understanding: synonyms, English, typos, compounds (pure, over a small vocabulary)."""

from __future__ import annotations

from assistant.understanding.danish import Analyzer, stem
from assistant.understanding.query import GlossaryTerm, QueryExpander, QueryVocabulary
from core.settings import PROJECT_ROOT

WORDS = {
    "afregning",
    "afregninger",
    "opsigelsesvarsel",
    "opsigelse",
    "dødsfald",
    "takstaftalen",
    "takst",
    "kvindekrisecentre",
    "frist",
    "betaling",
}


def expander(vocabulary: QueryVocabulary | None = None) -> QueryExpander:
    vocabulary = vocabulary or QueryVocabulary(
        glossary=(
            GlossaryTerm("afregning", "", ("faktura", "regning"), ("invoice",), {}),
            GlossaryTerm("kvindekrisecenter", "", ("krisecenter",), ("crisis centre",), {}),
        ),
        translations={"notice": ("opsigelsesvarsel",), "død": ("dødsfald",)},
    )
    analyzer = Analyzer(WORDS | vocabulary.words())
    return QueryExpander(analyzer, vocabulary, WORDS, {stem(w) for w in WORDS})


def test_glossary_synonym_adds_the_agreements_word_and_credits_the_question_word() -> None:
    query = expander().expand("Hvornår skal en faktura betales?")
    assert "afregning" in query.additions
    assert stem("afregning") in query.alternatives["faktura"]


def test_english_words_map_to_danish() -> None:
    query = expander().expand("What is the notice period at a crisis centre?")
    assert "opsigelsesvarsel" in query.additions and "kvindekrisecenter" in query.additions


def test_a_question_frame_is_no_topic_word() -> None:
    vocabulary = QueryVocabulary(translations={"long": ("længerevarende",)})
    query = expander(vocabulary).expand("How long is the notice?")
    assert "long" not in query.topic.lower().split()
    assert "længerevarende" not in query.additions  # "long" of "how long" is not the adjective
    assert "varighed" in query.additions  # a duration is stated under "Varighed"


def test_typo_in_a_long_domain_word_is_fixed() -> None:
    assert "takstaftalen" in expander().expand("takstafttalen 2024").additions


def test_known_words_and_short_words_are_left_alone() -> None:
    query = expander().expand("afregning død")
    assert set(query.additions) == {
        "afregning",
        "dødsfald",
    }  # the term itself and the translation, no typo guesses


def test_bundled_vocabulary_loads_glossary_and_translations() -> None:
    vocabulary = QueryVocabulary.load(PROJECT_ROOT / "corpus")
    assert len(vocabulary.glossary) >= 30 and vocabulary.translations["invoice"]
    assert {"varsel", "opsigelsesvarsel"} <= vocabulary.words()  # a glossary term and a corpus word


def test_an_acronym_the_documents_never_use_is_reported_unknown() -> None:
    query = expander().expand("Do invoices include VAT?")
    assert query.unknown_acronyms == ("VAT",)


def test_a_known_or_translated_acronym_is_not_unknown() -> None:
    vocabulary = QueryVocabulary(translations={"sel": ("frist",)})
    assert expander(vocabulary).expand("SEL § 107 frist").unknown_acronyms == ()
    assert expander().expand("FRIST for betaling").unknown_acronyms == ()


def test_the_generated_english_map_points_at_words_the_corpus_uses() -> None:
    """corpus/english.yaml is generated from the corpus vocabulary: every key is one token the
    tokenizer can produce and every Danish value occurs in the documents."""
    import yaml

    from assistant.understanding.danish import tokenize

    corpus = PROJECT_ROOT / "corpus"
    text = " ".join(
        " ".join(tokenize(p.read_text(encoding="utf-8")))
        for p in corpus.iterdir()
        if p.suffix in (".txt", ".md")
    )
    words = yaml.safe_load((corpus / "english.yaml").read_text(encoding="utf-8"))["words"]
    assert len(words) > 500
    bad_keys = [k for k in words if tokenize(k) != [k]]
    missing = [
        (k, v)
        for k, values in words.items()
        for v in values
        if f" {' '.join(tokenize(v))} " not in f" {text} "
    ]
    assert not bad_keys and not missing, (bad_keys[:5], missing[:5])


def test_the_hand_kept_map_wins_over_the_generated_one(tmp_path) -> None:
    (tmp_path / "english.yaml").write_text("words:\n  notice: [varsel]\n  fee: [gebyr]\n", encoding="utf-8")
    (tmp_path / "translations.yaml").write_text("words:\n  notice: [opsigelsesvarsel]\n", encoding="utf-8")
    translations = QueryVocabulary.load(tmp_path).translations
    assert translations["notice"] == ("opsigelsesvarsel",) and translations["fee"] == ("gebyr",)
