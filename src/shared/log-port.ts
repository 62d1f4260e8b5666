/** The logging the pipeline and the queue need (pino's Logger fits it; tests pass a recording one). */
export interface LogPort {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): LogPort;
}
