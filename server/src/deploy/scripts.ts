// Every command haconf runs on a host. Each is a fixed script; values travel only as positional
// parameters ("$1", "$2", …), quoted by shQuote, so nothing from a manifest, a file or a host name is
// ever parsed as shell syntax by the remote shell. The scripts need a POSIX sh and GNU coreutils
// (stat -c, chown/chmod --reference, sha256sum), which every Debian/RHEL host has.
import { checkRemotePath, shQuote, UnsafeValueError } from './quote';

export type RemoteOp = 'read' | 'stage' | 'exec' | 'remove' | 'lock' | 'takeover' | 'unlock' | 'install' | 'restore' | 'addrs' | 'haproxy-alive';

const SCRIPTS: Record<RemoteOp, string> = {
  // $1 target. Prints a header line, then the file.
  read: `t=$1
if [ -L "$t" ]; then echo "$t is a symbolic link; point the manifest at the real file" >&2; exit 3; fi
if [ -f "$t" ]; then
  m=$(stat -c '%a %u %g' -- "$t") || exit 3
  printf 'HACONF present %s\\n' "$m"
  exec cat -- "$t"
elif [ -e "$t" ]; then echo "$t exists but is not a regular file" >&2; exit 3
else printf 'HACONF missing\\n'; fi`,

  // $1 target, $2 candidate (beside it), $3 expected sha256. The candidate is created exclusively
  // (noclobber = O_EXCL) with umask 077, so mode 0600; it is removed on any failure, and a short upload
  // (connection cut) is caught by the hash.
  stage: `t=$1 c=$2 want=$3
d=\${c%/*}
[ -d "$d" ] || { echo "directory $d does not exist on this host" >&2; exit 3; }
if [ -e "$c" ] || [ -L "$c" ]; then echo "$c already exists; refusing to reuse it" >&2; exit 3; fi
umask 077
set -C
{ : > "$c"; } 2>/dev/null || { echo "cannot create $c exclusively" >&2; exit 3; }
set +C
trap 'rm -f -- "$c"' EXIT
trap 'exit 1' HUP INT TERM PIPE
cat > "$c" || { echo "writing $c failed" >&2; exit 4; }
got=$(sha256sum -- "$c") || exit 4
got=\${got%% *}
if [ "$got" != "$want" ]; then echo "upload of $c incomplete (sha256 $got, expected $want)" >&2; exit 4; fi
trap - EXIT
exit 0`,

  // $1 a service command from the manifest (validate/reload/status) with {file} already quoted.
  exec: `cd / || exit 1
exec sh -c "$1"`,

  // $@ candidates; only names haconf creates are accepted, so this can never delete a live file.
  remove: `for c in "$@"; do
  case $c in
    */.*.haconf-new-*) rm -f -- "$c" ;;
    *) echo "refusing to remove $c: not a haconf candidate" >&2; exit 3 ;;
  esac
done`,

  // $1 lock dir, $2 owner line. Prints "acquired", or "held AGE" and the owner.
  lock: `l=$1 who=$2
if mkdir -- "$l" 2>/dev/null; then
  printf '%s\\n' "$who" > "$l/owner" || { rmdir -- "$l"; exit 3; }
  echo acquired; exit 0
fi
[ -d "$l" ] || { echo "cannot create lock $l" >&2; exit 3; }
now=$(date +%s); m=$(stat -c %Y -- "$l" 2>/dev/null || echo "$now")
printf 'held %s\\n' "$((now - m))"
cat -- "$l/owner" 2>/dev/null || echo unknown`,

  // $1 lock dir, $2 owner line seen as stale, $3 new owner line, $4 random suffix.
  takeover: `l=$1 old=$2 who=$3 g=$4
cur=$(cat -- "$l/owner" 2>/dev/null || echo unknown)
[ "$cur" = "$old" ] || { echo "the lock changed hands meanwhile" >&2; exit 3; }
mv -- "$l" "$l.stale-$g" 2>/dev/null || { echo "the lock changed hands meanwhile" >&2; exit 3; }
rm -rf -- "$l.stale-$g"
mkdir -- "$l" 2>/dev/null || { echo "another deploy took the lock meanwhile" >&2; exit 3; }
printf '%s\\n' "$who" > "$l/owner"
echo acquired`,

  // $1 lock dir, $2 run id: removes the lock only if this run holds it.
  unlock: `l=$1 id=$2
if grep -qF -- "run=$id " "$l/owner" 2>/dev/null; then rm -rf -- "$l"; else echo "lock $l is not ours; left alone" >&2; exit 3; fi`,

  // $1 target, $2 candidate, $3 backup stamp, $4 backups to keep, $5 mode for a new target.
  // Backup with cp -p (owner, mode, times), candidate takes the target's owner and mode, then one
  // rename(2) within the directory swaps it in: readers see the old file or the new one, never a mix.
  install: `t=$1 c=$2 stamp=$3 keep=$4 mode=$5
{ [ -f "$c" ] && [ ! -L "$c" ]; } || { echo "candidate $c is missing" >&2; exit 3; }
if [ -L "$t" ]; then echo "$t is a symbolic link; refusing to replace it" >&2; exit 3; fi
if [ -e "$t" ]; then
  b="$t.haconf-bak-$stamp"
  cp -p -- "$t" "$b" || { echo "backup of $t failed" >&2; exit 3; }
  { chown --reference="$t" -- "$c" && chmod --reference="$t" -- "$c"; } || { echo "cannot give $c the owner and mode of $t" >&2; exit 3; }
  res="backup $b"
else
  chmod "$mode" -- "$c" || exit 3
  res=new
fi
mv -f -- "$c" "$t" || { echo "renaming $c onto $t failed" >&2; exit 3; }
ls -1d -- "$t".haconf-bak-* 2>/dev/null | sort -r | tail -n +"$((keep + 1))" | while IFS= read -r f; do rm -f -- "$f"; done
echo "$res"`,

  // $1 target, $2 backup ('' when the target was new), $3 temporary name beside the target.
  restore: `t=$1 b=$2 tmp=$3
if [ -n "$b" ]; then
  [ -f "$b" ] || { echo "backup $b is missing" >&2; exit 3; }
  { cp -p -- "$b" "$tmp" && mv -f -- "$tmp" "$t"; } || { rm -f -- "$tmp"; echo "restoring $t from $b failed" >&2; exit 3; }
else
  rm -f -- "$t"
fi`,

  addrs: `exec ip -o addr show`,

  'haproxy-alive': `if command -v pgrep >/dev/null 2>&1; then pgrep -x haproxy >/dev/null; else pidof haproxy >/dev/null; fi || { echo "no haproxy process is running" >&2; exit 1; }`,
};

