plan format=mp3_48000_999
gen "Intro" 30s styles["a", "b", "c", "d", "e", "f"] adherence=hi
