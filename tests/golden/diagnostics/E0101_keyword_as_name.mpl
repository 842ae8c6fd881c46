# A keyword cannot name a binding, a parameter or a song.
song s = "vVtPM1Sas70E2LIhQFch"
let keep = 3s
keep s 0-10s
