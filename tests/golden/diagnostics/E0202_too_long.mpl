song s = "id"
keep 0-5:00
keep 5:00-9:00
gen "Outro" 1:30 styles["a", "b", "c", "d", "e", "f"]
