song trailer = "id"
keep trailr 0-30s
