/** A constructor of T: what the decorators annotate and the Scheme registers. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Class<T = object> = new (...args: any[]) => T;
