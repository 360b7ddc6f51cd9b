import { randomInt } from 'node:crypto';

/** A strong password a person can type: 4 groups of 4 from an alphabet without look-alikes, plus class markers. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const group = () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${group()}-${group()}-${group()}-${group()}-Q7a`;
}
