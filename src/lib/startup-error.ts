/** A reason the server cannot start that the operator can fix: printed as one line, exit code 1. */
export class StartupError extends Error {}

/** A connection URL fit for a log line: the password hidden. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Why listening failed, in words an operator acts on. */
export function listenFailure(err: unknown, port: number, host: string): StartupError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new StartupError(`port ${port} on ${host} is already in use; stop what holds it or set PORT to a free port`);
  if (code === 'EACCES')
    return new StartupError(`no permission to listen on port ${port} on ${host}; use a port above 1023 or grant the permission`);
  if (code === 'EADDRNOTAVAIL') return new StartupError(`HOST ${host} is not an address of this machine`);
  return new StartupError(`cannot listen on ${host}:${port}: ${err instanceof Error ? err.message : String(err)}`);
}
