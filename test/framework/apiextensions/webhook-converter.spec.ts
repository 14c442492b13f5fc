import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WebhookConverter } from '../../../src/framework/apiextensions/conversion/webhook-converter';
import { StatusError } from '../../../src/framework/api/status';
import { ensureServingCertificates } from '../../../src/framework/server/pki';
import type { StoredObject } from '../../../src/framework/storage/interface';

type Plain = Record<string, unknown>;
type Review = { request: { uid: string; desiredAPIVersion: string; objects: Plain[] } };

const toy = (name: string, apiVersion: string): StoredObject => ({
  apiVersion,
  kind: 'Toy',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '7', labels: { a: 'b' } },
  spec: { size: 1 },
});

describe('apiextensions: WebhookConverter', function () {
  this.timeout(20_000);
  let dir: string;
  let server: https.Server;
  let url: string;
  let caBundle: string;
  const reviews: Review[] = [];
  /** How the webhook answers a review; by default it converts faithfully. */
  let answer: (review: Review) => { status?: number; body: unknown };
  const faithful = (review: Review) => ({
    body: {
      response: {
        uid: review.request.uid,
        result: { status: 'Success' },
        convertedObjects: review.request.objects.map((o): Plain => ({ ...o, apiVersion: review.request.desiredAPIVersion })),
      },
    },
  });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-converter-'));
    const pki = await ensureServingCertificates({ certDir: dir, hosts: ['127.0.0.1'] });
    caBundle = Buffer.from(pki.ca.certPem).toString('base64');
    server = https.createServer({ cert: pki.servingCert.certPem, key: pki.servingCert.keyPem }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Review;
        reviews.push(review);
        const { status, body } = answer(review);
        res.writeHead(status ?? 200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/convert`;
  });
  beforeEach(() => {
    reviews.length = 0;
    answer = faithful;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const converter = () => new WebhookConverter({ url, caBundle, kindDescription: 'toys.example.com, Kind=Toy' });
  const failure = async (promise: Promise<unknown>): Promise<string> => {
    const err = await promise.then(
      () => assert.fail('expected the conversion to fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, 500);
    return err.message;
  };

  it('sends a ConversionReview with only the objects that need converting, in order', async () => {
    const objects = [toy('a', 'toys.example.com/v1'), toy('b', 'toys.example.com/v2'), toy('c', 'toys.example.com/v1')];
    const converted = await converter().convert(objects, 'toys.example.com/v2');
    assert.equal(reviews.length, 1);
    assert.deepEqual(reviews[0].request.objects.map((o) => (o.metadata as Plain).name), ['a', 'c']);
    assert.equal(reviews[0].request.desiredAPIVersion, 'toys.example.com/v2');
    assert.deepEqual(converted.map((o) => [o.metadata.name, o.apiVersion]), [['a', 'toys.example.com/v2'], ['b', 'toys.example.com/v2'], ['c', 'toys.example.com/v2']]);
    assert.equal(converted[1], objects[1]);
    assert.equal(await converter().convert([objects[1]], 'toys.example.com/v2').then(() => reviews.length), 1, 'nothing to convert, no call');
  });

  it('keeps the original metadata but for the labels and annotations the webhook changed', async () => {
    answer = (review) => {
      const body = faithful(review).body;
      for (const o of body.response.convertedObjects) o.metadata = { ...(o.metadata as Plain), resourceVersion: '99', labels: { c: 'd' }, annotations: { note: 'converted' } };
      return { body };
    };
    const [converted] = await converter().convert([toy('a', 'toys.example.com/v1')], 'toys.example.com/v2');
    assert.deepEqual(converted.metadata, { name: 'a', namespace: 'default', uid: 'uid-a', resourceVersion: '7', labels: { c: 'd' }, annotations: { note: 'converted' } });
  });

  it('fails with the reason when the webhook reports failure or answers wrongly', async () => {
    const objects = [toy('a', 'toys.example.com/v1')];
    const convert = () => converter().convert(objects, 'toys.example.com/v2');
    answer = (review) => ({ body: { response: { uid: review.request.uid, result: { status: 'Failure', message: 'cannot' } } } });
    assert.equal(await failure(convert()), 'Internal error occurred: conversion webhook for toys.example.com, Kind=Toy failed: conversion failed: cannot');
    answer = (review) => ({ body: { response: { ...faithful(review).body.response, uid: 'other' } } });
    assert.match(await failure(convert()), /expected response uid ".+", got "other"/);
    answer = (review) => ({ body: { response: { ...faithful(review).body.response, convertedObjects: [] } } });
    assert.match(await failure(convert()), /expected 1 converted objects, got 0/);
    answer = (review) => ({ body: { response: { ...faithful(review).body.response, convertedObjects: review.request.objects } } });
    assert.match(await failure(convert()), /invalid converted object at index 0: invalid apiVersion "toys\.example\.com\/v1", expected "toys\.example\.com\/v2"/);
    answer = (review) => ({
      body: { response: { ...faithful(review).body.response, convertedObjects: [{ ...faithful(review).body.response.convertedObjects[0], metadata: { name: 'renamed' } }] } },
    });
    assert.match(await failure(convert()), /must not change metadata\.name/);
    answer = () => ({ status: 503, body: { message: 'down' } });
    assert.match(await failure(convert()), /the webhook answered 503/);
  });

  it('fails when the webhook cannot be reached or its certificate is not trusted', async () => {
    const objects = [toy('a', 'toys.example.com/v1')];
    const untrusted = new WebhookConverter({ url, kindDescription: 'toys.example.com, Kind=Toy' });
    assert.match(await failure(untrusted.convert(objects, 'toys.example.com/v2')), /Post "https:\/\/127\.0\.0\.1:\d+\/convert": .*certificate/);
    const closed = new WebhookConverter({ url: 'https://127.0.0.1:1/convert', caBundle, kindDescription: 'toys.example.com, Kind=Toy' });
    assert.match(await failure(closed.convert(objects, 'toys.example.com/v2')), /ECONNREFUSED/);
  });
});
