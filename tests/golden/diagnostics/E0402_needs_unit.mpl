song s = "id"
keep 0-30
gen "Intro" 30 styles["a", "b", "c", "d", "e", "f"]
