# Bindings bound in a circle: each use says so, naming the circle (never "unknown name").
song s = "vVtPM1Sas70E2LIhQFch" length=60s
let hook = chorus
let chorus = refrain
let refrain = hook
let loop = loop
let again = hook
keep s hook
keep s loop
keep s again
