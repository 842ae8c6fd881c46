# Recipe 2, extend a song: a new intro and a new outro around 40 s of a stored song.
song groove = "vVtPM1Sas70E2LIhQFch" length=60s

gen "Intro" 30s styles["deep house", "warm pads", "four on the floor", "analog bass",
                       "filtered chords", "122 bpm", "late night"] avoid[]
keep 10s-50s
gen "Outro" 30s styles["deep house", "fading pads", "sparse percussion"] adherence=high
