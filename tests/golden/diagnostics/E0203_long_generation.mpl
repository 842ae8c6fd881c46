gen "Intro" 2:30 styles["a", "b", "c", "d", "e", "f"]
