// A real forward proxy on 127.0.0.1 for the proxy tests: absolute-form HTTP requests (`GET http://host/…`) are
// forwarded, CONNECT opens a tunnel. It resolves names itself from `hosts` (the names exist only here, so a request
// that succeeds went through it), logs every request it is asked for, and only ever connects to loopback addresses.
import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';

export interface TestProxy {
  url: string;
  /** "GET http://a.example.test:1234/x.csv", "CONNECT 127.0.0.1:5678", in order. */
  log: string[];
  close(): Promise<void>;
}

export async function startProxy(hosts: Record<string, string> = {}): Promise<TestProxy> {
  const log: string[] = [];
  const sockets = new Set<Socket>();
  /** The loopback address the proxy connects to for `host`, or undefined (refused: tests never leave 127/8). */
  const target = (host: string): string | undefined => {
    const addr = hosts[host.toLowerCase()] ?? (host === 'localhost' ? '127.0.0.1' : host);
    return net.isIPv4(addr) && addr.startsWith('127.') ? addr : undefined;
  };
  const server = http.createServer((req, res) => {
    log.push(`${req.method} ${req.url}`);
    let u: URL;
    try {
      u = new URL(req.url ?? '');
    } catch {
      return res.writeHead(400).end('absolute-form request expected');
    }
    const addr = target(u.hostname);
    if (!addr) return res.writeHead(502).end('test proxy: not a loopback target');
    const up = http.request({ host: addr, port: Number(u.port || 80), path: `${u.pathname}${u.search}`, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502).end('test proxy: upstream failed'));
    req.pipe(up);
  });
  server.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    log.push(`CONNECT ${req.url}`);
    sockets.add(client);
    const [host, port] = (req.url ?? '').split(/:(?=\d+$)/);
    const addr = target(host);
    if (!addr) return client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    const up = net.connect(Number(port), addr, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    sockets.add(up);
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}
