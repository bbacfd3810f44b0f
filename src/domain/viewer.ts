/** Who is calling: the user and the session (one login on one device). */
export interface Viewer {
  userId: string;
  sessionId: string;
  username: string;
  /** When the token expires (ms since the epoch); realtime connections close then. */
  expiresAt?: number;
}
