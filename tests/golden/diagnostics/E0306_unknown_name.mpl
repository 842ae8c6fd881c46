gen "Intro" len styles["a", "b", "c", "d", "e", "f"]
