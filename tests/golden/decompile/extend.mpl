song s1 = "vVtPM1Sas70E2LIhQFch"

gen "Intro" 30s styles["deep house", "warm pads", "four on the floor", "analog bass",
                       "filtered chords", "122 bpm", "late night"] avoid[]
keep 10s-50s
gen "Outro" 30s styles["deep house", "fading pads", "sparse percussion"] adherence=high
