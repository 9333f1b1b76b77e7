// Which TCP port does a health-check command probe? Recognises the idioms seen in real keepalived
// configs: ss/netstat/lsof output filtered by `:9443` or by a bare `grep 9443` (seed 003 writes
// `netstat -nlp | grep 9443`), nc/ncat/telnet HOST PORT (also with `-w 2`-style option values), curl/wget
// URLs (an explicit port, or 80/443 implied for a local host), bash /dev/tcp/HOST/PORT, and check scripts
// given a bare port argument (`check_haproxy.sh 8443`).
// Deliberately not ports: `pidof`, `pgrep`, `killall -0` and `systemctl is-active` check that a process or
// unit exists; they probe no port, so there is nothing to compare with the binds (docs/rules.md).
export function probedPorts(command: string): number[] {
  const ports = new Set<number>();
  const add = (s: string | undefined) => {
    const n = Number(s);
    if (Number.isInteger(n) && n > 0 && n < 65536) ports.add(n);
  };
  let m: RegExpExecArray | null;
  const devtcp = /\/dev\/tcp\/[^/\s]+\/(\d+)/g;
  while ((m = devtcp.exec(command))) add(m[1]);
  const url = /\b(https?|tcp):\/\/(\[[^\]]+\]|[^/:\s'"]+)(?::(\d+))?/g;
  while ((m = url.exec(command))) {
    if (m[3]) add(m[3]);
    // Without a port, curl uses the scheme's; only a local host is the haproxy of this node.
    else if (m[1] !== 'tcp' && /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(m[2])) add(m[1] === 'https' ? '443' : '80');
  }
  if (/\b(ss|netstat|lsof)\b/.test(command)) {
    const colon = /:(\d{2,5})\b/g;
    while ((m = colon.exec(command))) add(m[1]);
    // `netstat -nlp | grep 9443`: the grepped number is the port the author means (a PID is never written).
    const grep = /\|\s*(?:\S*\/)?grep(?:\s+-[a-zA-Z]+)*\s+['"]?(\d{2,5})['"]?(?=[\s'")|;]|$)/g;
    while ((m = grep.exec(command))) add(m[1]);
  }
  const nc = /\b(?:nc|ncat|netcat|telnet)\b(?:\s+-[a-zA-Z]*[wqi]\s+\d+|\s+-[a-zA-Z0-9]+)*\s+(?:\S+)\s+(\d{1,5})\b/g;
  while ((m = nc.exec(command))) add(m[1]);
  if (ports.size === 0 && /check[_-]?\w*/i.test(command)) {
    for (const w of command.split(/\s+/).slice(1)) if (/^\d{2,5}$/.test(w)) add(w);
  }
  return [...ports];
}
