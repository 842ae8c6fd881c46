song s = "id"
keep s
gen "Intro" 30s styles["a", "b", "c", "d", "e", "f"]
