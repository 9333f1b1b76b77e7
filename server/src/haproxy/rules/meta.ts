// The metadata of the haproxy/* codes the rules in haproxy/rules/ report (docs/rules.md is generated from
// it, in this order). Each rule object points at its entry (`META['haproxy/…']`). A new rule may equally
// carry its RuleMeta inline: codes not listed here follow in run order (core/rule.ts).
import type { RuleMeta } from '../../core/types';

const list = [
  {
    code: 'haproxy/syntax',
    defaultSeverity: 'error',
    summary: 'A line HAProxy cannot split into words, or a broken .if/.endif structure.',
    rationale: 'HAProxy refuses to load a file with an unterminated quote, a bad escape, more than 64 words on a line or an unclosed conditional block, so a reload would fail.',
    example: 'acl bad hdr(host) -i "example.com',
  },
  {
    code: 'haproxy/unknown-keyword',
    defaultSeverity: 'error',
    summary: 'A keyword or bind/server option the target HAProxy version does not know.',
    rationale: 'An unknown keyword is a fatal configuration error; it is usually a typo, an option written on its own line, or a keyword from a newer release.',
    example: 'backend app\n    balanse roundrobin',
    fix: 'Replaces the word with the closest known keyword.',
  },
  {
    code: 'haproxy/wrong-section',
    defaultSeverity: 'error',
    summary: 'A keyword used in a section where it does not belong.',
    rationale: 'HAProxy rejects most keywords outside their sections; a few (cookie, balance in a frontend) are only ignored with a warning, which silently loses the setting.',
    example: 'frontend www\n    balance roundrobin',
    variants: {
      ignored: { severity: 'warning', when: 'HAProxy only ignores the keyword in that section with a warning (the keyword schema lists the section in its warnSections)' },
    },
  },
  {
    code: 'haproxy/removed-keyword',
    defaultSeverity: 'error',
    summary: 'A keyword removed in or before the target version, including the old `listen name addr:port` form.',
    rationale: 'Configs copied from HAProxy 1.x tutorials still use reqadd, contimeout or nbproc; current versions refuse to start with them.',
    example: 'defaults\n    contimeout 5000',
    fix: "Rewrites what has one exact replacement in the target version: renames (contimeout/clitimeout/srvtimeout → timeout connect/client/server, redispatch → option redispatch, option forceclose → option httpclose, transparent → option transparent, tune.chksize → tune.bufsize), deletes option http-use-htx (HTX is the only engine from 2.1), turns the 1.x filters into http-request/http-response actions (reqadd/rspadd → add-header, reqdel/reqidel/rspdel/rspidel '^Name:' → del-header, reqrep/rsprep '^Name:\\ regex' → replace-header, block → http-request deny) when the rewritten line runs in the same order as before, and moves listener addresses to a bind line. No rewrite, and the message says why, for reqirep/rspirep (no case-insensitive replace-header), reqallow/reqdeny/reqtarpit/reqpass and their i/rsp forms (they match raw header lines), regexes on the request line (replace-uri/replace-path see only the URI), values with a backslash, lines whose order among the http-request rules would change, and keywords whose named replacement is not a drop-in one (nbproc, bind-process, process, grace, monitor-net, option http_proxy).",
    fixAll: true,
  },
  {
    code: 'haproxy/deprecated-keyword',
    defaultSeverity: 'warning',
    summary: 'A keyword still accepted but scheduled for removal.',
    rationale: 'Deprecated keywords break on a future upgrade; replacing them now keeps the upgrade uneventful.',
    example: 'global\n    nbproc 2   # with target version 2.4',
    fix: 'The same exact rewrites as haproxy/removed-keyword, offered from the version that deprecates the keyword (tune.ssl.capture-cipherlist-size → tune.ssl.capture-buffer-size, reqadd at 2.0, …).',
    fixAll: true,
  },
  {
    code: 'haproxy/invalid-argument',
    defaultSeverity: 'error',
    summary: 'A value HAProxy would reject or that can never work: port, number, time unit, enum value, address.',
    rationale: 'Some bad values stop HAProxy (bind :70000), others pass `haproxy -c` yet break at run time (check port 70000, maxconn abc).',
    example: 'backend app\n    server s1 10.0.0.1:80 check port 70000',
  },
  {
    code: 'haproxy/undefined-reference',
    defaultSeverity: 'error',
    summary:
      'use_backend, default_backend, track, http_auth() or `from` naming something that is not defined (in a split configuration any file of the set counts; `from` only a defaults section read before).',
    rationale: 'HAProxy refuses to start when a static backend reference is dangling; a typo in a name is otherwise easy to miss.',
    example: 'frontend www\n    default_backend ap\nbackend app\n    server s1 10.0.0.1:80',
  },
  {
    code: 'haproxy/duplicate-name',
    defaultSeverity: 'error',
    summary: 'Two proxies of the same kind, or two servers of one backend, with the same name.',
    rationale: 'Names identify proxies and servers in logs, stats and the runtime API; HAProxy rejects duplicates. A frontend and a backend may share a name; a listen section counts as both.',
    example: 'backend app\n    server s1 10.0.0.1:80\n    server s1 10.0.0.2:80',
    variants: {
      'frontend-backend-pre-3.3': { severity: 'warning', when: 'a frontend and a backend share a name at 3.1 or 3.2: HAProxy warns, and refuses it from 3.3' },
    },
  },
  {
    code: 'haproxy/missing-check-port',
    defaultSeverity: 'error',
    summary: 'A health-checked server with no port in its address and no `port` option.',
    rationale: 'Without a port the health check has nowhere to connect; HAProxy refuses the server.',
    example: 'backend app\n    server s1 10.0.0.1 check',
  },
  {
    code: 'haproxy/mode-mismatch',
    defaultSeverity: 'warning',
    summary: 'HTTP-only directives in a proxy running in TCP mode (directly or through its defaults), unless the frontend upgrades to HTTP (`switch-mode http`, or from 3.0 a mode http backend).',
    rationale: 'HAProxy ignores HTTP rules in TCP mode, so headers are not added, logs lack HTTP fields and stickiness by cookie does nothing.',
    example: 'defaults\n    mode tcp\nfrontend www\n    bind :80\n    option forwardfor',
  },
  {
    code: 'haproxy/missing-timeout',
    defaultSeverity: 'warning',
    summary: 'A proxy without client, connect or server timeouts, counting the defaults it inherits (through `from` chains too).',
    rationale: 'Without timeouts, dead or slow peers hold connections forever and the proxy eventually runs out of them.',
    example: 'frontend www\n    bind :80\n    default_backend app',
  },
  {
    code: 'haproxy/duplicate-cookie',
    defaultSeverity: 'warning',
    summary: 'Two servers of one backend with the same `cookie` value.',
    rationale: 'Cookie persistence maps a value to one server; a shared value sends sticky clients to whichever server comes first.',
    example: 'backend app\n    cookie SRV insert\n    server a 10.0.0.1:80 cookie s1\n    server b 10.0.0.2:80 cookie s1',
    fix: 'Gives the server a value no other server of the backend uses: its name (or the name with a number when taken). Sticky clients of that server return to the balancing once.',
    fixAll: true,
  },
  {
    code: 'haproxy/weak-credentials',
    defaultSeverity: 'warning',
    summary: 'Default or trivial passwords in `stats auth` or a userlist, and clear-text `insecure-password`.',
    rationale: 'Stats pages and userlists guard admin actions and backends; well-known passwords are the first ones tried.',
    example: 'listen stats\n    stats auth admin:admin',
  },
  {
    code: 'haproxy/admin-socket-exposed',
    defaultSeverity: 'warning',
    summary: 'An admin-level stats socket listening on a non-loopback TCP address.',
    rationale: 'The admin socket can disable servers, change weights and read internals without authentication.',
    example: 'global\n    stats socket ipv4@0.0.0.0:9999 level admin',
    fix: 'Binds the socket to the loopback address of its family, prefix and port kept (127.0.0.1:9999, ::1:9999); a second fix, not in Fix all, uses the unix socket /var/run/haproxy-admin.sock instead.',
    fixAll: true,
  },
  {
    code: 'haproxy/missing-final-newline',
    defaultSeverity: 'error',
    summary: 'The file does not end with a newline.',
    rationale: 'HAProxy 2.6 treats a missing final newline as a truncated file and refuses to start.',
    example: 'backend app\n    server s1 10.0.0.1:80⏎(no newline at end)',
    fix: 'Appends the newline.',
    fixAll: true,
  },
  {
    code: 'haproxy/unknown-fetch',
    defaultSeverity: 'error',
    summary: 'A sample fetch the target HAProxy version does not have, in an ACL, a condition, a %[…] format or an action.',
    rationale: 'HAProxy refuses to load a configuration naming an unknown fetch; a typo or a fetch from a newer release only shows up at reload otherwise.',
    example: 'http-request set-header X-Id %[totally_bogus_fetch]',
  },
  {
    code: 'haproxy/unknown-converter',
    defaultSeverity: 'error',
    summary: 'A converter (the `,name` after a fetch) the target HAProxy version does not have.',
    rationale: 'An unknown converter is a fatal configuration error, like an unknown fetch.',
    example: 'http-request set-var(txn.host) req.hdr(host),lowercase',
  },
  {
    code: 'haproxy/fetch-arguments',
    defaultSeverity: 'error',
    summary: 'A sample fetch or converter with more arguments than it takes, a missing argument HAProxy cannot leave empty, or a non-integer where an integer goes.',
    rationale: 'HAProxy checks fetch and converter arguments when it loads the file and refuses the whole configuration on a mismatch.',
    example: 'acl two req.hdr(host,1,2) -m found',
  },
] as const satisfies readonly RuleMeta[];

/** Every haproxy/* code the rules report (the context's `report` takes one of these or a RuleMeta). */
export type HaproxyCode = (typeof list)[number]['code'];

/** The order docs/rules.md lists the haproxy codes in. */
export const CATALOGUE_ORDER: readonly RuleMeta[] = list;

export const META = Object.fromEntries(list.map((m) => [m.code, m])) as Record<HaproxyCode, RuleMeta>;
