;;; emacs_lsp.el --- run by lsp_editor.py in Emacs --batch on the broken file: eglot (built in from
;;; Emacs 29, Debian's elpa-eglot on 28) starts nasls as editors/README.md sets it up, and the
;;; flymake diagnostics (line, character in the line, text) go to $NASLS_EDITOR_OUT.
(add-to-list 'load-path (expand-file-name "editors/emacs" (getenv "NASLS_ROOT")))
(require 'nas-mode)
(require 'eglot)
(add-to-list 'eglot-server-programs `(nas-mode ,(getenv "NASLS")))
(add-hook 'nas-mode-hook 'eglot-ensure)
(find-file (getenv "NASLS_EDITOR_FILE"))
(run-hooks 'post-command-hook) ; eglot-ensure connects from the first command loop
(let ((n 0))
  (while (and (< n 200) (null (flymake-diagnostics)))
    (accept-process-output nil 0.1)
    (setq n (1+ n))))
(let ((diags (flymake-diagnostics)))
  (with-temp-file (getenv "NASLS_EDITOR_OUT")
    (insert (if diags "" "timeout"))
    (dolist (d diags)
      (let ((b (flymake-diagnostic-beg d)) (buf (flymake-diagnostic-buffer d)))
        (insert (format "%d %d %s\n" (with-current-buffer buf (line-number-at-pos b))
                        (with-current-buffer buf (- b (save-excursion (goto-char b) (line-beginning-position))))
                        (flymake-diagnostic-text d)))))))
(kill-emacs 0)
