"""`mpl lsp`: the language server, a front end over the compiler's own pipeline.

Only `server` imports pygls; the feature modules work on a `document.Analysis` (one
compilation of one open file) and return `lsprotocol` types, so each can be tested alone.
Nothing here is imported by `mpl compile`.
"""
