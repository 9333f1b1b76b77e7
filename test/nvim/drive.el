;; Drives the real Emacs (batch) with eglot through haconf's language server, configured by the README's
;; Emacs block (extracted to $HACONF_EMACS_CONFIG by emacs.test.ts). Records what the editor got as JSON in
;; $HACONF_EMACS_OUT; every step records its error instead of stopping the others.
(require 'json)
(package-initialize)
(require 'eglot)
(load-file (getenv "HACONF_EMACS_CONFIG"))
(defvar haconf-out (list))
(defvar haconf-errors (list))
(defvar haconf-root (getenv "HACONF_EMACS_ROOT"))
(defun haconf-put (key value) (push (cons key value) haconf-out))
(defun haconf-wait (pred secs)
  (let ((i 0))
    (while (and (not (funcall pred)) (< i (* secs 10))) (accept-process-output nil 0.1) (setq i (1+ i)))
    (or (funcall pred) (error "timed out"))))
(defmacro haconf-step (name &rest body)
  `(condition-case err (progn ,@body) (error (push (cons ,name (error-message-string err)) haconf-errors))))
(defun haconf-open (rel)
  (find-file (expand-file-name rel haconf-root))
  ;; eglot-ensure connects from post-command-hook, which batch mode never runs by itself.
  (run-hooks 'post-command-hook)
  (haconf-wait (lambda () (eglot-current-server)) 60))

(haconf-step "open"
  (haconf-open "etc/haproxy/conf.d/20-back.cfg")
  (haconf-put "mode" (symbol-name major-mode)))
(haconf-step "diagnostics"
  (haconf-wait (lambda () (flymake-diagnostics)) 60)
  (haconf-put "diagnostics"
              (vconcat (mapcar (lambda (d) (list (cons "line" (line-number-at-pos (flymake-diagnostic-beg d)))
                                                  (cons "text" (flymake-diagnostic-text d))))
                               (flymake-diagnostics)))))
(haconf-step "completion"
  (goto-char (point-min)) (forward-line 2) (insert "    \n") (forward-line -1) (end-of-line)
  (let ((capf (eglot-completion-at-point)))
    (haconf-put "completion" (vconcat (all-completions "" (nth 2 capf)))))
  (revert-buffer t t))
(haconf-step "definition"
  (haconf-open "etc/haproxy/haproxy.cfg")
  (goto-char (point-min)) (search-forward "default_backend a")
  (call-interactively #'xref-find-definitions)
  (haconf-put "definition" (list (cons "file" (buffer-file-name)) (cons "line" (line-number-at-pos)))))
(haconf-step "formatting"
  (haconf-open "messy/haproxy.cfg")
  (eglot-format-buffer)
  (haconf-put "formatted" (buffer-substring-no-properties (point-min) (point-max))))

(with-temp-file (getenv "HACONF_EMACS_OUT")
  (insert (json-encode (list (cons "steps" haconf-out) (cons "errors" haconf-errors)))))
(kill-emacs 0)
