/**
 * One read for all the callers that ask within the same event-loop turn, as
 * etcd batches the ReadIndex requests of linearizable reads. The read starts
 * after every caller of the turn has asked (setImmediate), never before a
 * caller asked, so each caller sees a value read after its call: for the
 * storage's current revision that keeps consistent reads consistent. A caller
 * that asks while a read is in flight waits for the next one.
 */
export class CoalescedRead<T> {
  private next: Promise<T> | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    this.next ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.next = undefined;
      return this.read();
    });
    return this.next;
  }
}
