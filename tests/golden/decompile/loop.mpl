song s1 = "Xy12Lm34Np56Qr78St90"

keep 3s-8s
gen "Glue" 3s styles["smooth transition", "lo-fi hip hop", "vinyl crackle"] adherence=high
keep 3s-8s
