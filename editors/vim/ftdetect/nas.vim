" ftdetect/nas.vim — .nas files are the nas language.
autocmd BufRead,BufNewFile *.nas setfiletype nas
