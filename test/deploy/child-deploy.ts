// A deploy in a process of its own, for the lab's lock tests (test/deploy/faults.test.ts): one JSON
// argument { manifest, hang }. Prints every DeployEvent as a JSON line; with `hang`, prints "confirm" when
// the run reaches its confirmation (locks held, candidates staged on every host) and waits there for ever,
// so the test can kill it with SIGKILL as a crash, an OOM kill or a pulled plug would.
import * as path from 'node:path';
import { deploy } from '../../server/src/deploy/deploy';
import { SshTransport } from '../../server/src/deploy/ssh';

const o = JSON.parse(process.argv[2] ?? '{}') as { manifest: string; hang?: boolean };
// ControlPersist=1: once this process is killed, its ssh master connections end a second later.
const transport = new SshTransport({ controlPersist: 1, baseDir: path.dirname(o.manifest) });
const out = (v: unknown): void => void process.stdout.write(JSON.stringify(v) + '\n');
const keepAlive = setInterval(() => undefined, 1000);
deploy({
  manifestPath: o.manifest,
  transport,
  onEvent: out,
  confirm: o.hang
    ? () => {
        out('confirm');
        return new Promise<boolean>(() => undefined);
      }
    : undefined,
})
  .then((r) => out({ result: r }))
  .finally(async () => {
    clearInterval(keepAlive);
    await transport.close();
  });
