// The single place where values become remote shell text. Every value is POSIX-single-quoted, so it
// reaches the remote program as one argument whatever it contains; remote paths are additionally held to
// the manifest's allow-list, so a path that slipped past the manifest check still never reaches a host.
import { unsafeTargetReason } from '../manifest/paths';

export class UnsafeValueError extends Error {}

/** Wraps `s` in single quotes; a quote inside becomes '\'' (close, escaped quote, reopen). */
export function shQuote(s: string): string {
  if (s.includes('\0')) throw new UnsafeValueError('a NUL byte cannot be passed to a remote command');
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Throws unless `p` is an absolute, normalised path made only of allow-listed characters. */
export function checkRemotePath(p: string): string {
  const why = unsafeTargetReason(p);
  if (why) throw new UnsafeValueError(`remote path ${JSON.stringify(p)} ${why}`);
  return p;
}

/**
 * Puts the candidate path where a service command says `{file}`. The command itself is shell the manifest
 * author wrote on purpose (like a Makefile recipe); only the path is ours to protect.
 *
 * Authors write `{file}`, `"{file}"` or `'{file}'`; all three must give the tool exactly the path. Pasting a
 * quoted path inside the author's own quotes would hand the tool the quote characters as part of the name
 * (keepalived then says "Config files missing" and exits 0, so a rejected file passed as accepted). So the
 * command is scanned with the shell's quoting rules: outside quotes the path is single-quoted; inside
 * `'…'` or `"…"` it goes in bare, which is safe because the allow-list admits no character that is special
 * there (no quotes, `$`, backquote, backslash, whitespace or glob characters).
 */
export function fillFileToken(template: string, candidate: string): string {
  const bare = checkRemotePath(candidate);
  const quoted = shQuote(bare);
  return replaceFileToken(template, (state) => (state === 'plain' ? quoted : bare));
}

/**
 * Replaces every `{file}` in a service command, telling `replace` the shell quoting state at that spot
 * (outside quotes, inside '…', inside "…"), so callers can insert whatever is safe there (a quoted path
 * here; `"$1"` for the Ansible export, which passes the candidate as an argument).
 */
export function replaceFileToken(template: string, replace: (state: 'plain' | 'single' | 'double') => string): string {
  let out = '';
  let state: 'plain' | 'single' | 'double' = 'plain';
  for (let i = 0; i < template.length; i++) {
    if (template.startsWith('{file}', i)) {
      out += replace(state);
      i += '{file}'.length - 1;
      continue;
    }
    const c = template[i];
    out += c;
    if (state === 'single') {
      if (c === "'") state = 'plain';
    } else if (c === '\\' && i + 1 < template.length && !template.startsWith('{file}', i + 1)) {
      // A backslash keeps the next character literal (outside quotes always, inside "…" for \ " $ ` and newline;
      // copying the pair unchanged is right in both cases because the path never follows a backslash here).
      out += template[++i];
    } else if (state === 'double') {
      if (c === '"') state = 'plain';
    } else if (c === "'") state = 'single';
    else if (c === '"') state = 'double';
  }
  return out;
}

/**
 * ssh destination and user names go on the local ssh command line. They must not look like options
 * (`-oProxyCommand=…`) and stay within the characters host names and user names use.
 */
export function checkSshWord(what: 'host' | 'user', s: string): string {
  const re = what === 'host' ? /^[A-Za-z0-9_.:%[\]-]+$/ : /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;
  if (!s || s.startsWith('-') || !re.test(s)) throw new UnsafeValueError(`ssh ${what} ${JSON.stringify(s)} is not a plain ${what} name`);
  return s;
}

/** Local files handed to ssh as option values: no whitespace, quotes or control characters (ssh splits on them). */
export function checkSshPath(what: string, s: string): string {
  if (!s || /[\s"'\\\u0000-\u001f]/.test(s) || s.startsWith('-')) throw new UnsafeValueError(`ssh ${what} ${JSON.stringify(s)} must be a plain path without spaces or quotes`);
  return s;
}
