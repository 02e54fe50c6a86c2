"""Near misses ask for what a methods wiki does not hold, in any of its languages."""

from __future__ import annotations

import pytest

from retrieval import KnowledgeBase, Question
from retrieval.embedding import Embedder
from retrieval.search.scope import ScopeModel
from retrieval.search.sections import IntentModel

pytestmark = pytest.mark.model

# (asks for a law, a price, a tool…, asks about organising on the same topic)
PAIRS = [
    ("is it legal for our landlord to evict us for withholding rent here?",
     "how do we organise a rent strike in our building?"),
    ("Was kostet es, einen Saal für unser Treffen zu mieten?",
     "Wie organisieren wir ein Treffen mit unseren Nachbarn?"),
    ("¿Qué dice la ley sobre hacer huelga en mi país?",
     "¿Cómo preparamos una huelga en nuestro lugar de trabajo?"),
    ("Quel logiciel utiliser pour envoyer nos newsletters et comment le configurer ?",
     "Comment construire une liste de contacts pour notre campagne ?"),
    # Worded away from every prototype.
    ("Does the council charge a deposit for putting up a stage in the square?",
     "Our neighbours are scared to speak up at the meeting. How do we build their confidence?"),
]  # fmt: skip


def test_the_signal_reaches_the_grounding_model(bundled_kb: KnowledgeBase) -> None:
    legal = bundled_kb.signals(Question("is it legal to withhold rent in our city?"))
    method = bundled_kb.signals(Question("how do we start a rent strike with our neighbours?"))
    assert legal is not None and method is not None
    assert legal["off_scope"] > method["off_scope"]


def test_a_near_miss_scores_further_out_of_scope_than_its_on_topic_twin(
    multilingual: Embedder,
) -> None:
    scope = ScopeModel(IntentModel(multilingual))
    for outside, inside in PAIRS:
        vectors = multilingual.embed([outside, inside])
        assert scope.off_scope(vectors[0]) > scope.off_scope(vectors[1]), (outside, inside)
