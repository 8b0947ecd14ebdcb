" indent/nas.vim — indentation for nas: one shiftwidth per open bracket, one more for a
" line that continues a pipeline (starts with |>); block comment lines keep theirs.
" Brackets inside strings and comments are not counted (read from the syntax groups).
if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal indentexpr=GetNasIndent(v:lnum)
setlocal indentkeys=0},0],0),!^F,o,O,e
setlocal nolisp nosmartindent nocindent autoindent
let b:undo_indent = 'setlocal indentexpr< indentkeys< lisp< smartindent< cindent< autoindent<'

if exists('*GetNasIndent')
  finish
endif

function! s:InComment(lnum, col) abort
  return synIDattr(synID(a:lnum, a:col, 0), 'name') =~# 'nasBlockComment\|nasLineComment\|nasString\|nasTodo\|nasEscape'
endfunction

" A line that starts inside a block comment opened on an earlier line.
function! s:CommentBody(lnum) abort
  let line = getline(a:lnum)
  let col = match(line, '\S') + 1
  return col > 0 && line[col - 1 : col] !=# '/*'
        \ && synIDattr(synID(a:lnum, col, 0), 'name') ==# 'nasBlockComment'
endfunction

" Open minus closed brackets of a line, not counting the closers it starts with.
function! s:NetBrackets(lnum) abort
  let line = getline(a:lnum)
  let lead = matchend(line, '^\s*\%([])}]\s*\)*')
  let net = 0
  for i in range(max([lead, 0]), strlen(line) - 1)
    if line[i] =~# '[[({]' && !s:InComment(a:lnum, i + 1)
      let net += 1
    elseif line[i] =~# '[])}]' && !s:InComment(a:lnum, i + 1)
      let net -= 1
    endif
  endfor
  return net
endfunction

function! GetNasIndent(lnum) abort
  if s:CommentBody(a:lnum)
    return -1
  endif
  let prev = prevnonblank(a:lnum - 1)
  while prev > 0 && s:CommentBody(prev)
    let prev = prevnonblank(prev - 1)
  endwhile
  if prev == 0
    return 0
  endif
  let sw = shiftwidth()
  let ind = indent(prev) + sw * s:NetBrackets(prev)
  if getline(prev) =~# '^\s*|>'
    let ind -= sw
  endif
  let cur = getline(a:lnum)
  let ind -= sw * len(substitute(matchstr(cur, '^\s*\%([])}]\s*\)*'), '\s', '', 'g'))
  if cur =~# '^\s*|>'
    let ind += sw
  endif
  return max([ind, 0])
endfunction
