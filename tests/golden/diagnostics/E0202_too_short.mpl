song s = "id"
keep 0-2s
