// Which TCP port does a health-check command probe? Recognises the idioms seen in real keepalived
// configs: ss/netstat greps (`:9443`), nc/ncat/telnet HOST PORT, curl/wget URLs, bash /dev/tcp/HOST/PORT,
// and check scripts given a bare port argument (`check_haproxy.sh 8443`).
export function probedPorts(command: string): number[] {
  const ports = new Set<number>();
  const add = (s: string | undefined) => {
    const n = Number(s);
    if (Number.isInteger(n) && n > 0 && n < 65536) ports.add(n);
  };
  let m: RegExpExecArray | null;
  const devtcp = /\/dev\/tcp\/[^/\s]+\/(\d+)/g;
  while ((m = devtcp.exec(command))) add(m[1]);
  const url = /\b(?:https?|tcp):\/\/(?:\[[^\]]+\]|[^/:\s'"]+):(\d+)/g;
  while ((m = url.exec(command))) add(m[1]);
  if (/\b(ss|netstat|lsof)\b/.test(command)) {
    const colon = /:(\d{2,5})\b/g;
    while ((m = colon.exec(command))) add(m[1]);
  }
  const nc = /\b(?:nc|ncat|netcat|telnet)\b(?:\s+-[a-zA-Z0-9]+)*\s+(?:\S+)\s+(\d{1,5})\b/g;
  while ((m = nc.exec(command))) add(m[1]);
  if (ports.size === 0 && /check[_-]?\w*/i.test(command)) {
    for (const w of command.split(/\s+/).slice(1)) if (/^\d{2,5}$/.test(w)) add(w);
  }
  return [...ports];
}
