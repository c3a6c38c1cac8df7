/**
 * A real local SFTP server for tests, on ssh2's Server: files live in a temp root directory; password or public-key
 * auth; `down()` stops it (open sessions are cut) and `up()` brings it back on the same port. It serves the requests an
 * upload needs (open/write/close, stat/lstat/fstat, rename, remove, realpath, mkdir, opendir/readdir).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { Server, utils, type Attributes, type Connection, type SFTPWrapper } from 'ssh2';

const { STATUS_CODE, OPEN_MODE } = utils.sftp;

/** How clients may log in. */
export interface SftpAuth { user: string; password?: string; publicKey?: string }

/** A running test server. */
export interface TestSftpServer {
  host: string; port: number; root: string;
  /** The host key's fingerprint, `SHA256:<base64>`, as the client pins it. */
  fingerprint: string;
  /** Every file name uploaded under its final name (renames into place), in order. */
  completed: string[];
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

function attrsOf(st: fs.Stats): Attributes {
  return { mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, atime: Math.floor(st.atimeMs / 1000), mtime: Math.floor(st.mtimeMs / 1000) };
}

/** Serves one SFTP session on `root`. */
function serveSftp(sftp: SFTPWrapper, root: string, completed: string[]): void {
  const handles = new Map<string, { fd: number } | { dir: string; done: boolean }>();
  let next = 0;
  const local = (p: string): string | null => {
    const full = path.resolve(root, `.${path.posix.resolve('/', p)}`);
    return full === root || full.startsWith(`${root}${path.sep}`) ? full : null;
  };
  const newHandle = (v: { fd: number } | { dir: string; done: boolean }): Buffer => {
    const h = Buffer.alloc(4);
    h.writeUInt32BE(next++);
    handles.set(h.toString('hex'), v);
    return h;
  };
  const fail = (id: number, err: unknown): void => {
    sftp.status(id, (err as NodeJS.ErrnoException).code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE : STATUS_CODE.FAILURE);
  };
  sftp.on('OPEN', (id, filename, flags) => {
    const p = local(filename);
    if (!p) return sftp.status(id, STATUS_CODE.PERMISSION_DENIED);
    let mode = 'r';
    if (flags & OPEN_MODE.WRITE) mode = flags & OPEN_MODE.APPEND ? 'a' : flags & OPEN_MODE.TRUNC || flags & OPEN_MODE.CREAT ? 'w' : 'r+';
    fs.open(p, mode, (err, fd) => (err ? fail(id, err) : sftp.handle(id, newHandle({ fd }))));
  });
  sftp.on('WRITE', (id, handle, offset, data) => {
    const h = handles.get(handle.toString('hex'));
    if (!h || !('fd' in h)) return sftp.status(id, STATUS_CODE.FAILURE);
    fs.write(h.fd, data, 0, data.length, offset, (err) => (err ? fail(id, err) : sftp.status(id, STATUS_CODE.OK)));
  });
  sftp.on('READ', (id, handle, offset, len) => {
    const h = handles.get(handle.toString('hex'));
    if (!h || !('fd' in h)) return sftp.status(id, STATUS_CODE.FAILURE);
    const buf = Buffer.alloc(len);
    fs.read(h.fd, buf, 0, len, offset, (err, n) => (err ? fail(id, err) : n ? sftp.data(id, buf.subarray(0, n)) : sftp.status(id, STATUS_CODE.EOF)));
  });
  sftp.on('FSTAT', (id, handle) => {
    const h = handles.get(handle.toString('hex'));
    if (!h || !('fd' in h)) return sftp.status(id, STATUS_CODE.FAILURE);
    fs.fstat(h.fd, (err, st) => (err ? fail(id, err) : sftp.attrs(id, attrsOf(st))));
  });
  sftp.on('FSETSTAT', (id) => sftp.status(id, STATUS_CODE.OK));
  sftp.on('SETSTAT', (id) => sftp.status(id, STATUS_CODE.OK));
  sftp.on('CLOSE', (id, handle) => {
    const key = handle.toString('hex');
    const h = handles.get(key);
    handles.delete(key);
    if (h && 'fd' in h) fs.close(h.fd, (err) => (err ? fail(id, err) : sftp.status(id, STATUS_CODE.OK)));
    else sftp.status(id, h ? STATUS_CODE.OK : STATUS_CODE.FAILURE);
  });
  const stat = (id: number, p0: string): void => {
    const p = local(p0);
    if (!p) return sftp.status(id, STATUS_CODE.PERMISSION_DENIED);
    fs.stat(p, (err, st) => (err ? fail(id, err) : sftp.attrs(id, attrsOf(st))));
  };
  sftp.on('STAT', stat);
  sftp.on('LSTAT', stat);
  sftp.on('REALPATH', (id, p) => {
    const resolved = path.posix.resolve('/', p);
    sftp.name(id, [{ filename: resolved, longname: resolved, attrs: {} as Attributes }]);
  });
  sftp.on('REMOVE', (id, p0) => {
    const p = local(p0);
    if (!p) return sftp.status(id, STATUS_CODE.PERMISSION_DENIED);
    fs.unlink(p, (err) => (err ? fail(id, err) : sftp.status(id, STATUS_CODE.OK)));
  });
  sftp.on('RENAME', (id, from0, to0) => {
    const from = local(from0);
    const to = local(to0);
    if (!from || !to) return sftp.status(id, STATUS_CODE.PERMISSION_DENIED);
    // SFTP v3: renaming onto an existing file fails, as OpenSSH's server does without posix-rename.
    if (fs.existsSync(to)) return sftp.status(id, STATUS_CODE.FAILURE);
    fs.rename(from, to, (err) => {
      if (err) return fail(id, err);
      completed.push(path.basename(to));
      sftp.status(id, STATUS_CODE.OK);
    });
  });
  sftp.on('MKDIR', (id, p0) => {
    const p = local(p0);
    if (!p) return sftp.status(id, STATUS_CODE.PERMISSION_DENIED);
    fs.mkdir(p, (err) => (err ? fail(id, err) : sftp.status(id, STATUS_CODE.OK)));
  });
  sftp.on('OPENDIR', (id, p0) => {
    const p = local(p0);
    if (!p || !fs.existsSync(p)) return sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
    sftp.handle(id, newHandle({ dir: p, done: false }));
  });
  sftp.on('READDIR', (id, handle) => {
    const h = handles.get(handle.toString('hex'));
    if (!h || !('dir' in h)) return sftp.status(id, STATUS_CODE.FAILURE);
    if (h.done) return sftp.status(id, STATUS_CODE.EOF);
    h.done = true;
    const names = fs.readdirSync(h.dir).map((n) => ({ filename: n, longname: n, attrs: attrsOf(fs.statSync(path.join(h.dir, n))) }));
    sftp.name(id, names);
  });
}

/** Starts a server on 127.0.0.1 (a free port) with a fresh root directory. */
export async function startSftpServer(auth: SftpAuth): Promise<TestSftpServer> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sftp-root-')));
  const hostKey = utils.generateKeyPairSync('ed25519');
  const parsed = utils.parseKey(hostKey.private);
  if (parsed instanceof Error) throw parsed;
  const fingerprint = `SHA256:${crypto.createHash('sha256').update(parsed.getPublicSSH()).digest('base64').replace(/=+$/, '')}`;
  const allowedKey = auth.publicKey ? utils.parseKey(auth.publicKey) : null;
  if (allowedKey instanceof Error) throw allowedKey;
  const completed: string[] = [];
  const sockets = new Set<Socket>();
  const clients = new Set<Connection>();
  const same = (a: Buffer, b: Buffer): boolean => a.length === b.length && crypto.timingSafeEqual(a, b);
  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.username !== auth.user) return ctx.reject();
      if (ctx.method === 'password' && auth.password && same(Buffer.from(ctx.password), Buffer.from(auth.password))) return ctx.accept();
      if (ctx.method === 'publickey' && allowedKey && ctx.key.algo === allowedKey.type && same(ctx.key.data, allowedKey.getPublicSSH())) {
        if (!ctx.signature) return ctx.accept();
        if (allowedKey.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      }
      ctx.reject(['password', 'publickey']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acceptSftp) => serveSftp(acceptSftp(), root, completed));
      });
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port: number): Promise<number> => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
  const port = await listen(0);
  let listening = true;
  const down = async (): Promise<void> => {
    if (!listening) return;
    listening = false;
    for (const c of clients) c.end();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    host: '127.0.0.1', port, root, fingerprint, completed,
    down,
    async up() {
      if (listening) return;
      await listen(port);
      listening = true;
    },
    async close() {
      await down();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
