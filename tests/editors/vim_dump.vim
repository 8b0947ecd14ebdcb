" vim_dump.vim — dump what Vim's nas syntax and indent scripts do, for highlight_check.py.
" Run: vim -N -u NONE -i NONE -n -es --cmd 'let g:out=DIR' --cmd 'set rtp^=editors/vim'
"        -S tests/editors/vim_dump.vim FILE...
" Writes DIR/<n>.syn: '#ft', '#cms', '#err' (v:errmsg after loading) lines, then 'line<TAB>bytecol<TAB>group<TAB>stack' for
" every byte; and DIR/<n>.indent: the buffer after gg=G. <n> is the file's index in the args.
filetype plugin indent on
syntax on
let s:n = 0
for s:file in argv()
  let v:errmsg = ''
  execute 'edit! ' . fnameescape(s:file)
  let s:lines = ['#ft ' . &filetype, '#cms ' . &commentstring, '#err ' . v:errmsg]
  for s:l in range(1, line('$'))
    for s:c in range(1, strlen(getline(s:l)))
      let s:stack = map(synstack(s:l, s:c), 'synIDattr(v:val, "name")')
      call add(s:lines, s:l . "\t" . s:c . "\t" . synIDattr(synID(s:l, s:c, 1), 'name')
            \ . "\t" . join(s:stack, ','))
    endfor
  endfor
  call writefile(s:lines, g:out . '/' . s:n . '.syn')
  silent normal! gg=G
  call writefile(getline(1, '$'), g:out . '/' . s:n . '.indent')
  let s:n += 1
endfor
qall!
