# early chunks: those starting within the first 30 s (0:00, 0:10 and 0:20; not 0:30)
gen "Intro" 10s styles["techno", "dark", "hypnotic", "analog synths", "130 bpm", "minimal"]
gen "Build" 10s styles["techno", "rising"]
gen "Drop" 10s styles["techno", "driving", "dark"]
gen "Break" 10s styles["techno", "sparse"]
