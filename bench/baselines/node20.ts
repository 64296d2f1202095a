/**
 * PostGraphile 5 is written for Node.js 22 and uses Promise.withResolvers, which Node.js 20 (this
 * service's runtime) lacks. Imported before PostGraphile in its baseline process only.
 */
interface WithResolvers {
  withResolvers?: <T>() => {
    promise: Promise<T>;
    resolve: (value: T | PromiseLike<T>) => void;
    reject: (reason?: unknown) => void;
  };
}

const PromiseConstructor = Promise as unknown as WithResolvers;
PromiseConstructor.withResolvers ??= <T>() => {
  let resolve!: (value: T | PromiseLike<T>) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
