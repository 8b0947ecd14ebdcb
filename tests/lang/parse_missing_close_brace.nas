// A declaration that is not closed: the next declaration keyword says a '}' is missing,
// with a note at the '{' that is still open.
search s {
    trials 30
    max_failed 10

reward {
// expect: error NAS0201 at 7:1
// expect: note at 3:10
    maximize accuracy
}
