# Declarations inside a template body are E0509 where they are written, even when the
# template is never called (it then also goes unused, which is only W0201).
song s = "vVtPM1Sas70E2LIhQFch" length=60s
template intro() {
  song other = "Qw8bZ2nR4tLm6pKx1sVy"
  replace s 0s-10s {
    import "std/styles"
  }
  keep s 0-10s
}
keep s 0-10s
