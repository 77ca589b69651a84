import { createReadStream } from 'node:fs';
import type { WriteStream } from 'node:tty';

/**
 * Progress of a batch on stderr: a bar with rate and ETA redrawn in place on a
 * TTY, a plain line every few seconds otherwise. Counts lines of the input file
 * first (when there is one) to know the total.
 */
export class Progress {
  private total: number | undefined;
  private done = 0;
  private failed = 0;
  private skipped = 0;
  private readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: NodeJS.WriteStream | WriteStream,
    private readonly inputPath: string | undefined,
  ) {}

  async start(): Promise<void> {
    if (this.inputPath !== undefined) this.total = await countLines(this.inputPath);
    this.timer = setInterval(() => this.render(), this.out.isTTY ? 200 : 5000);
    this.timer.unref();
  }

  tick(ok: boolean): void {
    this.done++;
    if (!ok) this.failed++;
  }

  skip(): void {
    this.skipped++;
  }

  stop(): void {
    clearInterval(this.timer);
    this.render();
    if (this.out.isTTY) this.out.write('\n');
  }

  private render(): void {
    const seconds = (Date.now() - this.startedAt) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const total = this.total === undefined ? undefined : Math.max(0, this.total - this.skipped);
    const share = total ? Math.min(1, this.done / total) : undefined;
    const eta = total && rate > 0 ? Math.max(0, Math.round((total - this.done) / rate)) : undefined;
    const counts = `${this.done}${total === undefined ? '' : `/${total}`} done, ${this.failed} failed${this.skipped ? `, ${this.skipped} skipped` : ''}`;
    const tail = `${rate.toFixed(1)} req/s${eta === undefined ? '' : `, ETA ${eta}s`}`;
    if (this.out.isTTY) {
      const bar = share === undefined ? '' : `[${'#'.repeat(Math.round(share * 30)).padEnd(30, '.')}] ${Math.round(share * 100)}% `;
      this.out.write(`\r${bar}${counts}, ${tail}   `);
    } else this.out.write(`progress: ${counts}, ${tail}\n`);
  }
}

async function countLines(path: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    last = chunk[chunk.length - 1] ?? last;
  }
  return last === 10 ? lines : lines + 1;
}
