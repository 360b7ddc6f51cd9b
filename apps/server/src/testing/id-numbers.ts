/** A valid GB 11643 resident ID number for a birth date and sequence (the check character computed). */
export function idNumber(seq: number, birth = '19600101', region = '310101'): string {
  const body = `${region}${birth}${String(seq % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}
