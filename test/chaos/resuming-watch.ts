/**
 * A watch on the items that carries on as a reflector does: when its stream
 * ends (the server went away, a member failed over) it watches again from the
 * last resourceVersion it saw, and relists on 410 Gone.
 */
import { ITEMS_PATH } from '../../bench/lib/bench-resource';
import type { ChaosClient, WatchStream } from './chaos-client';

/** A watch that re-watches from the last resourceVersion it saw when its stream ends, and relists on 410. */
export class ResumingWatch {
  readonly names = new Set<string>();
  resumes = 0;
  relists = 0;
  private stream: WatchStream | undefined;
  private closed = false;

  constructor(private readonly client: ChaosClient, private resourceVersion: string) {}

  async run(): Promise<void> {
    while (!this.closed) {
      this.stream = this.client.watch(`${ITEMS_PATH}?resourceVersion=${this.resourceVersion}&allowWatchBookmarks=true`);
      const status = await this.stream.status;
      if (status === 200) {
        await this.stream.ended;
        for (const event of this.stream.events) {
          if (event.type === 'ERROR') {
            if ((event.object as { code?: number }).code === 410) await this.relist();
            continue;
          }
          if (event.type !== 'BOOKMARK') this.names.add(event.object.metadata?.name ?? '');
          this.resourceVersion = event.object.metadata?.resourceVersion ?? this.resourceVersion;
        }
      } else if (status === 410) {
        await this.relist();
      } else {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      if (!this.closed) this.resumes++;
    }
  }

  /** Names seen so far, including those of the open stream. */
  seen(): Set<string> {
    const all = new Set(this.names);
    for (const event of this.stream?.events ?? []) if (event.type !== 'BOOKMARK' && event.type !== 'ERROR') all.add(event.object.metadata?.name ?? '');
    return all;
  }

  private async relist(): Promise<void> {
    this.relists++;
    const list = await this.client.request('GET', ITEMS_PATH);
    if (list.status !== 200) return;
    const parsed = JSON.parse(list.body) as { metadata: { resourceVersion: string }; items: Array<{ metadata: { name: string } }> };
    for (const item of parsed.items) this.names.add(item.metadata.name);
    this.resourceVersion = parsed.metadata.resourceVersion;
  }

  close(): void {
    this.closed = true;
    this.stream?.close();
  }
}
