import { randomBytes } from 'node:crypto';

/** Where core gets the time; tests pass a fixed one. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/** 26 characters, time-ordered (48-bit milliseconds) then 80 random bits, Crockford base32 in lower case. */
export function newDocumentId(now: Date): string {
  let time = now.getTime();
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = alphabet[time % 32] + head;
    time = Math.floor(time / 32);
  }
  const random = randomBytes(16);
  let tail = '';
  for (let i = 0; i < 16; i++) tail += alphabet[(random[i] ?? 0) % 32];
  return head + tail;
}
