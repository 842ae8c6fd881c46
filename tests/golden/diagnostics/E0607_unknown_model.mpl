plan model=music_v25 seed=7
gen "Intro" 10s styles["synthwave", "warm pads", "slow build", "analog", "night", "retro"]
