# Lints wait until the errors are fixed: the import is not reported unused.
import "std/styles"
song s = "vVtPM1Sas70E2LIhQFch"
keep s 0-10s
gen "A" 5s styles[styles.cinematc]
