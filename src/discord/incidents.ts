// An unexpected failure becomes an incident: logged once with its stack under a
// short id that the user sees in the apology, so the two can be matched.
import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.js';

export function reportIncident(logger: Logger, where: string, error: unknown): string {
  const id = randomBytes(4).toString('hex');
  logger.error(`incident ${id} in ${where}`, error instanceof Error ? error : new Error(String(error)));
  return id;
}
