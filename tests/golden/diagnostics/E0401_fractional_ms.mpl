song s = "id"
keep 0-30.0005s
