// A UTF-8 byte-order mark at the start of a file (editors on Windows write one) is skipped;
// columns stay byte columns, so the undefined `b` after the 3-byte mark is at 1:12.
// input-bytes: b"\xef\xbb\xbflet a = b\n"
// expect: error NAS0301 at 1:12
