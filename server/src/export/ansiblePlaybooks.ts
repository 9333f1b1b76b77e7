// The playbooks `haconf export ansible` writes. They are the same for every fleet: everything specific to
// a cluster or host lives in the inventory (export/ansible.ts). Written for ansible-core 2.14 (Debian 12)
// and its builtin modules only. Why each step is there: docs/ansible.md.

/** Jinja: `haconf_addr_outputs` (host → `ip -o addr` text) → JSON {vip: [hosts holding it]}. */
const HOLDERS = `{%- set out = {} -%}{%- for v in haconf_vips -%}{%- set hs = [] -%}{%- for h in haconf_addr_outputs -%}{%- if haconf_addr_outputs[h] is search('inet6? ' ~ (v | regex_escape) ~ '/') -%}{%- set _ = hs.append(h) -%}{%- endif -%}{%- endfor -%}{%- set _ = out.update({v: hs}) -%}{%- endfor -%}{{ out | to_json }}`;
/** Jinja: '' when every VIP is on exactly one host, else what is wrong (needs haconf_holders). */
const VIP_PROBLEM = `{%- set bad = [] -%}{%- set hm = haconf_holders if haconf_holders is mapping else (haconf_holders | from_json) -%}{%- for v, hs in hm.items() -%}{%- if hs | length == 0 -%}{%- set _ = bad.append('VIP ' ~ v ~ ' is held by no host') -%}{%- elif hs | length > 1 -%}{%- set _ = bad.append('VIP ' ~ v ~ ' is held by ' ~ (hs | length) ~ ' hosts (' ~ (hs | join(', ')) ~ '): split brain') -%}{%- endif -%}{%- endfor -%}{{ bad | join('; ') }}`;

