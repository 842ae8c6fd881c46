song s1 = "vVtPM1Sas70E2LIhQFch"

keep 0-30s
gen "outro" 20s styles["cinematic", "epic", "choir", "strings", "brass"] adherence=low
