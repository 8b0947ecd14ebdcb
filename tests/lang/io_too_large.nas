// A source over 64 MiB is refused (NAS0003) before it is read as text.
// input: too-large
// expect: error NAS0003