/** One remote operation: a fixed script and its arguments. What transports (real or fake) receive. */
export interface RemoteCall {
  op: RemoteOp;
  args: string[];
}

/** The exact command line sent to the host: `sh -c '<script>' haconf '<arg1>' …`. */
export function renderCall(call: RemoteCall): string {
  return ['sh', '-c', shQuote(SCRIPTS[call.op]), 'haconf', ...call.args.map(shQuote)].join(' ');
}

// A batch runs several calls in one remote session. Each step writes straight to the session's stdout and
// stderr; after it, the batch prints `\n<token> <i> <exit>\n` on stdout and `\n<token> <i>\n` on stderr,
// where the token is 32 random hex digits chosen for this batch, so step output (file content included)
// cannot fake a boundary. No temp files and no helper processes: on a 2-core lab host every process
// counts. Uploads read exactly their length from the shared stdin (`head -c` never reads past its count);
// other steps get /dev/null. The batch stops after the first failing step.
const BATCH_PRELUDE = `tok=$1; shift
step() {
  i=$1 len=$2; shift 2
  if [ "$len" = - ]; then "$@" </dev/null; else head -c "$len" | "$@"; fi
  rc=$?
  printf '\\n%s %s %s\\n' "$tok" "$i" "$rc"
  printf '\\n%s %s\\n' "$tok" "$i" >&2
  [ "$rc" -eq 0 ] || exit 0
}`;

export interface BatchCall {
  call: RemoteCall;
  /** Bytes the step reads on stdin (uploads); undefined = none. */
  stdinBytes?: number;
}

/** The command line for a batch: one `step` line per call, every value quoted by shQuote. */
export function renderBatch(steps: BatchCall[], token: string): string {
  checkHex(token);
  const lines = steps.map((s, i) => {
    const len = s.stdinBytes === undefined ? '-' : String(s.stdinBytes);
    return ['step', String(i), len, 'sh', '-c', shQuote(SCRIPTS[s.call.op]), 'haconf', ...s.call.args.map(shQuote)].join(' ');
  });
  return ['sh', '-c', shQuote(`${BATCH_PRELUDE}\n${lines.join('\n')}`), 'haconf', token].join(' ');
}

