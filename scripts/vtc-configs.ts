// Turns the haproxy configurations embedded in upstream's reg-tests (`haproxy h1 -conf { … }` blocks of
// *.vtc files) into plain files beside each test: <test>.vtc.<name>.cfg. Called by
// scripts/fetch-upstream-corpus.sh for the corpus suites; the real haproxy -c then judges each file as it
// judges any other, and haconf must report no error on the ones it accepts.
//
// VTest replaces its macros before haproxy sees the text; here they get stand-ins of the same kind:
// `${sN_addr}`/`*_addr` → 127.0.0.1, `*_port` → a port, `fd@${fe}` → 127.0.0.1:port, `*_sock` →
// 127.0.0.1:port, `${testdir}` → the test's folder (its maps, certs and lua files sit there),
// `${tmpdir}` → an empty scratch folder. Other `${…}` (HAProxy's own environment variables such as
// `${HAPROXY_TEST_TIMEOUT-5s}`) stay for haproxy to expand.
//
//   node --import tsx scripts/vtc-configs.ts DIR     # every *.vtc under DIR
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The `-conf { … }` blocks of one .vtc text: VTest counts braces, and so do haproxy's `{ cond }` blocks. */
export function vtcConfigs(text: string): { name: string; conf: string }[] {
  const out: { name: string; conf: string }[] = [];
  const head = /^\s*haproxy\s+(\S+)\b[^\n]*?-conf\s*\{/gm;
  for (let m = head.exec(text); m; m = head.exec(text)) {
    let depth = 1;
    let i = m.index + m[0].length;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
    }
    if (depth === 0) out.push({ name: m[1], conf: text.slice(m.index + m[0].length, i - 1) });
  }
  return out;
}

/** VTest's macros → stand-ins (see the head comment). */
export function substitute(conf: string, testdir: string, tmpdir: string): string {
  let port = 20000;
  const ports = new Map<string, number>();
  const portFor = (name: string): number => {
    if (!ports.has(name)) ports.set(name, port++);
    return ports.get(name)!;
  };
  return conf
    .replace(/fd@\$\{([A-Za-z0-9_]+)\}/g, (_, n: string) => `127.0.0.1:${portFor(n)}`)
    .replace(/\$\{([A-Za-z0-9_]+)_sock\}/g, (_, n: string) => `127.0.0.1:${portFor(n)}`)
    .replace(/\$\{([A-Za-z0-9_]+)_addr\}/g, '127.0.0.1')
    .replace(/\$\{([A-Za-z0-9_]+)_port\}/g, (_, n: string) => String(portFor(n)))
    .replace(/\$\{testdir\}/g, testdir)
    .replace(/\$\{tmpdir\}/g, tmpdir)
    .replace(/\$\{([A-Za-z0-9_]+)_pid\}/g, '1');
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith('.vtc')) out.push(p);
  }
  return out.sort();
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? '');
  if (!process.argv[2] || !fs.existsSync(dir)) {
    console.error('usage: vtc-configs.ts DIR (a folder holding *.vtc files)');
    process.exit(2);
  }
  const tmpdir = path.join(dir, '.vtc-tmpdir');
  fs.mkdirSync(tmpdir, { recursive: true });
  let count = 0;
  for (const file of walk(dir)) {
    for (const { name, conf } of vtcConfigs(fs.readFileSync(file, 'utf8'))) {
      // Dedent the block (VTest files indent it) so the file reads like a normal haproxy.cfg.
      const lines = conf.replace(/^\n+/, '').split('\n');
      const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
      const body = lines
        .map((l) => l.slice(Number.isFinite(indent) ? indent : 0))
        .join('\n')
        .trimEnd();
      fs.writeFileSync(`${file}.${name}.cfg`, `${substitute(body, path.dirname(file), tmpdir)}\n`);
      count++;
    }
  }
  console.log(`vtc-configs: ${count} configurations from the reg-tests under ${dir}`);
}
