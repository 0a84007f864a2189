/** One concise line per event. `debug` lines appear only with VITRINE_DEBUG=1. */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
  debug(msg: string): void;
}

function stamp(): string {
  return new Date().toISOString();
}

/** A logger writing to stdout/stderr, or a silent one when `quiet` (errors still go to stderr unless quiet). */
export function createLogger(quiet = false): Logger {
  const debugOn = process.env.VITRINE_DEBUG === '1';
  if (quiet) {
    const noop = (): void => undefined;
    return {
      info: noop,
      warn: noop,
      debug: debugOn ? (m) => process.stderr.write(`${stamp()} debug ${m}\n`) : noop,
      error: debugOn ? (m, e) => process.stderr.write(`${stamp()} error ${m} ${describe(e)}\n`) : noop,
    };
  }
  return {
    info: (m) => process.stdout.write(`${stamp()} info  ${m}\n`),
    warn: (m) => process.stderr.write(`${stamp()} warn  ${m}\n`),
    error: (m, e) => process.stderr.write(`${stamp()} error ${m}${e === undefined ? '' : ` ${describe(e)}`}\n`),
    debug: debugOn ? (m) => process.stderr.write(`${stamp()} debug ${m}\n`) : () => undefined,
  };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}
