// Reads the first chunks of a stream up to a size, for sniffing, keeping them to replay ahead of the rest.
export async function readHead<T extends { length: number }>(
  iterator: Iterator<T> | AsyncIterator<T>,
  limit: number,
): Promise<{ head: T[]; length: number; exhausted: boolean }> {
  const head: T[] = [];
  let length = 0;
  while (length < limit) {
    const next = await iterator.next();
    if (next.done) return { head, length, exhausted: true };
    head.push(next.value);
    length += next.value.length;
  }
  return { head, length, exhausted: false };
}
