// Valid non-ASCII UTF-8 is allowed inside strings and comments (§1): é, 日本, emoji 🙂.
let name = "réseau 日本 🙂"   // commentaire: données
/* bloc: ü ß ∑ */
let other = "Ω"
