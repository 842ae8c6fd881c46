gen "Intro" 30s styles["techno", "dark"]
