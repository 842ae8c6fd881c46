# A list spliced several times into lists spliced several times: 2 × 10 × 10 × 10 styles.
let pair = ["techno", "dark"]
let twenty = [pair, pair, pair, pair, pair, pair, pair, pair, pair, pair]
let two_hundred = [twenty, twenty, twenty, twenty, twenty, twenty, twenty, twenty, twenty, twenty]
let all = [two_hundred, two_hundred, two_hundred, two_hundred, two_hundred, two_hundred,
           two_hundred, two_hundred, two_hundred, two_hundred]
gen "Intro" 10s styles[all]
