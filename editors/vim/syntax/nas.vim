" syntax/nas.vim — syntax highlighting for the nas language (docs/language.md).
" The keyword and builtin lists between the GENERATED markers are written by
" tests/editors/nas_words.py --write from grammar/nas.l and stdlib/; do not edit them by hand.
if exists('b:current_syntax')
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

syn case match
syn sync fromstart

" Lowest priority first: an item defined later wins when two start at the same column.
" Characters the lexer rejects (a lone | or !, a % not after a number, non-ASCII).
syn match nasError /[|!@#$?^&~\\`'%]\|[^\x00-\x7f]/

" An unknown unit: defined before the generated nasUnit, which wins when both match.
syn match nasBadUnit /[A-Za-z_%][A-Za-z0-9_%]*/ contained

" BEGIN GENERATED WORDS (tests/editors/nas_words.py --write)
syn keyword nasDeclaration block controller dataset extern fn let model proxy reward search train trainer
syn keyword nasDeclaration tune use
syn keyword nasControl else if repeat return when
syn keyword nasDecision choice log of oneof step
syn keyword nasClause from hard maximize minimize ref soft split subject to top
syn keyword nasLogical and not or
syn keyword nasBoolean false true
syn keyword nasType bool
syn match nasTypeName /\%(\%(:\|->\)\s*\)\@<=\<\%(count\|float\|int\|list\|memory\|ratio\|string\|tensor\|time\)\>/
syn match nasUnit /\%(%\|B\|G\|GB\|K\|KB\|M\|MB\|h\|min\|ms\|s\|us\)[A-Za-z0-9_%]\@!/ contained
syn keyword nasLayer add avgpool batchnorm concat conv2d conv_bn_relu crop dense depthwise_conv2d dil_conv dropout factorized_reduce
syn keyword nasLayer flatten gelu global_avgpool identity inverted_bottleneck maxpool mbconv multiply pointwise relu relu6 residual
syn keyword nasLayer separable_conv sigmoid squeeze_excite sum swish tanh zero
syn keyword nasFunction mnasnet mnasnet_hard tunas
syn keyword nasController bo evolution grid local nsga2 ppo random reinforce sobol tpe
" END GENERATED WORDS

" A declared name right after its keyword (nextgroup beats the keyword lists).
syn keyword nasDeclaration block model fn nextgroup=nasFuncName skipwhite
syn keyword nasDeclaration dataset reward controller search train proxy tune trainer nextgroup=nasSectionName skipwhite
syn keyword nasDeclaration let nextgroup=nasLetName skipwhite
syn keyword nasDecision choice oneof nextgroup=nasDecisionName skipwhite
syn match nasFuncName /\h\w*/ contained
syn match nasSectionName /\h\w*\ze\s*{/ contained
syn match nasLetName /\h\w*/ contained
" choice NAME form: a name is followed by the form ([...], bool, lo .. hi, k of [...]),
" not by 'of' nor an operator (choice k of [...] and choice lo .. hi have no name).
syn match nasDecisionName /\h\w*\>\ze\s*\%(\[\|\d\|\%(\%(of\|and\|or\|step\|log\)\>\)\@!\h\)/ contained

" a.b: the member is a plain name even when it is spelt like a keyword (fashion.train).
syn match nasMember /\%(\w\|[)\]]\)\@<=\.\h\w*/

" Numbers and their units: 2ms 64MB 90% 1_000 0.5 1e-3; an unknown suffix is an error.
syn match nasNumber /\<\d\+\%(_\d\+\)*\%(\.\d\+\%(_\d\+\)*\)\=\%([eE][+-]\=\d\+\)\=/ nextgroup=nasUnit,nasBadUnit

" Operators: single characters first so that the two-character ones win.
syn match nasOperator /[-+*\/=<>]/
syn match nasOperator /==\|!=\|<=\|>=/
syn match nasArrow /->/
syn match nasPipe /|>/
syn match nasRange /\.\./

" tensor[1, 28, 28]: the shape is an expression list.
syn region nasShape start=/\%(\<tensor\s*\)\@<=\[/ end=/\]/ contains=TOP

syn region nasString start=/"/ skip=/\\\\\|\\"/ end=/"/ end=/$/ oneline contains=nasBadEscape,nasEscape,@Spell
syn match nasBadEscape /\\./ contained
syn match nasEscape /\\["\\nt]/ contained

syn keyword nasTodo TODO FIXME XXX NOTE contained
syn match nasLineComment +//.*$+ contains=nasTodo,@Spell
syn region nasBlockComment start=+/\*+ end=+\*/+ contains=nasBlockComment,nasTodo,@Spell fold

hi def link nasDeclaration Keyword
hi def link nasControl Statement
hi def link nasDecision PreProc
hi def link nasClause Keyword
hi def link nasLogical Operator
hi def link nasBoolean Boolean
hi def link nasType Type
hi def link nasTypeName Type
hi def link nasLayer Function
hi def link nasFunction Function
hi def link nasController Function
hi def link nasFuncName Function
hi def link nasSectionName Identifier
hi def link nasLetName Identifier
hi def link nasDecisionName Identifier
hi def link nasNumber Number
hi def link nasUnit Special
hi def link nasBadUnit Error
hi def link nasOperator Operator
hi def link nasArrow Operator
hi def link nasPipe Operator
hi def link nasRange Operator
hi def link nasString String
hi def link nasEscape SpecialChar
hi def link nasBadEscape Error
hi def link nasTodo Todo
hi def link nasLineComment Comment
hi def link nasBlockComment Comment
hi def link nasError Error

let b:current_syntax = 'nas'
let &cpo = s:cpo_save
unlet s:cpo_save