export const CLUSTER_PLAYBOOK = `# Written by \`haconf export ansible\`: one cluster, the way \`haconf deploy\` does it.
#   ansible-playbook -i inventory.yml cluster.yml -e haconf_group=<group>
# site.yml runs one of these per cluster, all clusters at once. See docs/ansible.md.

- name: "haconf: check the manifest"
  hosts: localhost
  gather_facts: false
  vars:
    haconf_c: "{{ hostvars[groups[haconf_group][0]] }}"
  tasks:
    - name: not --check (these playbooks act through commands, which check mode skips; use -e haconf_dry_run=true)
      ansible.builtin.assert:
        that: not ansible_check_mode
        fail_msg: "ansible-playbook --check would skip every step and prove nothing; for a dry run (lock, upload, validate on every host, then remove the candidates) pass -e haconf_dry_run=true"
        quiet: true
    - name: the cluster group is given
      ansible.builtin.assert:
        that:
          - haconf_group is defined
          - haconf_group in groups
          - groups[haconf_group] | length > 0
        fail_msg: "run with -e haconf_group=GROUP, one of: {{ groups | select('match', 'haconf_') | reject('equalto', 'haconf_rollout') | join(', ') }}"
        quiet: true
    - name: the manifest is the one exported
      ansible.builtin.stat: { path: "{{ haconf_c.haconf_manifest }}", checksum_algorithm: sha256, get_mime: false, get_attributes: false }
      register: haconf_manifest_stat
    - name: refuse a manifest that changed since the export
      ansible.builtin.assert:
        that: [haconf_manifest_stat.stat.exists, "haconf_manifest_stat.stat.checksum | default('') == haconf_c.haconf_manifest_sha256"]
        fail_msg: "{{ haconf_c.haconf_manifest }} changed since 'haconf export ansible' (or is gone): export again, then run the playbook"
        quiet: true
    - name: haconf check (any error refuses the deploy; -e haconf_force=true goes on, as haconf deploy --force)
      ansible.builtin.command:
        argv: "{{ haconf_command + ['check', haconf_c.haconf_manifest] }}"
      register: haconf_check
      changed_when: false
      failed_when: haconf_check.rc != 0 and not (haconf_force | default(false) | bool)
      when: not (haconf_skip_check | default(false) | bool)
    - name: run id, lock token and backup stamp
      ansible.builtin.set_fact:
        haconf_run: "{{ '%016x' | format(9223372036854775807 | random) }}"
        haconf_token: "{{ '%016x%016x' | format(9223372036854775807 | random, 9223372036854775807 | random) }}"
        haconf_stamp: "{{ now(utc=true, fmt='%Y%m%dT%H%M%SZ') }}"

- name: "haconf: lock, stage and validate on every host before any swap"
  hosts: "{{ haconf_group }}"
  gather_facts: false
  vars_files: [haconf-scripts.yml]
  vars:
    haconf_run: "{{ hostvars['localhost'].haconf_run }}"
    haconf_token: "{{ hostvars['localhost'].haconf_token }}"
    haconf_owner: "haconf run={{ haconf_run }} token={{ haconf_token }} user=ansible host={{ lookup('pipe', 'hostname') | regex_replace('[^A-Za-z0-9._:-]', '_') }} machine=- boot=- pidns=- pid=0 start=- started={{ now(utc=true).isoformat() }}Z"
  tasks:
    - name: lock, read, stage, validate
      block:
        - name: take haconf's deploy lock (shared with haconf deploy)
          ansible.builtin.command:
            argv: [sh, -c, "{{ haconf_script_lock }}", haconf, "{{ haconf_lock_dir }}", "{{ haconf_owner }}"]
          register: haconf_lock
          changed_when: false
          failed_when: haconf_lock.rc != 0 or (haconf_lock.stdout_lines | first | default('')) != 'acquired'
        - ansible.builtin.set_fact: { haconf_locked: true, haconf_changed: [] }
        - name: addresses (who holds the VIP)
          ansible.builtin.command: ip -o addr show
          register: haconf_addrs
          changed_when: false
        - name: what the targets hold now
          ansible.builtin.stat: { path: "{{ item.target }}", follow: false, checksum_algorithm: sha256, get_mime: false, get_attributes: false }
          loop: "{{ haconf_files }}"
          loop_control: { label: "{{ item.target }}" }
          register: haconf_remote
        - name: targets are regular files, not links
          ansible.builtin.assert:
            that: "not item.stat.exists or (item.stat.isreg and not item.stat.islnk)"
            fail_msg: "{{ item.item.target }} is a symbolic link or not a regular file; point the manifest at the real file"
            quiet: true
          loop: "{{ haconf_remote.results }}"
          loop_control: { label: "{{ item.item.target }}" }
        - name: the workspace files (read now, as haconf check just did)
          ansible.builtin.stat: { path: "{{ item.source }}", checksum_algorithm: sha256, get_mime: false, get_attributes: false }
          loop: "{{ haconf_files }}"
          loop_control: { label: "{{ item.source }}" }
          register: haconf_local
          delegate_to: localhost
        - name: files that differ
          ansible.builtin.set_fact:
            haconf_changed: "{{ haconf_changed + [item.0 | combine({'candidate': (item.0.target | dirname) ~ '/.' ~ (item.0.target | basename) ~ '.haconf-new-' ~ haconf_run, 'sha256': item.2.stat.checksum})] }}"
          loop: "{{ haconf_files | zip(haconf_remote.results, haconf_local.results) | list }}"
          loop_control: { label: "{{ item.0.target }}" }
          when: not item.1.stat.exists or item.1.stat.checksum != item.2.stat.checksum
        - name: upload each changed file as a candidate beside its target (0600)
          ansible.builtin.copy: { src: "{{ item.source }}", dest: "{{ item.candidate }}", mode: "0600", force: false }
          loop: "{{ haconf_changed }}"
          loop_control: { label: "{{ item.candidate }}" }
        - name: validate each candidate with the manifest's command, on this host
          ansible.builtin.command:
            argv: [sh, -c, "{{ item.validate }}", haconf, "{{ item.candidate }}"]
          loop: "{{ haconf_changed }}"
          loop_control: { label: "{{ item.kind }} {{ item.candidate }}" }
          register: haconf_validate
          changed_when: false
          # keepalived -t exits 0 when it could not open the file: that is no proof (deploy/validatorOutput.ts).
          failed_when: haconf_validate.rc != 0 or (haconf_validate.stdout ~ '\\n' ~ haconf_validate.stderr) is search('(?i)config files? missing')
        - ansible.builtin.set_fact: { haconf_staged: true }
      rescue:
        - name: remove this host's candidates
          ansible.builtin.command:
            argv: "{{ ['sh', '-c', haconf_script_remove, 'haconf'] + (haconf_changed | default([]) | map(attribute='candidate') | list) }}"
          failed_when: false
        - name: release the lock
          ansible.builtin.command:
            argv: [sh, -c, "{{ haconf_script_unlock }}", haconf, "{{ haconf_lock_dir }}", "{{ haconf_token }}"]
          when: haconf_locked | default(false)
          failed_when: false
        - ansible.builtin.fail:
            msg: >-
              {{ haconf_name }}
              {{ ('is locked by another deploy (' ~ (haconf_lock.stdout_lines[1:] | join(' ')) ~ '); wait for it to finish, or remove ' ~ haconf_lock_dir ~ ' on ' ~ haconf_name ~ ' if you are sure none is running')
                 if (haconf_lock is defined and haconf_lock.stdout is defined and haconf_lock.stdout.startswith('held '))
                 else ('refused: ' ~ ((ansible_failed_result.results | default([]) | selectattr('failed', 'defined') | selectattr('failed') | map(attribute='stderr', default='') | join(' ') | trim) or ansible_failed_result.msg | default('failed')) ~ ' ' ~ (ansible_failed_result.stdout | default(''))) }}
              -- nothing was replaced on any host of {{ haconf_cluster }}

    - name: every host staged, one VIP holder; else nothing is replaced anywhere
      block:
        - name: every host of the cluster staged and validated its files
          ansible.builtin.assert:
            that: ansible_play_hosts | length == groups[haconf_group] | length
            fail_msg: "{{ groups[haconf_group] | difference(ansible_play_hosts) | map('extract', hostvars, 'haconf_name') | join(', ') }} failed to lock, stage or validate: nothing was replaced on any host of {{ haconf_cluster }}"
            quiet: true
        - name: every VIP is on exactly one host (-e haconf_force=true goes on, as haconf deploy --force)
          ansible.builtin.assert:
            that: haconf_vip_problem == '' or (haconf_force | default(false) | bool)
            fail_msg: "{{ haconf_vip_problem }}: {{ haconf_cluster }} is not touched"
            quiet: true
          vars:
            haconf_addr_outputs: "{{ dict(groups[haconf_group] | map('extract', hostvars, 'haconf_name') | zip(groups[haconf_group] | map('extract', hostvars, ['haconf_addrs', 'stdout']))) }}"
            haconf_holders: >-
              ${HOLDERS}
            haconf_vip_problem: >-
              ${VIP_PROBLEM}
      rescue:
        - name: remove this host's candidates
          ansible.builtin.command:
            argv: "{{ ['sh', '-c', haconf_script_remove, 'haconf'] + (haconf_changed | default([]) | map(attribute='candidate') | list) }}"
          failed_when: false
        - name: release the lock
          ansible.builtin.command:
            argv: [sh, -c, "{{ haconf_script_unlock }}", haconf, "{{ haconf_lock_dir }}", "{{ haconf_token }}"]
          failed_when: false
        - ansible.builtin.fail: { msg: "{{ ansible_failed_result.msg }}" }

    - name: rollout order - hosts without a VIP by ascending priority, the VIP holder last
      ansible.builtin.add_host: { name: "{{ item.host }}", groups: haconf_rollout }
      run_once: true
      # -e haconf_dry_run=true (haconf deploy --dry-run): stop after staging and validation; the last play
      # removes the candidates and releases the locks.
      when: not (haconf_dry_run | default(false) | bool)
      loop: "{{ haconf_order | sort(attribute='holder,priority,index') }}"
      loop_control: { label: "{{ item.name }}" }
      vars:
        haconf_order: >-
          {%- set out = [] -%}{%- set live = [] -%}
          {%- for h in groups[haconf_group] -%}{%- for v in haconf_vips -%}
          {%- if hostvars[h].haconf_addrs.stdout is search('inet6? ' ~ (v | regex_escape) ~ '/') -%}{%- set _ = live.append(h) -%}{%- endif -%}
          {%- endfor -%}{%- endfor -%}
          {%- for h in groups[haconf_group] -%}
          {%- set holder = (h in live) if live else hostvars[h].haconf_static_holder -%}
          {%- set _ = out.append({'host': h, 'name': hostvars[h].haconf_name, 'holder': 1 if holder else 0, 'priority': hostvars[h].haconf_priority, 'index': hostvars[h].haconf_index}) -%}
          {%- endfor -%}{{ out }}

- name: "haconf: roll out one host at a time, the VIP holder last; any failure restores every host"
  hosts: haconf_rollout
  serial: 1
  order: inventory
  max_fail_percentage: 0
  gather_facts: false
  vars_files: [haconf-scripts.yml]
  vars:
    haconf_run: "{{ hostvars['localhost'].haconf_run }}"
    haconf_token: "{{ hostvars['localhost'].haconf_token }}"
    haconf_stamp: "{{ hostvars['localhost'].haconf_stamp }}"
    haconf_kinds: "{{ haconf_changed | map(attribute='kind') | unique | list }}"
    # Files the install step replaced, each with its backup ('' for a target that did not exist).
    haconf_swapped_now: >-
      {%- set out = [] -%}{%- for r in haconf_install.results | default([]) if r.rc is defined and r.rc == 0 -%}
      {%- set last = r.stdout_lines | last | default('') -%}
      {%- set _ = out.append(r.item | combine({'backup': last[7:] if last.startswith('backup ') else ''})) -%}
      {%- endfor -%}{{ out }}
  tasks:
    - name: swap, reload, check
      when: haconf_changed | length > 0
      block:
        - ansible.builtin.set_fact: { haconf_swapped: [] }
        # haconf deploy refreshes every 30 s; a lock whose heartbeat is 15 min old may be taken over. Each
        # host's turn refreshes every host's lock, so only one host's turn must stay under 15 min.
        - name: refresh the lock's heartbeat on every host of the cluster
          ansible.builtin.command:
            argv: [sh, -c, "{{ haconf_script_refresh }}", haconf, "{{ haconf_lock_dir }}", "{{ haconf_token }}"]
          delegate_to: "{{ item }}"
          loop: "{{ groups[haconf_group] }}"
          loop_control: { label: "{{ hostvars[item].haconf_name }}" }
          changed_when: false
        - name: backup, then one rename over the target (haconf's install step)
          ansible.builtin.command:
            argv: [sh, -c, "{{ haconf_script_install }}", haconf, "{{ item.target }}", "{{ item.candidate }}", "{{ haconf_stamp }}-{{ haconf_run }}", "{{ haconf_keep_backups }}", "{{ item.mode }}", "{{ haconf_lock_dir }}", "{{ haconf_token }}"]
          loop: "{{ haconf_changed }}"
          loop_control: { label: "{{ item.target }}" }
          register: haconf_install
        - name: record what was swapped
          ansible.builtin.set_fact: { haconf_swapped: "{{ haconf_swapped_now }}", haconf_vip_last: '' }
        - name: reload the changed services (haproxy before keepalived)
          ansible.builtin.command:
            argv: [sh, -c, "{{ item.reload }}"]
          loop: "{{ haconf_services | selectattr('kind', 'in', haconf_kinds) | selectattr('reload', 'defined') | list }}"
          loop_control: { label: "{{ item.kind }}" }
        - name: status commands
          ansible.builtin.command:
            argv: [sh, -c, "{{ item.status }}"]
          loop: "{{ haconf_services | selectattr('kind', 'in', haconf_kinds) | selectattr('status', 'defined') | list }}"
          loop_control: { label: "{{ item.kind }}" }
          changed_when: false
        - name: haproxy is still running
          ansible.builtin.command:
            argv: [sh, -c, "{{ haconf_script_haproxy_alive }}"]
          when: "'haproxy' in (haconf_files | map(attribute='kind'))"
          changed_when: false
        - name: settle (deploy.settleSeconds)
          ansible.builtin.wait_for: { timeout: "{{ haconf_settle_seconds }}" }
          delegate_to: localhost
          when: haconf_settle_seconds | int > 0
        - name: VIP check, then once more after max(2 s, settleSeconds)
          ansible.builtin.include_tasks: haconf-vipcheck.yml
          loop: [1, 2]
          loop_control: { loop_var: haconf_vip_try }
          when: haconf_vips | length > 0
        - name: a VIP held by no host or by two
          ansible.builtin.fail: { msg: "{{ haconf_name }}: {{ haconf_vip_last }}" }
          when: haconf_vips | length > 0 and haconf_vip_last != ''
      rescue:
        - name: what this host swapped before the failure
          ansible.builtin.set_fact:
            haconf_swapped: "{{ haconf_swapped_now }}"
          when: haconf_install is defined
        - name: what failed
          ansible.builtin.set_fact:
            haconf_why: "{{ haconf_name }}: {{ (ansible_failed_result.results | default([]) | selectattr('failed', 'defined') | selectattr('failed') | map(attribute='stderr', default='') | join(' ') | trim) or ansible_failed_result.msg | default('failed') }}"
            haconf_restore: >-
              {%- set out = [] -%}{%- set me = groups['haconf_rollout'].index(inventory_hostname) -%}
              {%- for h in ([inventory_hostname] + (groups['haconf_rollout'][:me] | reverse | list)) -%}
              {%- for f in hostvars[h].haconf_swapped | default([]) -%}
              {%- set _ = out.append({'host': h, 'name': hostvars[h].haconf_name, 'target': f.target, 'backup': f.backup, 'tmp': (f.target | dirname) ~ '/.' ~ (f.target | basename) ~ '.haconf-new-' ~ haconf_run ~ '0'}) -%}
              {%- endfor -%}{%- endfor -%}{{ out }}
        - name: restore every host this run changed, this one first, then the others newest first
          ansible.builtin.command:
            argv: [sh, -c, "{{ haconf_script_restore }}", haconf, "{{ item.target }}", "{{ item.backup }}", "{{ item.tmp }}", "{{ haconf_lock_dir }}", "{{ haconf_token }}"]
          delegate_to: "{{ item.host }}"
          loop: "{{ haconf_restore }}"
          loop_control: { label: "{{ item.name }} {{ item.target }}" }
          register: haconf_restored
          ignore_errors: true
        - name: reload the restored services
          ansible.builtin.command:
            argv: [sh, -c, "{{ item.1.reload }}"]
          delegate_to: "{{ item.0 }}"
          loop: "{{ haconf_reload_list }}"
          loop_control: { label: "{{ hostvars[item.0].haconf_name }} {{ item.1.kind }}" }
          vars:
            haconf_reload_list: >-
              {%- set out = [] -%}{%- for h in haconf_restore | map(attribute='host') | unique -%}
              {%- set kinds = hostvars[h].haconf_swapped | map(attribute='kind') | unique | list -%}
              {%- for s in hostvars[h].haconf_services if s.kind in kinds and s.reload is defined -%}{%- set _ = out.append([h, s]) -%}{%- endfor -%}
              {%- endfor -%}{{ out }}
          register: haconf_rereloaded
          ignore_errors: true
        - name: remove the candidates left on every host of the cluster
          ansible.builtin.command:
            argv: "{{ ['sh', '-c', haconf_script_remove, 'haconf'] + (hostvars[item].haconf_changed | map(attribute='candidate') | list) }}"
          delegate_to: "{{ item }}"
          loop: "{{ groups[haconf_group] }}"
          loop_control: { label: "{{ hostvars[item].haconf_name }}" }
          failed_when: false
        - name: release the locks
          ansible.builtin.command:
            argv: [sh, -c, "{{ haconf_script_unlock }}", haconf, "{{ haconf_lock_dir }}", "{{ haconf_token }}"]
          delegate_to: "{{ item }}"
          loop: "{{ groups[haconf_group] }}"
          loop_control: { label: "{{ hostvars[item].haconf_name }}" }
          failed_when: false
        - name: the result
          ansible.builtin.fail:
            msg: >-
              {{ 'ROLLBACK FAILED: ' ~ haconf_why ~ '; check by hand: ' ~ (haconf_restored.results | selectattr('failed') | map(attribute='item.name') | unique | join(', '))
                 if (haconf_restored.results | selectattr('failed') | list | length > 0)
                 else 'rolled back: ' ~ haconf_why ~ '; every host of ' ~ haconf_cluster ~ ' is back on its previous files (' ~ (haconf_restore | map(attribute='name') | unique | join(', ') or 'none had changed') ~ ')' }}

- name: "haconf: release the locks"
  hosts: "{{ haconf_group }}"
  gather_facts: false
  vars_files: [haconf-scripts.yml]
  tasks:
    - name: remove the candidates (a dry run's; a rollout renamed them all)
      ansible.builtin.command:
        argv: "{{ ['sh', '-c', haconf_script_remove, 'haconf'] + (haconf_changed | map(attribute='candidate') | list) }}"
      when: haconf_changed | length > 0
      changed_when: false
    - name: release the lock
      ansible.builtin.command:
        argv: [sh, -c, "{{ haconf_script_unlock }}", haconf, "{{ haconf_lock_dir }}", "{{ hostvars['localhost'].haconf_token }}"]
      changed_when: false
    - name: the result
      ansible.builtin.debug:
        msg: "{{ 'dry run: ' ~ haconf_name ~ ' accepted ' ~ (haconf_changed | length) ~ (' changed file' if haconf_changed | length == 1 else ' changed files') ~ '; nothing was replaced' if haconf_dry_run | default(false) | bool else haconf_name ~ ': ' ~ ((haconf_changed | length) ~ (' file deployed' if haconf_changed | length == 1 else ' files deployed') if haconf_changed | length > 0 else 'unchanged') }}"
`;

