import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unreachableSentence } from '../../server/src/deploy/reach';

test('unreachable host: one sentence naming the host, the cause and what to check', () => {
  const cases: [string, RegExp][] = [
    ['ssh: connect to host 10.0.0.1 port 22: Connection refused\n', /^cannot reach lb1 over ssh: the connection was refused; check that sshd runs/],
    ['ssh: connect to host 10.0.0.1 port 22: Connection timed out\n', /^cannot reach lb1 over ssh: the connection timed out;/],
    ['ssh: Could not resolve hostname lb1.example: Name or service not known\n', /^cannot reach lb1 over ssh: its name does not resolve;/],
    ['root@10.0.0.1: Permission denied (publickey,password).\n', /^cannot reach lb1 over ssh: it refused the login;/],
    ['@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n@@@@@@@@\nHost key verification failed.\n', /^cannot reach lb1 over ssh: its host key is unknown or changed;/],
    ['ssh: something new\nsecond line\n', /^cannot reach lb1 over ssh \(something new\); check that it is up/],
  ];
  for (const [out, re] of cases) {
    const s = unreachableSentence('lb1', out);
    assert.match(s, re);
    assert.equal(s.includes('\n'), false, 'one line');
  }
});
