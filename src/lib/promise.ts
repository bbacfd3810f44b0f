export function isPromise<T>(x: T | Promise<T>): x is Promise<T> {
  return typeof (x as Partial<Promise<T>>)?.then === 'function';
}
