song ref = "id"
gen "Intro" 30s styles["a", "b", "c", "d", "e", "f"]
gen "Verse" 30s styles["pop"] like ref 0-10s
