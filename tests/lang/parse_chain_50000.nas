// NAS0202: issue 18's input, `let x = 1 + 1 + ...` with 50,000 terms (200 KB), which overflowed
// nasc's stack in sema: the chain is parsed without recursion, refused once where it passes
// 1,000 operators (the 1001st `+` ends at column 4013), and no later phase walks it.
// input: long-chain
// expect: error NAS0202 at 1:4013
