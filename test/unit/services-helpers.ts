// Shared set-up for the services tests: a temp workspace written to disk and a model scanned over it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceModel } from '../../server/src/engine/model';
import { defaultCheckOptions } from '../../server/src/core/types';

export function workspace(files: Record<string, string>): { root: string; model: WorkspaceModel; file: (rel: string) => string; cleanup: () => void } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-svc-')));
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  const model = new WorkspaceModel(undefined, defaultCheckOptions());
  model.scan([root]);
  return { root, model, file: (rel) => path.join(root, rel), cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** Cursor marker: `|` in the text gives the position and is removed. */
export function cursor(text: string): { text: string; pos: { line: number; character: number } } {
  const i = text.indexOf('|');
  const before = text.slice(0, i);
  const line = before.split('\n').length - 1;
  return { text: text.slice(0, i) + text.slice(i + 1), pos: { line, character: i - (before.lastIndexOf('\n') + 1) } };
}

export const keepalivedPeer = (vrid: number, state: string, priority: number, weight = -60): string => `global_defs {
    enable_script_security
    script_user nobody
}
vrrp_script chk_haproxy {
    script "/usr/bin/killall -0 haproxy"
    interval 2
    weight ${weight}
}
vrrp_instance VI_1 {
    state ${state}
    interface eth0
    virtual_router_id ${vrid}
    priority ${priority}
    advert_int 1
    virtual_ipaddress {
        10.0.0.100/24
    }
    track_script {
        chk_haproxy
    }
}
`;

export const HAPROXY = `global
    log stdout format raw local0

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend www
    bind :80
    acl is_api path_beg /api
    acl is_api path_beg /v1
    use_backend api if is_api
    default_backend web

frontend admin
    bind :81
    acl is_api hdr(host) admin
    http-request auth realm x unless { http_auth(ops) }
    use_backend api if !is_api

backend web
    balance roundrobin
    server w1 10.0.1.1:8080 check
    server w2 10.0.1.2:8080 check track web/w1

backend api
    server a1 10.0.1.3:8080 check

userlist ops
    user admin insecure-password x
`;
