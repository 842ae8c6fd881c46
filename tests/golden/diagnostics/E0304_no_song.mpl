keep 0-30s
