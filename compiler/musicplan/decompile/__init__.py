"""Plan JSON back to MPL: reading the JSON, chunk keys, lifting to nodes, JSON positions."""
