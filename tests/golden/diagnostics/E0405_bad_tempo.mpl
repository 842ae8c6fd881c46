tempo 0 4/4
tempo 120 5/3
gen "Intro" 30s styles["a", "b", "c", "d", "e", "f"]
