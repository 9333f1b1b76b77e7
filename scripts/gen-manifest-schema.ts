// Writes schemas/haconf.schema.json (JSON Schema draft-07) from server/src/manifest/fields.ts, the same
// declaration the validator walks. Point yaml-language-server at it for completion in haconf.yaml.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { manifestJsonSchema } from './manifest-schema';

const out = path.resolve(__dirname, '..', 'schemas', 'haconf.schema.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(manifestJsonSchema(), null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), out)}`);
