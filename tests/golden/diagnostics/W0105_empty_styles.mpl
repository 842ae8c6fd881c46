gen "Intro" 30s
gen "Verse" 30s styles[]
