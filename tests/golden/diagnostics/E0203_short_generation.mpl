gen "Intro" 2s styles["a", "b", "c", "d", "e", "f"]
gen "Verse" 30s styles["pop"]
