/**
 * Whether an error means the database cannot be reached or is refusing us
 * right now, as opposed to a fault in the request or in our SQL. Such a
 * request may succeed on retry: it is answered 503 DATABASE_UNAVAILABLE,
 * never 401 (a session that could not be checked is not an ended session)
 * and never 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, hops = 0; typeof e === 'object' && e !== null && hops < 5; hops++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODE.test(code)) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    // TypeORM's QueryFailedError carries the driver's error; Node's network errors may carry a cause.
    e = (e as { driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * SQLSTATE class 08 (connection exception), 57P01–57P03 (the server shutting
 * down, terminating our backend, or not yet accepting connections), 53300
 * (too many connections), 3D000 (the database is gone), and Node's network
 * errors while connecting or talking to it.
 */
const UNAVAILABLE_CODE = /^(08[0-9A-Z]{3}|57P0[123]|53300|3D000|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE)$/;

/** node-postgres's own errors for a lost or unobtainable connection (they carry no code), and a database closed to new connections (55000 is broader). */
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)|is not currently accepting connections/;
