song s = "id"
keep 0-0:75
