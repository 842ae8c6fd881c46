"""The syntax tree to the resolved plan: the resolver, scopes, imports, declarations, names and
values, chunks, templates, windows, the plan header and musical time."""
