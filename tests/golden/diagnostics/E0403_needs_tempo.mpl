gen "Intro" 8 bars styles["a", "b", "c", "d", "e", "f"]
