// A real IMAP server for tests: Debian's Dovecot (`apt-get install dovecot-imapd`) run as a
// child process with a generated configuration in a temporary folder, plain authentication
// from a passwd-file, a free port on 127.0.0.1 and maildirs under the same folder.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { firstFreePort } from '../../../../platform/ports.js';

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** A signed-in IMAP client of the test account, to put mail into folders as a sender would. */
  connect(): Promise<ImapFlow>;
  stop(): Promise<void>;
}

function systemUser(): { name: string; uid: number; gid: number } {
  if (process.getuid?.() !== 0) {
    const info = os.userInfo();
    return { name: info.username, uid: info.uid, gid: info.gid };
  }
  for (const name of ['dovecot', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name]).toString().trim());
      const gid = Number(execFileSync('id', ['-g', name]).toString().trim());
      return { name, uid, gid };
    } catch {}
  }
  throw new Error('no unprivileged user to run Dovecot mail processes as');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startDovecot(): Promise<Dovecot> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-dovecot-'));
  await chmod(dir, 0o755);
  const user = systemUser();
  const port = await firstFreePort(31_143 + Math.floor(Math.random() * 500));
  const mail = path.join(dir, 'mail');
  await mkdir(mail);
  await mkdir(path.join(dir, 'run'));
  await mkdir(path.join(dir, 'state'));
  await chown(mail, user.uid, user.gid);
  const password = 'imap-test-secret';
  await writeFile(path.join(dir, 'passwd'), `support:{PLAIN}${password}::::::\n`);
  const internal = process.getuid?.() === 0 ? 'dovecot' : user.name;
  const config = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
instance_name = pitwall-test-${port}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${internal}
default_internal_group = ${internal}
default_login_user = ${process.getuid?.() === 0 ? 'dovenull' : user.name}
mail_uid = ${user.uid}
mail_gid = ${user.gid}
first_valid_uid = 1
mail_location = maildir:${mail}/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${user.uid} gid=${user.gid} home=${mail}/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
  await writeFile(path.join(dir, 'dovecot.conf'), config);
  const child: ChildProcess = spawn('dovecot', ['-F', '-c', path.join(dir, 'dovecot.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Dovecot did not start (is dovecot-imapd installed?):\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    host: '127.0.0.1',
    port,
    user: 'support',
    password,
    connect: async () => {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        auth: { user: 'support', pass: password },
        logger: false,
      });
      await client.connect();
      return client;
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
