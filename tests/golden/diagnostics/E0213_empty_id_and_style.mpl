song s = "" length=60s
keep s 0-10s
gen "A" 10s styles["pop", ""]
