song s = "id"
keep 0-2s
keep 10s-40s
