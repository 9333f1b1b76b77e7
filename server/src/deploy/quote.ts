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
 * Puts the quoted candidate path where a service command says `{file}`. The command itself is shell the
 * manifest author wrote on purpose (like a Makefile recipe); only the path is ours to protect.
 */
export function fillFileToken(template: string, candidate: string): string {
  return template.split('{file}').join(shQuote(checkRemotePath(candidate)));
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
