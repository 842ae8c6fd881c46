"""Source text to the syntax tree: spans, nodes, the Lark-generated parser and its driver, syntax
errors."""
