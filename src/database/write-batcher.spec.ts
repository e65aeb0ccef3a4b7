import { WriteBatcher } from './write-batcher.js';

/** A write that records each batch it gets and answers each item doubled, after `release()`. */
function recordingWrite() {
  const batches: number[][] = [];
  const waiting: (() => void)[] = [];
  let failOn: { item: number; code?: string } | undefined;
  const write = async (items: number[]): Promise<number[]> => {
    batches.push([...items]);
    await new Promise<void>((resolve) => waiting.push(resolve));
    if (failOn && items.includes(failOn.item)) throw Object.assign(new Error(`bad item ${failOn.item}`), failOn.code ? { code: failOn.code } : {});
    return items.map((item) => item * 2);
  };
  return {
    batches,
    write,
    failOn: (item: number, code?: string) => (failOn = { item, code }),
    /** Lets every write started so far finish, until none is left. */
    releaseAll: async () => {
      for (let turn = 0; turn < 50; turn++) {
        await new Promise((resolve) => setImmediate(resolve));
        while (waiting.length > 0) waiting.shift()!();
      }
    },
  };
}

describe('WriteBatcher', () => {
  it('writes the items added in one turn together and gives each caller its own result', async () => {
    const recorder = recordingWrite();
    const batcher = new WriteBatcher(recorder.write);
    const results = Promise.all([1, 2, 3].map((n) => batcher.add(n)));
    await recorder.releaseAll();
    expect(await results).toEqual([2, 4, 6]);
    expect(recorder.batches).toEqual([[1, 2, 3]]);
  });

  it('queues items while the writes in flight are at the limit, then writes them together', async () => {
    const recorder = recordingWrite();
    const batcher = new WriteBatcher(recorder.write, { maxConcurrentWrites: 1 });
    const first = batcher.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [batcher.add(2), batcher.add(3), batcher.add(4)];
    await recorder.releaseAll();
    expect(await Promise.all([first, ...later])).toEqual([2, 4, 6, 8]);
    expect(recorder.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('splits at maxBatchSize', async () => {
    const recorder = recordingWrite();
    const batcher = new WriteBatcher(recorder.write, { maxBatchSize: 2 });
    const results = Promise.all([1, 2, 3, 4, 5].map((n) => batcher.add(n)));
    await recorder.releaseAll();
    expect(await results).toEqual([2, 4, 6, 8, 10]);
    expect(recorder.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('retries item by item when the batch fails on its data, so only the bad item fails', async () => {
    const recorder = recordingWrite();
    recorder.failOn(2, '22P02');
    const batcher = new WriteBatcher(recorder.write);
    const results = Promise.allSettled([1, 2, 3].map((n) => batcher.add(n)));
    await recorder.releaseAll();
    const settled = await results;
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'bad item 2', code: '22P02' });
    expect(recorder.batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('fails every item at once when the database itself fails (no per-item retries)', async () => {
    const recorder = recordingWrite();
    recorder.failOn(2); // no SQLSTATE: a lost connection, a timeout
    const batcher = new WriteBatcher(recorder.write);
    const results = Promise.allSettled([1, 2, 3].map((n) => batcher.add(n)));
    await recorder.releaseAll();
    expect((await results).map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(recorder.batches).toEqual([[1, 2, 3]]);
  });

  it('fails the items waiting for a free slot too when the database itself fails, instead of making them wait as long again', async () => {
    const recorder = recordingWrite();
    recorder.failOn(1); // no SQLSTATE: the write hung past the query timeout, say
    const batcher = new WriteBatcher(recorder.write, { maxConcurrentWrites: 1 });
    const first = batcher.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    const waiting = [batcher.add(2), batcher.add(3)];
    const settled = Promise.allSettled([first, ...waiting]);
    await recorder.releaseAll();
    expect((await settled).map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(recorder.batches).toEqual([[1]]);
  });
});
