/**
 * The reference for watch fan-out: a bare Node HTTPS server (same TLS set-up)
 * holding chunked responses open; POST /trigger writes the posted line to every
 * one of them, then acknowledges.
 */
import https from 'node:https';
import type { ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [certDir] = process.argv.slice(2);
const read = (name: string) => readFileSync(path.join(certDir, name));
const open = new Set<ServerResponse>();

const server = https.createServer({ cert: read('apiserver.crt'), key: read('apiserver.key'), ca: read('ca.crt'), requestCert: true, rejectUnauthorized: false }, (req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    open.add(res);
    res.on('close', () => open.delete(res));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (d: Buffer) => chunks.push(d));
  req.on('end', () => {
    const line = Buffer.concat([Buffer.concat(chunks), Buffer.from('\n')]);
    for (const watcher of open) watcher.write(line);
    res.writeHead(200);
    res.end();
  });
});
server.maxConnections = 5000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`READY ${JSON.stringify({ url: `https://127.0.0.1:${address.port}` })}\n`);
});
