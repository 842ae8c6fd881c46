song s = "id"
gen "Intro" 30s styles["a" "b"]
