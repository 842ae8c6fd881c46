# music_v1 takes plans of sections
plan model=music_v1
gen "Intro" 10s styles["synthwave", "warm pads", "slow build", "analog", "night", "retro"]
