# A lone surrogate escape names no character: the API could not take the text.
song s = "vVtPM1Sas70E2LIhQFch"
keep s 0-10s
gen "A" 5s styles["x"] text "[A]\ud800"
