;;; nas-mode.el --- Major mode for the nas language  -*- lexical-binding: t -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "26.1"))
;; Keywords: languages
;; URL: see editors/README.md in the nas project

;;; Commentary:

;; Font-lock, indentation and comments for .nas files (docs/language.md).
;; The word lists between the GENERATED markers are written by
;; tests/editors/nas_words.py --write from grammar/nas.l and stdlib/;
;; do not edit them by hand.

;;; Code:

(defgroup nas nil
  "Major mode for the nas neural architecture search language."
  :group 'languages)

(defcustom nas-indent-offset 4
  "Indentation of one level of braces, brackets or parentheses in nas code."
  :type 'integer
  :safe #'integerp)

(defface nas-decision-face '((t :inherit font-lock-preprocessor-face))
  "Face for the decision keywords (choice, oneof, of, step, log).")
(defface nas-number-face '((t :inherit font-lock-constant-face))
  "Face for numbers.")
(defface nas-unit-face '((t :inherit font-lock-type-face))
  "Face for the unit of a quantity (the ms of 2ms).")
(defface nas-escape-face '((t :inherit font-lock-regexp-grouping-backslash))
  "Face for escapes inside strings.")
(defface nas-operator-face '((t :inherit font-lock-keyword-face))
  "Face for the pipeline, range and arrow operators.")

;; BEGIN GENERATED WORDS (tests/editors/nas_words.py --write)
(defconst nas-words-declaration '("block" "controller" "dataset" "extern" "fn" "let" "model" "proxy" "reward" "search" "train" "trainer" "tune" "use"))
(defconst nas-words-control '("else" "if" "repeat" "return" "when"))
(defconst nas-words-decision '("choice" "log" "of" "oneof" "step"))
(defconst nas-words-clause '("from" "hard" "maximize" "minimize" "ref" "soft" "split" "subject" "to" "top"))
(defconst nas-words-logical '("and" "not" "or"))
(defconst nas-words-boolean '("false" "true"))
(defconst nas-words-type '("bool"))
(defconst nas-words-typename '("count" "float" "int" "list" "memory" "ratio" "string" "tensor" "time"))
(defconst nas-words-unit '("%" "B" "G" "GB" "K" "KB" "M" "MB" "h" "min" "ms" "s" "us"))
(defconst nas-words-layer '("add" "avgpool" "batchnorm" "concat" "conv2d" "conv_bn_relu" "crop" "dense" "depthwise_conv2d" "dil_conv" "dropout" "factorized_reduce" "flatten" "gelu" "global_avgpool" "identity" "inverted_bottleneck" "maxpool" "mbconv" "multiply" "pointwise" "relu" "relu6" "residual" "separable_conv" "sigmoid" "squeeze_excite" "sum" "swish" "tanh" "zero"))
(defconst nas-words-function '("mnasnet" "mnasnet_hard" "tunas"))
(defconst nas-words-controller '("bo" "evolution" "grid" "local" "nsga2" "ppo" "random" "reinforce" "sobol" "tpe"))
;; END GENERATED WORDS

(defconst nas--name "[A-Za-z_][A-Za-z0-9_]*")

(defun nas--member-p (pos)
  "Non-nil when the word at POS follows a member dot (the train of fashion.train)."
  (and (eq (char-before pos) ?.)
       (let ((c (char-before (1- pos))))
         (and c (or (memq c '(?\) ?\] ?_))
                    (memq (char-syntax c) '(?w ?_)))))))

(defun nas--in-string-or-comment-p (pos)
  (save-excursion (nth 8 (syntax-ppss pos))))   ; syntax-ppss moves point

(defun nas--words-matcher (words)
  "A font-lock matcher for WORDS that skips member names, strings and comments."
  (let ((re (concat "\\_<" (regexp-opt words t) "\\_>")))
    (lambda (limit)
      (let (found)
        (while (and (not found) (re-search-forward re limit t))
          (unless (or (nas--member-p (match-beginning 0))
                      (nas--in-string-or-comment-p (match-beginning 0)))
            (setq found t)))
        found))))

(defun nas--decision-name-matcher (limit)
  "Find `choice NAME form' before LIMIT.
NAME is followed by the form ([...], bool, lo .. hi, k of [...]), not by
`of' nor an operator: choice k of [...] has no name."
  (let (found)
    (while (and (not found)
                (re-search-forward (concat "\\_<\\(choice\\|oneof\\)[ \t]+\\(" nas--name "\\)\\_>") limit t))
      (setq found (save-match-data
                    (and (not (nas--in-string-or-comment-p (match-beginning 0)))
                         (looking-at "[ \t]*\\([[0-9]\\|[A-Za-z_]\\)")
                         (not (looking-at "[ \t]*\\(?:of\\|and\\|or\\|step\\|log\\)\\_>"))))))
    found))

(defun nas--escape-matcher (limit)
  "Find the next backslash escape inside a string before LIMIT."
  (let (found)
    (while (and (not found) (re-search-forward "\\\\.?" limit t))
      (setq found (save-excursion (nth 3 (syntax-ppss (match-beginning 0))))))
    found))

(defun nas--escape-face ()
  (if (memq (char-after (1+ (match-beginning 0))) '(?\" ?\\ ?n ?t))
      'nas-escape-face
    'font-lock-warning-face))

(defconst nas-font-lock-keywords
  `(;; declared names, before the word lists (extern block conv2d declares conv2d)
    (,(concat "\\_<\\(block\\|model\\|fn\\)[ \t]+\\(" nas--name "\\)")
     (1 font-lock-keyword-face) (2 font-lock-function-name-face))
    (,(concat "\\_<\\(dataset\\|reward\\|controller\\|search\\|train\\|proxy\\|tune\\|trainer\\)[ \t]+\\("
              nas--name "\\)[ \t]*{")
     (1 font-lock-keyword-face) (2 font-lock-type-face))
    (,(concat "\\_<\\(let\\)[ \t]+\\(" nas--name "\\)")
     (1 font-lock-keyword-face) (2 font-lock-variable-name-face))
    (nas--decision-name-matcher (1 'nas-decision-face) (2 font-lock-variable-name-face))
    ;; numbers and quantities: 2ms 64MB 90% 1_000 0.5 1e-3; an unknown suffix is an error
    (,(concat "\\_<\\([0-9]+\\(?:_[0-9]+\\)*\\(?:\\.[0-9]+\\(?:_[0-9]+\\)*\\)?\\(?:[eE][-+]?[0-9]+\\)?\\)"
              "\\(?:\\(" (regexp-opt nas-words-unit) "\\)\\(?:[^A-Za-z0-9_%]\\|$\\)"
              "\\|\\([A-Za-z_%][A-Za-z0-9_%]*\\)\\)?")
     (1 'nas-number-face) (2 'nas-unit-face nil t) (3 font-lock-warning-face nil t))
    ;; type names where a type is expected: after ':' and '->'
    (,(concat "\\(?::\\|->\\)[ \t]*\\(" (regexp-opt nas-words-typename) "\\)\\_>")
     1 font-lock-type-face)
    ("|>\\|\\.\\.\\|->" . 'nas-operator-face)
    (,(nas--words-matcher nas-words-declaration) . font-lock-keyword-face)
    (,(nas--words-matcher nas-words-control) . font-lock-keyword-face)
    (,(nas--words-matcher nas-words-decision) . 'nas-decision-face)
    (,(nas--words-matcher nas-words-clause) . font-lock-keyword-face)
    (,(nas--words-matcher nas-words-logical) . font-lock-keyword-face)
    (,(nas--words-matcher nas-words-boolean) . font-lock-constant-face)
    (,(nas--words-matcher nas-words-type) . font-lock-type-face)
    (,(nas--words-matcher nas-words-layer) . font-lock-builtin-face)
    (,(nas--words-matcher nas-words-function) . font-lock-builtin-face)
    (,(nas--words-matcher nas-words-controller) . font-lock-builtin-face)
    (nas--escape-matcher (0 (nas--escape-face) prepend))
    ;; characters the lexer rejects: a lone | or !, a % not after a number, non-ASCII
    ("\\(|\\)\\(?:[^>]\\|$\\)" 1 font-lock-warning-face)
    ("\\(!\\)\\(?:[^=]\\|$\\)" 1 font-lock-warning-face)
    ("[@#$?^&~\\\\`'%]\\|[^[:ascii:]]" . font-lock-warning-face))
  "Font-lock rules for `nas-mode'; earlier rules win over later ones.")

(defvar nas-mode-syntax-table
  (let ((st (make-syntax-table)))
    (modify-syntax-entry ?_ "_" st)
    (modify-syntax-entry ?/ ". 124b" st)
    (modify-syntax-entry ?* ". 23n" st)       ; /* */ nest
    (modify-syntax-entry ?\n "> b" st)
    (modify-syntax-entry ?\" "\"" st)
    (modify-syntax-entry ?\\ "\\" st)
    (dolist (c '(?' ?` ?+ ?- ?= ?< ?> ?| ?! ?% ?& ?$ ?# ?@ ?? ?^ ?~ ?. ?, ?: ?\;))
      (modify-syntax-entry c "." st))
    st)
  "Syntax table for `nas-mode'.")

(defun nas--syntax-propertize (start end)
  "End an unterminated string at the end of its line, as the lexer does.
Both its quote and the newline become string fences, between START and END."
  (goto-char start)
  (while (re-search-forward "\\(\"\\)\\(?:[^\"\\\\\n]\\|\\\\.\\)*\\(\n\\)" end t)
    (unless (nas--in-string-or-comment-p (match-beginning 1))
      (put-text-property (match-beginning 1) (match-end 1) 'syntax-table (string-to-syntax "|"))
      (put-text-property (match-beginning 2) (match-end 2) 'syntax-table (string-to-syntax "|")))))

(defun nas--leading-closers ()
  "Count the closing brackets that start the current line."
  (save-excursion
    (back-to-indentation)
    (let ((n 0))
      (while (memq (char-after) '(?\} ?\] ?\)))
        (setq n (1+ n))
        (forward-char 1)
        (skip-chars-forward " \t"))
      n)))

(defun nas-indent-line ()
  "Indent the current line: one `nas-indent-offset' per open bracket,
one more for a line that continues a pipeline (starts with |>).
Lines inside a block comment keep their indentation."
  (interactive)
  (let ((ppss (save-excursion (syntax-ppss (line-beginning-position)))))
    (if (nth 4 ppss)
        'noindent
      (let* ((depth (max 0 (- (car ppss) (nas--leading-closers))))
             (cont (save-excursion (back-to-indentation) (looking-at-p "|>")))
             (col (* nas-indent-offset (+ depth (if cont 1 0))))
             (offset (- (current-column) (current-indentation))))
        (indent-line-to col)
        (when (> offset 0) (forward-char offset))))))

;;;###autoload
(define-derived-mode nas-mode prog-mode "nas"
  "Major mode for editing nas files (neural architecture search)."
  :syntax-table nas-mode-syntax-table
  (setq-local comment-start "// ")
  (setq-local comment-end "")
  (setq-local comment-start-skip "\\(?://+\\|/\\*+\\)\\s *")
  (setq-local comment-use-syntax t)
  (setq-local font-lock-defaults '(nas-font-lock-keywords))
  (setq-local syntax-propertize-function #'nas--syntax-propertize)
  (setq-local indent-line-function #'nas-indent-line)
  (setq-local indent-tabs-mode nil)
  (setq-local electric-indent-chars (append "}])" electric-indent-chars)))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.nas\\'" . nas-mode))

(provide 'nas-mode)
;;; nas-mode.el ends here
