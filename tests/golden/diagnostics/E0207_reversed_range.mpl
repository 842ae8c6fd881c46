song s = "id"
keep 30s-10s
