// NAS0001: `use` of a FIFO is refused at once (opening it used to block nasc forever waiting
// for a writer); a module must be a regular file.
// input: use-fifo
// expect: error NAS0001 at 1:5
