"""The `file` strategy: the masked file(s) themselves, as the model is shown them.

The prompt already carries the masked file; this strategy yields the same text as snippets so
that the file-only baseline is explicit, and the prompt layer drops the duplicate. The text comes
from the request (markers in place), never from the tree, which holds the original code.
"""

from __future__ import annotations

from asebench.context.budget import fill_budget
from asebench.context.model import Context, ContextRequest, Snippet


class MaskedFileContext:
    name = "file"

    def build(self, request: ContextRequest) -> Context:
        """One snippet per masked file, in request order, cut to the budget."""
        snippets = [
            Snippet(
                path=path, start_line=1, end_line=max(1, text.count("\n") + 1), text=text, score=1.0
            )
            for path, text in request.masked_files.items()
        ]
        return fill_budget(snippets, request.budget_tokens)
