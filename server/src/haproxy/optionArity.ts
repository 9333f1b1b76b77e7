// How many argument words each bind / server option consumes in HAProxy 2.6 (the `skip` count each option
// registers in the upstream sources). Used only to step over option arguments; whether an option exists
// and in which version comes from keywords.ts.

const BIND = `
accept-netscaler-cip:1 accept-proxy:0 allow-0rtt:0 alpn:1 backlog:1 ca-file:1 ca-ignore-err:1 ca-sign-file:1
ca-sign-pass:1 ca-verify-file:1 ciphers:1 ciphersuites:1 crl-file:1 crt:1 crt-ignore-err:1 crt-list:1
curves:1 defer-accept:0 ecdhe:1 expose-fd:1 force-sslv3:0 force-tlsv10:0 force-tlsv11:0 force-tlsv12:0
force-tlsv13:0 generate-certificates:0 gid:1 group:1 id:1 interface:1 level:1 maxconn:1 mode:1 mss:1 name:1
namespace:1 nice:1 no-ca-names:0 no-sslv3:0 no-tls-tickets:0 no-tlsv10:0 no-tlsv11:0 no-tlsv12:0 no-tlsv13:0
npn:1 prefer-client-ciphers:0 process:1 proto:1 quic-force-retry:0 severity-output:1 shards:1 ssl:0
ssl-max-ver:1 ssl-min-ver:1 strict-sni:0 tcp-ut:1 tfo:0 thread:1 tls-ticket-keys:1 transparent:0 uid:1 user:1
v4v6:0 v6only:0 verify:1
`;

const SERVER = `
addr:1 agent-addr:1 agent-check:0 agent-inter:1 agent-port:1 agent-send:1 allow-0rtt:0 alpn:1 backup:0
ca-file:1 check:0 check-alpn:1 check-proto:1 check-send-proxy:0 check-sni:1 check-ssl:0 check-via-socks4:0
ciphers:1 ciphersuites:1 cookie:1 crl-file:1 crt:1 disabled:0 downinter:1 enabled:0 error-limit:1 fall:1
fastinter:1 force-sslv3:0 force-tlsv10:0 force-tlsv11:0 force-tlsv12:0 force-tlsv13:0 id:1 init-addr:1
inter:1 log-proto:1 max-reuse:1 maxconn:1 maxqueue:1 minconn:1 namespace:1 no-agent-check:0 no-backup:0
no-check:0 no-check-send-proxy:0 no-check-ssl:0 no-send-proxy:0 no-send-proxy-v2:0 no-send-proxy-v2-ssl:0
no-send-proxy-v2-ssl-cn:0 no-ssl:0 no-ssl-reuse:0 no-sslv3:0 no-tfo:0 no-tls-tickets:0 no-tlsv10:0
no-tlsv11:0 no-tlsv12:0 no-tlsv13:0 non-stick:0 npn:1 observe:1 on-error:1 on-marked-down:1 on-marked-up:1
pool-low-conn:1 pool-max-conn:1 pool-purge-delay:1 port:1 proto:1 proxy-v2-options:1 redir:1 resolve-net:1
resolve-opts:1 resolve-prefer:1 resolvers:1 rise:1 send-proxy:0 send-proxy-v2:0 send-proxy-v2-ssl:0
send-proxy-v2-ssl-cn:0 slowstart:1 sni:1 socks4:1 srv_id:0 srv_name:0 srv_queue:0 ssl:0 ssl-max-ver:1
ssl-min-ver:1 ssl-reuse:0 stick:0 tcp-ut:1 tfo:0 tls-tickets:0 track:1 usesrc:0 verify:1 verifyhost:1
weight:1 ws:1
`;

function table(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const item of s.split(/\s+/)) {
    const c = item.lastIndexOf(':');
    if (c > 0) m.set(item.slice(0, c), Number(item.slice(c + 1)));
  }
  return m;
}

let tables: { bind: Map<string, number>; server: Map<string, number> } | undefined;

/** Argument words after `option`; undefined for options HAProxy 2.6 did not register. */
export function optionArity(kind: 'bind' | 'server', option: string): number | undefined {
  tables ??= { bind: table(BIND), server: table(SERVER) };
  return tables[kind].get(option);
}
