song s = "id"
gen "In\qtro" 30s styles["a", "b", "c", "d", "e", "f"]
