import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  /** Sets how much is done, and optionally the total when it became known later. */
  update(done: number, total?: number): void;
  stop(): void;
}

const silent: Progress = { update: () => {}, stop: () => {} };

/**
 * A progress bar on stderr — only when stderr is a terminal and output is not `--json`, so that
 * scripts and pipes get nothing but the result (SPEC §11).
 */
export function progressBar(
  enabled: boolean,
  label: string,
  total: number,
  unit: string,
): Progress {
  if (!enabled || !process.stderr.isTTY) return silent;
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: `${label} {bar} {value}/{total} ${unit} · {percentage}% · ETA {eta_formatted}`,
      barsize: 28,
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (done, newTotal) => {
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}
