song s1 = "Xy12Lm34Np56Qr78St90"

keep 3s-8s
gen "Glue" 3s styles["lo-fi hip hop", "mellow", "vinyl crackle", "dusty drums", "jazzy chords",
                     "warm tape saturation", "relaxed", "80 bpm",
                     "smooth transition"] adherence=high
keep 3s-8s
