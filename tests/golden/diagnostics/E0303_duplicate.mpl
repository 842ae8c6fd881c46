song s = "id1"
song s = "id2" {
  intro 0-10s
  intro 10s-20s
}
keep 0-30s
