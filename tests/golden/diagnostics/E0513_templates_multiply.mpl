# Each template calls the one before it ten times: `thousand()` twice would expand `one` 2,000
# times; expansion stops once the bodies expanded hold more than 5,000 statements in all.
song s = "vVtPM1Sas70E2LIhQFch" length=60s
template one() { keep s 0-3s }
template ten() { one(); one(); one(); one(); one(); one(); one(); one(); one(); one() }
template hundred() { ten(); ten(); ten(); ten(); ten(); ten(); ten(); ten(); ten(); ten() }
template thousand() {
  hundred(); hundred(); hundred(); hundred(); hundred()
  hundred(); hundred(); hundred(); hundred(); hundred()
}
thousand()
thousand()
