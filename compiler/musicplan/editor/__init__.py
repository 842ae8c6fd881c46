"""Editor support: the language's vocabulary, the TextMate grammar, the Pygments lexer, the
language server."""
