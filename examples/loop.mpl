# Recipe 3, seamless loop: a glue chunk joins the end of a phrase to its start.
song phrase = "Xy12Lm34Np56Qr78St90" length=10s

keep 3s-8s
gen "Glue" 3s styles["smooth transition", "lo-fi hip hop", "vinyl crackle"] adherence=high
keep 3s-8s
