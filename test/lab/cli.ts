// The lab by hand:  sudo node --import tsx test/lab/cli.ts up [--weight N] [--priorities 100,99,98]
//                   sudo node --import tsx test/lab/cli.ts list
//                   sudo node --import tsx test/lab/cli.ts down <state dir>|all
// `up` leaves the lab running and prints how to reach it; `down` stops it from its saved state.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLab, stopLabDir } from './lab';
import { haproxyCfg, keepalivedConf } from './configs';

function labDirs(): string[] {
  return fs
    .readdirSync(os.tmpdir())
    .filter((n) => /^haconf-lab-hl[0-9a-z]+-/.test(n))
    .map((n) => path.join(os.tmpdir(), n))
    .filter((d) => fs.existsSync(path.join(d, 'lab.json')));
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  if (cmd === 'up') {
    const hosts = Number(flag(args, '--hosts') ?? 3);
    const weight = Number(flag(args, '--weight') ?? 10);
    const prios = (flag(args, '--priorities') ?? '').split(',').filter(Boolean).map(Number);
    const priorities: Record<number, number> = {};
    prios.forEach((p, i) => {
      priorities[i + 1] = p;
    });
    const lab = await startLab({ hosts, keepOnExit: true, keepalived: (h, p) => keepalivedConf(h, p, { priorities, weight }), haproxy: (_h, p) => haproxyCfg(p) });
    const first = lab.plan.hosts[0];
    const t = lab.sshTarget(first.name);
    console.log(`lab ${lab.plan.prefix} up in ${(lab.timings.setupMs / 1000).toFixed(1)} s; state in ${lab.stateDir}`);
    for (const h of lab.plan.hosts) {
      console.log(`  ${h.name}  ${h.ip}  shell: nsenter -t ${lab.hostPid(h.name)} -n -m -u -p -- sh   logs ${path.dirname(lab.logPath(h.name, 'keepalived'))}`);
    }
    console.log(`  w1      ${lab.plan.worker.ip}:${lab.plan.worker.port}   client ${lab.plan.client.ip} (netns ${lab.plan.client.netns})   VIP ${lab.plan.vip}`);
    console.log(`ssh:     ssh ${t.sshArgs.join(' ')}`);
    console.log(`VIP:     for h in ${lab.plan.hosts.map((h) => h.netns).join(' ')}; do ip -n $h -o -4 addr show dev eth0; done | grep ${lab.plan.vip}`);
    console.log(`request: ip netns exec ${lab.plan.client.netns} curl -s http://${lab.plan.vip}/`);
    console.log(`down:    node --import tsx test/lab/cli.ts down ${lab.stateDir}`);
    return 0;
  }
  if (cmd === 'list') {
    for (const d of labDirs()) console.log(d);
    return 0;
  }
  if (cmd === 'down' && args[0]) {
    const dirs = args[0] === 'all' ? labDirs() : [path.resolve(args[0])];
    let rc = 0;
    for (const d of dirs) {
      try {
        stopLabDir(d);
        console.log(`stopped ${d}`);
      } catch (e) {
        console.error((e as Error).message);
        rc = 1;
      }
    }
    return rc;
  }
  console.error('usage: cli.ts up [--hosts N] [--weight W] [--priorities P1,P2,...] | list | down <state dir>|all');
  return 2;
}

main(process.argv.slice(2)).then(
  (rc) => process.exit(rc),
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
