// One clear sentence for a host ssh could not reach, instead of ssh's own multi-line output: what failed
// and what to check. Secrets never appear here (ssh's connection errors carry none; the caller scrubs the
// raw text anyway before it gets here).

/** ssh's connection errors → what they mean and what to check. First match wins. */
const REASONS: [RegExp, string][] = [
  [/Could not resolve hostname|Name or service not known|nodename nor servname/i, 'its name does not resolve; check the address in haconf.yaml'],
  [/Connection refused/i, 'the connection was refused; check that sshd runs and listens on the port in haconf.yaml'],
  [/timed out/i, 'the connection timed out; check that the host is up and the address in haconf.yaml is right'],
  [/No route to host|Network is unreachable/i, 'there is no route to it; check the address in haconf.yaml and the network'],
  [/Permission denied/i, 'it refused the login; check the user and key in haconf.yaml (ssh-add, ~/.ssh/config)'],
  [/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i, 'its host key is unknown or changed; check ~/.ssh/known_hosts (ssh to it once by hand)'],
  [/Connection (closed|reset)|kex_exchange_identification|Broken pipe/i, 'it closed the connection; check sshd on it (MaxStartups, AllowUsers)'],
];

/** `cannot reach lb3 over ssh: there is no route to it; check …` — one line, whatever ssh printed. */
export function unreachableSentence(host: string, sshOutput: string): string {
  const hit = REASONS.find(([re]) => re.test(sshOutput));
  if (hit) return `cannot reach ${host} over ssh: ${hit[1]}`;
  const first = sshOutput
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  return `cannot reach ${host} over ssh${first ? ` (${first.replace(/^ssh:\s*/, '')})` : ''}; check that it is up and reachable with the settings in haconf.yaml`;
}
