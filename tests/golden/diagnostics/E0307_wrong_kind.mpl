song s = "id"
let hook = 3s
keep hook
keep s