/** The VIP check after one host, included twice (then a wait of max(2 s, settleSeconds) between tries). */
export const VIPCHECK_TASKS = `# Written by \`haconf export ansible\`: every VIP of the cluster on exactly one host (ip -o addr on all hosts).
- name: wait before the second look
  ansible.builtin.wait_for: { timeout: "{{ [2, haconf_settle_seconds | int] | max }}" }
  delegate_to: localhost
  when: haconf_vip_try == 2 and haconf_vip_last != ''
- name: addresses on every host of the cluster
  ansible.builtin.command: ip -o addr show
  delegate_to: "{{ item }}"
  loop: "{{ groups[haconf_group] }}"
  loop_control: { label: "{{ hostvars[item].haconf_name }}" }
  register: haconf_vip_addrs
  changed_when: false
  when: haconf_vip_try == 1 or haconf_vip_last != ''
- name: who holds each VIP
  ansible.builtin.set_fact:
    haconf_vip_last: "{{ haconf_vip_problem }}"
  vars:
    haconf_addr_outputs: "{{ dict(haconf_vip_addrs.results | map(attribute='item') | map('extract', hostvars, 'haconf_name') | zip(haconf_vip_addrs.results | map(attribute='stdout'))) }}"
    haconf_holders: >-
      ${HOLDERS}
    haconf_vip_problem: >-
      ${VIP_PROBLEM}
  when: haconf_vip_try == 1 or haconf_vip_last != ''
`;

