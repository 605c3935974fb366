import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  /** Sets how much is done. */
  update(done: number): void;
  /** Ends the bar; returns the seconds it ran. */
  stop(): number;
}

/**
 * A progress bar with a rate (`1,234 events/s`) and an ETA, on stderr. Off a terminal (CI, a pipe)
 * cli-progress draws nothing, so the caller's closing summary line is the record either way.
 */
export function progressBar(label: string, unit: string, total: number): Progress {
  const started = Date.now();
  const bar = new SingleBar(
    {
      format: `  ${label.padEnd(11)} {bar} {value}/{total} ${unit} · {rate} ${unit}/s · ETA {eta_formatted}`,
      barsize: 28,
      hideCursor: true,
      etaBuffer: 20,
      formatValue: (value, _options, type) =>
        type === 'value' || type === 'total' ? value.toLocaleString('en') : String(value),
    },
    Presets.shades_classic,
  );
  const rate = (done: number) =>
    Math.round(done / Math.max(0.001, (Date.now() - started) / 1000)).toLocaleString('en');
  bar.start(total, 0, { rate: '0' });
  return {
    update: (done) => bar.update(done, { rate: rate(done) }),
    stop: () => {
      bar.stop();
      return (Date.now() - started) / 1000;
    },
  };
}
