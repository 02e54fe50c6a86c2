"""The bundled knowledge base must load without a single error."""

from retrieval.config import PROJECT_ROOT
from retrieval.content import load_pages


def test_bundled_content_loads_without_errors() -> None:
    result = load_pages(PROJECT_ROOT / "content")
    assert result.errors == (), "\n".join(map(str, result.errors))
    assert len(result.pages) >= 80
