song s = "id"
keep 0-30s @
