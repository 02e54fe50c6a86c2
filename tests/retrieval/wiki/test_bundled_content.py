"""The bundled knowledge base must load without a single error."""

from retrieval.wiki.loader import load_pages
from tests.paths import CONTENT


def test_bundled_content_loads_without_errors() -> None:
    result = load_pages(CONTENT)
    assert result.errors == (), "\n".join(map(str, result.errors))
    assert len(result.pages) >= 80
