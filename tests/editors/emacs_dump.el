;;; emacs_dump.el --- dump what nas-mode does, for highlight_check.py  -*- lexical-binding: t -*-
;; Run: emacs --batch -Q -L editors/emacs -l tests/editors/emacs_dump.el DIR FILE...
;; Writes DIR/<n>.syn: '#mode', '#cms' lines, then 'line<TAB>col<TAB>faces' for every
;; character (col from 1, faces comma-separated); and DIR/<n>.indent: the buffer after
;; indent-region.  <n> is the file's index in the arguments.
(require 'nas-mode)

(defun nas-dump--faces (pos)
  (let ((f (get-text-property pos 'face)))
    (mapconcat #'symbol-name (if (listp f) f (list f)) ",")))

(defun nas-dump--write (file text)
  (with-temp-file file
    (insert text)))

(let* ((args command-line-args-left)
       (out (car args))
       (n 0))
  (setq command-line-args-left nil)
  (dolist (file (cdr args))
    (with-current-buffer (find-file-noselect file)
      (font-lock-mode 1)
      (font-lock-ensure)
      (let ((lines (list (format "#cms %s" comment-start) (format "#mode %s" major-mode))))
        (save-excursion
          (goto-char (point-min))
          (while (not (eobp))
            (let ((ln (line-number-at-pos)) (bol (line-beginning-position)))
              (while (not (eolp))
                (push (format "%d\t%d\t%s" ln (1+ (- (point) bol)) (nas-dump--faces (point))) lines)
                (forward-char 1)))
            (forward-line 1)))
        (nas-dump--write (format "%s/%d.syn" out n) (mapconcat #'identity (nreverse lines) "\n")))
      (indent-region (point-min) (point-max))
      (nas-dump--write (format "%s/%d.indent" out n) (buffer-string))
      (set-buffer-modified-p nil)
      (kill-buffer))
    (setq n (1+ n))))
