// Every command haconf runs on a host. Each is a fixed script; values travel only as positional
// parameters ("$1", "$2", …), quoted by shQuote, so nothing from a manifest, a file or a host name is
// ever parsed as shell syntax by the remote shell. The scripts need a POSIX sh and GNU coreutils
// (stat -c, chown/chmod --reference, sha256sum), which every Debian/RHEL host has.
import { checkRemotePath, shQuote, UnsafeValueError } from './quote';

export type RemoteOp = 'read' | 'stage' | 'exec' | 'remove' | 'lock' | 'takeover' | 'refresh' | 'sweep' | 'unlock' | 'install' | 'restore' | 'addrs' | 'haproxy-alive' | 'versions';

// Shell functions the scripts below share (each script is sent on its own, so they are pasted in).
// owns LOCKDIR TOKEN: true when the lock's owner line carries this run's random token. The token is 128
// random bits, so only the run that wrote it can pass, whatever host name or pid another run has.
const OWNS = `owns() { grep -qF -- " token=$2 " "$1/owner" 2>/dev/null; }`;
// nolink TARGET: fails when a directory on the way to TARGET is a symbolic link (or the directory does not
// exist), so no step writes through a link someone put in place of /etc/haproxy or the like.
const NOLINK = `nolink() {
  nd=\${1%/*}; [ -n "$nd" ] || nd=/
  nr=$(cd -P -- "$nd" 2>/dev/null && pwd -P) || { echo "directory $nd does not exist on this host" >&2; return 3; }
  [ "$nr" = "$nd" ] || { echo "$nd leads through a symbolic link to $nr; haconf does not write through links: point the manifest at $nr/\${1##*/}" >&2; return 3; }
}`;
// beat LOCKDIR: records the host's boot id and seconds since boot (CLOCK_BOOTTIME, which no clock change
// moves) as the lock holder's last sign of life; written aside then renamed, so readers see whole lines.
const BEAT = `beat() {
  read -r bu _ < /proc/uptime && read -r bb < /proc/sys/kernel/random/boot_id || return 1
  printf '%s %s\\n' "$bb" "\${bu%%.*}" > "$1/beat.new" && mv -T -f -- "$1/beat.new" "$1/beat"
}`;

const SCRIPTS: Record<RemoteOp, string> = {
  // $1 target. Prints a header line, then the file.
  read: `t=$1
${NOLINK}
if [ -d "\${t%/*}/" ]; then nolink "$t" || exit 3; fi
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
${NOLINK}
d=\${c%/*}
[ -d "$d" ] || { echo "directory $d does not exist on this host" >&2; exit 3; }
nolink "$t" || exit 3
if [ -e "$c" ] || [ -L "$c" ]; then echo "$c already exists; refusing to reuse it" >&2; exit 3; fi
umask 077
set -C
{ : > "$c"; } 2>/dev/null || { echo "cannot create $c exclusively" >&2; exit 3; }
set +C
trap 'rm -f -- "$c"' EXIT
trap 'exit 1' HUP INT TERM PIPE
cat > "$c" || { echo "writing $c failed (is the disk full?); it was removed" >&2; exit 4; }
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

  // $1 lock dir, $2 owner line. Prints "acquired", or "held AGE HOW" and the owner line. AGE is the time
  // since the holder's last sign of life (its heartbeat) by this host's own boot-time clock (HOW=beat), or,
  // for a lock without a heartbeat (an older haconf, or one that died between mkdir and writing it), by the
  // host's wall clock from the lock's mtime (HOW=mtime). After a reboot of this host the heartbeat's boot
  // id differs and AGE is the time since boot: the holder would have refreshed the lock since.
  lock: `l=$1 who=$2
${BEAT}
if mkdir -- "$l" 2>/dev/null; then
  printf '%s\\n' "$who" > "$l/owner" || { rm -rf -- "$l"; echo "cannot write the lock $l" >&2; exit 3; }
  beat "$l" 2>/dev/null # no /proc/uptime (not Linux): the lock is judged by its mtime instead
  echo acquired; exit 0
fi
[ -d "$l" ] && [ ! -L "$l" ] || { echo "cannot create lock $l" >&2; exit 3; }
how=mtime
if read -r hb hu < "$l/beat" 2>/dev/null && read -r nu _ < /proc/uptime && read -r nb < /proc/sys/kernel/random/boot_id; then
  nu=\${nu%%.*}; how=beat
  case $hu in ''|*[!0-9]*) how=mtime ;; esac
  if [ "$how" = beat ]; then if [ "$hb" = "$nb" ]; then age=$((nu - hu)); else age=$nu; fi; fi
fi
if [ "$how" = mtime ]; then now=$(date +%s); m=$(stat -c %Y -- "$l" 2>/dev/null || echo "$now"); age=$((now - m)); fi
printf 'held %s %s\\n' "$age" "$how"
cat -- "$l/owner" 2>/dev/null || echo unknown`,

  // $1 lock dir, $2 owner line seen as stale, $3 new owner line, $4 random suffix. The old lock is renamed
  // away (mv -T: rename(2), never into a directory) only if its owner is still the one judged stale.
  takeover: `l=$1 old=$2 who=$3 g=$4
