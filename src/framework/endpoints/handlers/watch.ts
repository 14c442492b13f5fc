/**
 * Watch over chunked HTTP: headers flushed at once, then one JSON WatchEvent per
 * line, each written as soon as it happens (kubectl wait hangs otherwise). The
 * stream ends on timeoutSeconds (default: a random 30-60 minutes, as kube), when
 * the client goes away, or when the server shuts down.
 */
import type { ServerResponse } from 'node:http';
import type { StoredObject, WatchEvent } from '../../storage/interface';
import { negotiateResponse, type ResponseFormat } from '../negotiation';
import { parseListOptions } from '../query-options';
import { encodeBody, parseIncludeObject, setWarnings } from '../response';
import { servedEventLine } from '../served-bytes';
import { partialObjectMetadata } from '../table';
import { parseFieldSelector } from '../../api';
import { queryOf, requestContextOf, resourceRequestInfo, toServedVersion, type ApiContext, type RequestScope } from '../scope';

const MIN_TIMEOUT_SECONDS = 1800;

function defaultTimeoutSeconds(): number {
  return MIN_TIMEOUT_SECONDS + Math.floor(Math.random() * MIN_TIMEOUT_SECONDS);
}

/**
 * Events a client may leave unread (on top of the socket's buffers) before it is
 * disconnected, as the watch cache does with its own watchers: a client that
 * stopped reading cannot hold memory or its watch forever.
 */
const MAX_UNSENT_EVENTS = 1024;

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/** Encodes events for one watch: conversion to the served version and any transform. */
function eventEncoder(scope: RequestScope, format: ResponseFormat, query: URLSearchParams) {
  const includeObject = format.transform === 'Table' ? parseIncludeObject(query) : 'None';
  let columnsSent = false;
  const metaApiVersion = `meta.k8s.io/${format.transformVersion ?? 'v1'}`;
  const plainJSON = format.encoding === 'application/json' && !format.transform;
  return (event: WatchEvent): Buffer | string => {
    if (plainJSON && event.type !== 'ERROR' && event.type !== 'BOOKMARK') return servedEventLine(scope, event);
    let object: unknown;
    if (event.type === 'ERROR') {
      object = event.object;
    } else if (event.type === 'BOOKMARK') {
      object = { kind: scope.resource.gvk.kind, apiVersion: scope.apiVersion, metadata: event.object.metadata };
    } else {
      const served = toServedVersion(scope, event.object as StoredObject);
      if (format.transform === 'Table') {
        object = scope.table.convert([served], { apiVersion: metaApiVersion, includeObject, withColumns: !columnsSent });
        columnsSent = true;
      } else if (format.transform === 'PartialObjectMetadata') {
        object = partialObjectMetadata(served, metaApiVersion);
      } else {
        object = served;
      }
    }
    return encodeBody({ type: event.type, object }, 'application/json') + '\n';
  };
}

export async function watchResource(ctx: ApiContext, scope: RequestScope): Promise<void> {
  const query = queryOf(ctx);
  const format = negotiateResponse(ctx.get('accept'), ['Table', 'PartialObjectMetadata']);
  const options = parseListOptions(query, true);
  const encode = eventEncoder(scope, format, query);
  // GET .../<plural>/<name>?watch=true watches that one object.
  const name = resourceRequestInfo(ctx).name;
  const rctx = requestContextOf(ctx, scope);
  const watcher = await scope.store.watch(rctx, {
    labelSelector: options.labelSelector,
    fieldSelector: name ? parseFieldSelector(`metadata.name=${name}`) : options.fieldSelector,
    resourceVersion: options.resourceVersion,
    allowBookmarks: options.allowWatchBookmarks,
    sendInitialEvents: options.sendInitialEvents,
  });

  const res = ctx.res;
  setWarnings(ctx, rctx.warnings);
  ctx.respond = false;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();

  let stoppedHere = false;
  const stop = () => {
    stoppedHere = true;
    watcher.stop();
  };
  const timer = setTimeout(stop, (options.timeoutSeconds ?? defaultTimeoutSeconds()) * 1000);
  res.once('close', stop);
  scope.shutdown.addEventListener('abort', stop, { once: true });
  try {
    const wanted = (event: WatchEvent) => event.type !== 'BOOKMARK' || options.allowWatchBookmarks || isInitialEventsEnd(event);
    await streamEvents(res, watcher[Symbol.asyncIterator](), encode, wanted, () => stoppedHere);
  } finally {
    clearTimeout(timer);
    res.off('close', stop);
    scope.shutdown.removeEventListener('abort', stop);
    watcher.stop();
    if (!res.destroyed) res.end();
  }
}

/**
 * Writes the wanted events as they come. While the response is over its buffer,
 * events keep being taken from the watcher and wait here, so that a watcher the
 * storage ends (its buffer overflowed) or MAX_UNSENT_EVENTS waiting events
 * disconnect a client that stopped reading instead of leaving the stream stuck.
 */
async function streamEvents(
  res: ServerResponse,
  events: AsyncIterator<WatchEvent>,
  encode: (event: WatchEvent) => Buffer | string,
  wanted: (event: WatchEvent) => boolean,
  stoppedHere: () => boolean,
): Promise<void> {
  const unsent: WatchEvent[] = [];
  let next = events.next();
  let drained: Promise<void> | undefined;
  for (;;) {
    while (!drained && unsent.length > 0) {
      if (!res.write(encode(unsent.shift()!))) drained = waitForDrain(res);
    }
    const step = await (drained ? Promise.race([next, drained.then(() => null)]) : next);
    if (res.destroyed) return;
    if (step === null) {
      drained = undefined;
      continue;
    }
    if (step.done) {
      // Ended by the storage while the client was not reading: an end would wait behind the unread bytes forever.
      if (drained && !stoppedHere()) res.destroy();
      return;
    }
    next = events.next();
    if (wanted(step.value)) unsent.push(step.value);
    if (unsent.length > MAX_UNSENT_EVENTS) {
      res.destroy();
      return;
    }
  }
}

function isInitialEventsEnd(event: WatchEvent): boolean {
  const annotations = event.object.metadata.annotations as Record<string, string> | undefined;
  return annotations?.['k8s.io/initial-events-end'] === 'true';
}
