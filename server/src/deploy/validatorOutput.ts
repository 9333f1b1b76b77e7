// A validator that exits 0 is only proof of a good file if it actually read the file. keepalived -t, handed
// a path it cannot open, prints "Config files missing '…'." and exits 0; a wrapper script may do the same.
// Such a run must count as a failure, or a file the host would reject is reported as accepted.

/** Words tools use when they could not open a file they were given. */
const NOT_READ = /\b(no such file|cannot open|can't open|can't read|cannot read|could not open|not found|missing|does not exist|is a directory)\b/i;

/**
 * Why a validator that exited 0 did not check `candidate`, or undefined when nothing says so.
 * Signs: keepalived's own "Config files missing", or a line naming the candidate (without a
 * `file:line` position, which would mean the file was read) together with "missing", "cannot open"…
 */
export function candidateNotRead(output: string, candidate: string): string | undefined {
  const name = candidate.slice(candidate.lastIndexOf('/') + 1);
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (/Config files? missing/i.test(line)) return line;
    const at = line.indexOf(name);
    if (at < 0) continue;
    // "parsing [/etc/haproxy/.x.haconf-new-ab:12]" or "(file: Line 3)": the tool read the file; not this case.
    const after = line.slice(at + name.length);
    if (/^['"]?[:(,]\s*(line\s*)?\d/i.test(after)) continue;
    if (NOT_READ.test(line)) return line;
  }
  return undefined;
}
