/** The outbox worker: claims due messages and hands each to its topic's deliverer; failures retry, then dead-letter. */
import crypto from 'node:crypto';
import type { Kernel } from '../kernel';
import type { OutboxDeliverer } from '../modules/define-module';

/** Counts of one worker pass. */
export interface PassReport { claimed: number; delivered: number; retried: number; dead: number }

export class OutboxWorker {
  readonly id = `w_${crypto.randomBytes(6).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly kernel: Kernel, private readonly deliverers: Map<string, OutboxDeliverer>, private readonly opts: { batch?: number; leaseMs?: number; intervalMs?: number } = {}) {}

  /** Claims one batch and delivers it. */
  async runOnce(): Promise<PassReport> {
    const report: PassReport = { claimed: 0, delivered: 0, retried: 0, dead: 0 };
    const msgs = await this.kernel.outbox.claim(this.id, this.opts.batch ?? 50, this.opts.leaseMs ?? 60_000);
    report.claimed = msgs.length;
    await Promise.all(msgs.map(async (m) => {
      const deliver = this.deliverers.get(m.topic);
      try {
        if (!deliver) throw new Error(`no deliverer for topic "${m.topic}"`);
        await deliver(m, this.kernel);
        await this.kernel.outbox.delivered(m.id, this.id);
        report.delivered += 1;
      } catch (err) {
        const state = await this.kernel.outbox.failed(m.id, this.id, m.attempt, (err as Error).message ?? String(err));
        if (state === 'dead') report.dead += 1;
        else report.retried += 1;
        this.kernel.log.warn({ outboxId: m.id, topic: m.topic, attempt: m.attempt, state }, 'outbox delivery failed');
      }
    }));
    return report;
  }

  /** Runs until stopped or the queue has nothing due. */
  async drain(maxPasses = Infinity): Promise<PassReport> {
    const total: PassReport = { claimed: 0, delivered: 0, retried: 0, dead: 0 };
    for (let i = 0; i < maxPasses && !this.stopped; i++) {
      const r = await this.runOnce();
      total.claimed += r.claimed; total.delivered += r.delivered; total.retried += r.retried; total.dead += r.dead;
      if (r.claimed === 0) break;
    }
    return total;
  }

  /** Polls in the background every `intervalMs`. */
  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.drain().then(() => undefined, (err) => this.kernel.log.error({ code: (err as Error).name }, 'outbox pass failed'));
      void this.running.finally(() => { if (!this.stopped) this.timer = setTimeout(tick, this.opts.intervalMs ?? 1000); });
    };
    tick();
  }

  /** Stops polling and waits for the pass in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
