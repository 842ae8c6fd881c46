song s = "id"
