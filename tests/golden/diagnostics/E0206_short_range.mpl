song s = "id"
keep 0-30s
keep 10s-10.02s
