/**
 * The reference for HTTP work: bare koa + @koa/router over the same TLS set-up
 * (serving certificate, client certificates verified), doing only what a request
 * must — GET returns fixed bytes; POST reads, parses and echoes the JSON body.
 */
import https from 'node:https';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Koa from 'koa';
import Router from '@koa/router';

const [certDir, bodyFile] = process.argv.slice(2);
const fixed = readFileSync(bodyFile);
const app = new Koa();
const router = new Router();
router.get('/fixed', (ctx) => {
  ctx.type = 'application/json';
  ctx.body = fixed;
});
router.post('/echo', async (ctx) => {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  ctx.status = 201;
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(parsed);
});
app.use(router.routes());
const read = (name: string) => readFileSync(path.join(certDir, name));
const server = https.createServer({ cert: read('apiserver.crt'), key: read('apiserver.key'), ca: read('ca.crt'), requestCert: true, rejectUnauthorized: false }, app.callback());
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`READY ${JSON.stringify({ url: `https://127.0.0.1:${address.port}` })}\n`);
});
