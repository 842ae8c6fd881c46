song s = "id" {
  intro 0-30s
  outro 30s-50s
}
keep s outr
