gen "Intro" 30s styles["a", "b", "c", "d", "e", "ロック"]
