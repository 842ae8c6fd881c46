plan seed=1 seed=2
gen "Intro" 30s styles["a", "b", "c", "d", "e", "f"] adherence=low adherence=high