${BEAT}
cur=$(cat -- "$l/owner" 2>/dev/null || echo unknown)
[ "$cur" = "$old" ] || { echo "the lock changed hands meanwhile" >&2; exit 3; }
mv -T -- "$l" "$l.stale-$g" 2>/dev/null || { echo "the lock changed hands meanwhile" >&2; exit 3; }
rm -rf -- "$l.stale-$g"
mkdir -- "$l" 2>/dev/null || { echo "another deploy took the lock meanwhile" >&2; exit 3; }
printf '%s\\n' "$who" > "$l/owner" || { rm -rf -- "$l"; echo "cannot write the lock $l" >&2; exit 3; }
beat "$l" 2>/dev/null
echo acquired`,

  // $1 lock dir, $2 token: the heartbeat of a live run. Fails (exit 5) when the lock is no longer ours.
  refresh: `l=$1 tok=$2
${OWNS}
${BEAT}
owns "$l" "$tok" || { echo "the deploy lock $l on this host is no longer held by this run" >&2; exit 5; }
beat "$l" || { echo "cannot refresh the lock $l" >&2; exit 3; }`,

  // $1 lock dir, $2 token, $3… targets. Under our lock only: removes candidates (.<name>.haconf-new-<hex>)
  // that runs killed before their cleanup left beside these targets; prints each removed path. No other
  // run can be using them: a run needs this lock to stage, and re-checks it before every swap.
  sweep: `l=$1 tok=$2; shift 2
${OWNS}
${NOLINK}
owns "$l" "$tok" || exit 0
for t in "$@"; do
  nolink "$t" 2>/dev/null || continue
  n=\${t##*/}
  for c in "\${t%/*}/.$n".haconf-new-*; do
    [ -f "$c" ] || [ -L "$c" ] || continue
    case \${c##*/} in ".$n".haconf-new-*[!0-9a-f]*|".$n".haconf-new-) continue ;; esac
    rm -f -- "$c" && printf '%s\\n' "$c"
  done
done
exit 0`,

  // $1 lock dir, $2 token: removes the lock only if this run holds it.
  unlock: `l=$1 tok=$2
${OWNS}
if owns "$l" "$tok"; then rm -rf -- "$l"; else echo "lock $l is not ours; left alone" >&2; exit 3; fi`,

  // $1 target, $2 candidate, $3 backup stamp, $4 backups to keep, $5 mode for a new target, $6 lock dir,
  // $7 this run's lock token. Checks first that this run still holds the host's lock (a run that lost it
  // swaps nothing, exit 5). Backup with cp -p (owner, mode, times), checked to be whole: on a full disk
  // the partial backup is removed and nothing is replaced. The candidate takes the target's owner and
  // mode, then one rename(2) (mv -T: never into a directory) swaps it in: readers see the old file or the
  // new one, never a mix. Pruning keeps this run's backup whatever the other backups' names say (a
  // machine with its clock ahead stamps names in the future), then the newest others by their ctime on
  // this host, up to `keep` in all.
  install: `t=$1 c=$2 stamp=$3 keep=$4 mode=$5 l=$6 tok=$7
${OWNS}
${NOLINK}
owns "$l" "$tok" || { echo "this run no longer holds the deploy lock $l on this host (another run took it over); $t was not replaced" >&2; exit 5; }
nolink "$t" || exit 3
{ [ -f "$c" ] && [ ! -L "$c" ]; } || { echo "candidate $c is missing" >&2; exit 3; }
if [ -L "$t" ]; then echo "$t is a symbolic link; refusing to replace it" >&2; exit 3; fi
b=
if [ -e "$t" ]; then
  [ -f "$t" ] || { echo "$t is no longer a regular file; refusing to replace it" >&2; exit 3; }
  b="$t.haconf-bak-$stamp"
  if ! cp -p -- "$t" "$b" || [ "$(stat -c %s -- "$t")" != "$(stat -c %s -- "$b" 2>/dev/null)" ]; then
    rm -f -- "$b"
    echo "backup of $t to $b failed (is the disk full?); the partial backup was removed and $t was not replaced" >&2; exit 3
  fi
  { chown --reference="$t" -- "$c" && chmod --reference="$t" -- "$c"; } || { rm -f -- "$b"; echo "cannot give $c the owner and mode of $t" >&2; exit 3; }
  res="backup $b"
else
  chmod "$mode" -- "$c" || exit 3
  res=new
fi
mv -T -f -- "$c" "$t" || { [ -z "$b" ] || rm -f -- "$b"; echo "renaming $c onto $t failed; $t was not replaced" >&2; exit 3; }
n=0; [ -z "$b" ] || n=1
ls -1dtc -- "$t".haconf-bak-* 2>/dev/null | while IFS= read -r f; do
  [ "$f" != "$b" ] || continue
  case $f in "$t".haconf-bak-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z-*) ;; *) continue ;; esac
  n=$((n + 1)); [ "$n" -le "$keep" ] || rm -f -- "$f"