export interface BatchFrame {
  index: number;
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Splits a batch's output into its steps. Only steps whose stdout boundary arrived count; a cut
 * connection leaves the rest out. `rest` is stderr after the last boundary (ssh's own complaints).
 */
export function parseBatch(out: Buffer, err: string, token: string): { frames: BatchFrame[]; rest: string } {
  const frames: BatchFrame[] = [];
  const mark = Buffer.from(`\n${token} `);
  let at = 0;
  for (;;) {
    const m = out.indexOf(mark, at);
    if (m < 0) break;
    const nl = out.indexOf(0x0a, m + mark.length);
    if (nl < 0) break;
    const [i, code] = out.subarray(m + mark.length, nl).toString('latin1').split(' ').map(Number);
    if (i !== frames.length || !Number.isInteger(code)) break;
    frames.push({ index: i, code, stdout: out.subarray(at, m), stderr: '' });
    at = nl + 1;
  }
  let pos = 0;
  for (const f of frames) {
    const tag = `\n${token} ${f.index}\n`;
    const m = err.indexOf(tag, pos);
    if (m < 0) break;
    f.stderr = err.slice(pos, m);
    pos = m + tag.length;
  }
  return { frames, rest: err.slice(pos) };
}

export function scriptText(op: RemoteOp): string {
  return SCRIPTS[op];
}

const CANDIDATE = /\/\.[A-Za-z0-9._@+-]+\.haconf-new-[0-9a-f]+$/;
const STAMP = /^\d{8}T\d{6}Z-[0-9a-f]+$/;

export const calls = {
  read: (target: string): RemoteCall => ({ op: 'read', args: [checkRemotePath(target)] }),
  stage: (target: string, candidate: string, sha256: string): RemoteCall => ({ op: 'stage', args: [checkRemotePath(target), checkCandidate(candidate), checkHex(sha256)] }),
  exec: (command: string): RemoteCall => ({ op: 'exec', args: [command] }),
  remove: (candidates: string[]): RemoteCall => ({ op: 'remove', args: candidates.map(checkCandidate) }),
  lock: (dir: string, owner: string): RemoteCall => ({ op: 'lock', args: [checkRemotePath(dir), owner] }),
  takeover: (dir: string, old: string, owner: string, rand: string): RemoteCall => ({ op: 'takeover', args: [checkRemotePath(dir), old, owner, checkHex(rand)] }),
  unlock: (dir: string, runId: string): RemoteCall => ({ op: 'unlock', args: [checkRemotePath(dir), checkHex(runId)] }),
  install: (target: string, candidate: string, stamp: string, keep: number, mode: string): RemoteCall => {
    if (!STAMP.test(stamp)) throw new UnsafeValueError(`bad backup stamp ${stamp}`);
    if (!Number.isInteger(keep) || keep < 1) throw new UnsafeValueError(`keepBackups must be a positive integer, not ${keep}`);
    if (!/^0?[0-7]{3}$/.test(mode)) throw new UnsafeValueError(`mode must be octal like 0600, not ${JSON.stringify(mode)}`);
    return { op: 'install', args: [checkRemotePath(target), checkCandidate(candidate), stamp, String(keep), mode] };
  },
  restore: (target: string, backup: string | undefined, tmp: string): RemoteCall => ({ op: 'restore', args: [checkRemotePath(target), backup ? checkRemotePath(backup) : '', checkCandidate(tmp)] }),
  addrs: (): RemoteCall => ({ op: 'addrs', args: [] }),
  haproxyAlive: (): RemoteCall => ({ op: 'haproxy-alive', args: [] }),
};

function checkCandidate(p: string): string {
  checkRemotePath(p);
  if (!CANDIDATE.test(p)) throw new UnsafeValueError(`${p} is not a haconf candidate name`);
  return p;
}

function checkHex(s: string): string {
  if (!/^[0-9a-f]+$/.test(s)) throw new UnsafeValueError(`expected lower-case hex, got ${JSON.stringify(s)}`);
  return s;
}

/** `<dir>/.<name>.haconf-new-<hex>`: beside the target, so the final rename stays on one filesystem. */
export function candidateName(target: string, hex: string): string {
  const slash = target.lastIndexOf('/');
  return checkCandidate(`${target.slice(0, slash)}/.${target.slice(slash + 1)}.haconf-new-${checkHex(hex)}`);
}
