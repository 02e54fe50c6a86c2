"""Search and answers over one build: ranking, fusion, section order, snippets, evaluation."""