done
echo "$res"`,

  // $1 target, $2 backup ('' when the target was new), $3 temporary name beside the target, $4 lock dir,
  // $5 this run's lock token. Refuses (exit 5) when another run holds the lock now: putting the old file
  // back under it would undo that run's work. A copy of the backup is renamed over the target; when the
  // copy cannot be made (full disk), the backup itself is renamed over it (no space needed).
  restore: `t=$1 b=$2 tmp=$3 l=$4 tok=$5
${OWNS}
${NOLINK}
owns "$l" "$tok" || { echo "this run no longer holds the deploy lock $l on this host (another run took it over); $t was left as it is" >&2; exit 5; }
nolink "$t" || exit 3
if [ -n "$b" ]; then
  { [ -f "$b" ] && [ ! -L "$b" ]; } || { echo "backup $b is missing" >&2; exit 3; }
  if cp -p -- "$b" "$tmp" 2>/dev/null && [ "$(stat -c %s -- "$b")" = "$(stat -c %s -- "$tmp")" ]; then
    mv -T -f -- "$tmp" "$t" || { rm -f -- "$tmp"; echo "restoring $t from $b failed" >&2; exit 3; }
  else
    rm -f -- "$tmp"
    mv -T -f -- "$b" "$t" || { echo "restoring $t from $b failed" >&2; exit 3; }
    echo "no space for a copy of $b: the backup itself was renamed over $t"
  fi
else
  [ ! -d "$t" ] || { echo "$t is a directory now; left alone" >&2; exit 3; }
  rm -f -- "$t"
fi`,

  addrs: `exec ip -o addr show`,

  // No arguments. One line per daemon: `HACONF <name> <first line of its -v>`, or `HACONF <name> -` when it
  // is not installed. sbin is added because a non-root login's PATH often lacks it. `-v` only prints; the
  // daemons are never started (and stdin is /dev/null, so none can wait for input).
  versions: `PATH=$PATH:/usr/sbin:/sbin:/usr/local/sbin
for d in haproxy keepalived corosync; do
  if command -v "$d" >/dev/null 2>&1; then
    v=$("$d" -v 2>&1 </dev/null | head -n 1)
    printf 'HACONF %s %s\\n' "$d" "\${v:-?}"
  else printf 'HACONF %s -\\n' "$d"; fi
done`,

  'haproxy-alive': `if command -v pgrep >/dev/null 2>&1; then pgrep -x haproxy >/dev/null; else pidof haproxy >/dev/null; fi || { echo "no haproxy process is running" >&2; exit 1; }`,
};

/** A host's lock directory and the random token of the run that must hold it for a step to act. */
export interface LockGuard {
  dir: string;
  token: string;
}

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
    const [i, code] = out
      .subarray(m + mark.length, nl)
      .toString('latin1')
      .split(' ')
      .map(Number);
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
  refresh: (lock: LockGuard): RemoteCall => ({ op: 'refresh', args: [checkRemotePath(lock.dir), checkHex(lock.token)] }),
  sweep: (lock: LockGuard, targets: string[]): RemoteCall => ({ op: 'sweep', args: [checkRemotePath(lock.dir), checkHex(lock.token), ...targets.map(checkRemotePath)] }),
  unlock: (lock: LockGuard): RemoteCall => ({ op: 'unlock', args: [checkRemotePath(lock.dir), checkHex(lock.token)] }),
  install: (target: string, candidate: string, stamp: string, keep: number, mode: string, lock: LockGuard): RemoteCall => {
    if (!STAMP.test(stamp)) throw new UnsafeValueError(`bad backup stamp ${stamp}`);
    if (!Number.isInteger(keep) || keep < 1) throw new UnsafeValueError(`keepBackups must be a positive integer, not ${keep}`);
    if (!/^0?[0-7]{3}$/.test(mode)) throw new UnsafeValueError(`mode must be octal like 0600, not ${JSON.stringify(mode)}`);
    return { op: 'install', args: [checkRemotePath(target), checkCandidate(candidate), stamp, String(keep), mode, checkRemotePath(lock.dir), checkHex(lock.token)] };
  },
  restore: (target: string, backup: string | undefined, tmp: string, lock: LockGuard): RemoteCall => ({
    op: 'restore',
    args: [checkRemotePath(target), backup ? checkRemotePath(backup) : '', checkCandidate(tmp), checkRemotePath(lock.dir), checkHex(lock.token)],
  }),
  addrs: (): RemoteCall => ({ op: 'addrs', args: [] }),
  haproxyAlive: (): RemoteCall => ({ op: 'haproxy-alive', args: [] }),
  versions: (): RemoteCall => ({ op: 'versions', args: [] }),
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
