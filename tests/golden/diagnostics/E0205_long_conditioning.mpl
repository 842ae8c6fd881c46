song ref = "id"
gen "Intro" 30s styles["a", "b", "c", "d", "e", "f"] like ref 0-45s strength=high
