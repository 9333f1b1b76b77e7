// `haconf check` prints with write(2) on the descriptor (cli/main.ts descriptorOutput). When a write
// cannot finish (a full non-blocking pipe), the rest goes to the stream: the bytes must arrive whole and in
// order, even when the write stopped inside a UTF-8 character. A real FIFO, opened non-blocking, is the pipe.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { descriptorOutput } from '../../server/src/cli/main';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-output-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A stand-in for process.stdout that keeps what it is given. */
function recordingStream(): { stream: NodeJS.WriteStream; received: Buffer[] } {
  const received: Buffer[] = [];
  const stream = {
    on: () => stream,
    write: (chunk: string | Uint8Array) => {
      received.push(Buffer.from(chunk as Uint8Array));
      return true;
    },
    destroyed: false,
    writableLength: 0,
  } as unknown as NodeJS.WriteStream;
  return { stream, received };
}

/** Everything in the FIFO, read without blocking. */
function drain(fd: number): Buffer {
  const parts: Buffer[] = [];
  const buf = Buffer.alloc(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') break;
      throw e;
    }
    if (n === 0) break;
    parts.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(parts);
}

test('a write that fills a non-blocking pipe hands the rest to the stream, a cut character whole', async () => {
  const fifo = path.join(dir, 'out');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  // Read-write and non-blocking: Linux lets one descriptor be both ends, so the test reads back what went in.
  const fd = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  try {
    // 3-byte characters from byte 0: the pipe's 65,536 bytes end one byte into a character.
    const text = `${'設'.repeat(40_000)}\nend\n`;
    assert.equal(65_536 % 3, 1);
    const { stream, received } = recordingStream();
    const out = descriptorOutput(fd, () => stream);
    out.write(text);
    out.write('after\n');
    await out.flushed();
    const inPipe = drain(fd);
    assert.equal(inPipe.length, 65_536, 'the pipe took what it holds');
    assert.ok(received.length >= 2, 'the rest went to the stream');
    assert.ok(Buffer.concat([inPipe, ...received]).equals(Buffer.from(`${text}after\n`)), 'whole and in order');
  } finally {
    fs.closeSync(fd);
  }
});

test('a reader that went away (EPIPE) ends the output quietly', () => {
  const fifo = path.join(dir, 'gone');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const fd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  fs.closeSync(reader);
  try {
    const { stream, received } = recordingStream();
    const out = descriptorOutput(fd, () => stream);
    out.write('lost\n');
    out.write('also lost\n');
    assert.deepEqual(received, [], 'nothing is handed to the stream after EPIPE');
  } finally {
    fs.closeSync(fd);
  }
});
