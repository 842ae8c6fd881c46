# A name error does not hide the limit errors of other chunks: one run reports them all.
song s = "vVtPM1Sas70E2LIhQFch" length=1:00 {
  intro 0-30s
}
keep intro
keep trailer 0-10s
gen "Bridge" 2s styles["a", "b", "c", "d", "e", "f"] adherence=hihg
gen "Outro" 20s styles["a"] like s 10s-50s
keep s 55s-1:10
