/** True for Prisma's unique-constraint violation (P2002), whichever driver adapter raised it. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'P2002';
}