export const SITE_PLAYBOOK = `# Written by \`haconf export ansible\`: every cluster of the inventory at once.
#   ansible-playbook -i inventory.yml site.yml
# One check of every manifest first; then one ansible-playbook cluster.yml per cluster, all started together
# (async) and awaited: inside a cluster hosts go one at a time (serial: 1), clusters do not wait for each
# other, and a failure in one cluster rolls back that cluster only. See docs/ansible.md.

- name: "haconf: check every manifest"
  hosts: localhost
  gather_facts: false
  tasks:
    - name: haconf check (any error refuses the whole run; -e haconf_force=true goes on)
      ansible.builtin.command:
        argv: "{{ haconf_command + ['check'] + (haconf_clusters | map(attribute='manifest') | list) }}"
      register: haconf_check
      changed_when: false
      failed_when: haconf_check.rc != 0 and not (haconf_force | default(false) | bool)

- name: "haconf: deploy every cluster in parallel, each in its own ansible-playbook"
  hosts: localhost
  gather_facts: false
  tasks:
    - name: start one run per cluster
      ansible.builtin.command:
        argv:
          - "{{ haconf_ansible_playbook | default('ansible-playbook') }}"
          - "{{ playbook_dir }}/cluster.yml"
          - -i
          - "{{ ansible_inventory_sources | first }}"
          - -e
          - "{{ {'haconf_group': item.group, 'haconf_skip_check': true, 'haconf_command': haconf_command, 'haconf_force': haconf_force | default(false) | bool, 'haconf_dry_run': haconf_dry_run | default(false) | bool} | to_json }}"
      loop: "{{ haconf_clusters }}"
      loop_control: { label: "{{ item.cluster }}" }
      async: "{{ haconf_timeout | default(3600) | int }}"
      poll: 0
      register: haconf_jobs
      changed_when: false
    - name: wait for every cluster
      ansible.builtin.async_status: { jid: "{{ item.ansible_job_id }}" }
      loop: "{{ haconf_jobs.results }}"
      loop_control: { label: "{{ item.item.cluster }}" }
      register: haconf_done
      until: haconf_done.finished
      retries: "{{ (haconf_timeout | default(3600) | int) // 2 }}"
      delay: 2
      failed_when: false
    - name: each cluster's run
      ansible.builtin.debug:
        msg: "{{ item.item.item.cluster }}: {{ 'ok' if item.rc | default(1) == 0 else 'FAILED (exit ' ~ (item.rc | default('?')) ~ ')' }}{{ '' if item.rc | default(1) == 0 else ': ' ~ ((item.stdout | default('')).splitlines() | select('search', 'refused|rolled back|ROLLBACK FAILED|changed since|fatal|UNREACHABLE') | list | last | default(item.msg | default(''))) }}"
      loop: "{{ haconf_done.results }}"
      loop_control: { label: "{{ item.item.item.cluster }}" }
    - name: a folder for each cluster's full output
      ansible.builtin.file: { path: "{{ playbook_dir }}/logs", state: directory, mode: "0700" }
      when: haconf_keep_logs | default(true) | bool
    - name: full output per cluster
      ansible.builtin.copy:
        content: "{{ item.stdout | default('') }}\\n{{ item.stderr | default('') }}"
        dest: "{{ playbook_dir }}/logs/{{ item.item.item.group }}.log"
        mode: "0600"
      loop: "{{ haconf_done.results }}"
      loop_control: { label: "{{ item.item.item.cluster }}" }
      when: haconf_keep_logs | default(true) | bool
    - name: the fleet's result
      ansible.builtin.assert:
        that: haconf_done.results | rejectattr('rc', 'defined') | list | length == 0 and haconf_done.results | selectattr('rc', 'ne', 0) | list | length == 0
        fail_msg: "failed: {{ haconf_done.results | rejectattr('rc', 'equalto', 0) | map(attribute='item.item.cluster') | join(', ') }} (see logs/<group>.log); the other clusters were deployed"
        success_msg: "every cluster deployed"
`;
