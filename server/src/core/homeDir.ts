// os.homedir() without importing node:os: loading that module costs ~0.5 ms, paid at every start of
// `haconf check` when it was imported by modules that only need the home folder now and then.

/** The user's home folder (HOME, else the password database); may throw where there is none. */
export function homeDir(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:os') as typeof import('node:os')).homedir();
}
