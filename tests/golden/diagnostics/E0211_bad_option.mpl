plan sead=42 seed=1.5 store=maybe
gen "Intro" 30s styles["a", "b", "c", "d", "e", "f"]
