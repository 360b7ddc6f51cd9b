import { describe, expect, it } from 'vitest';
import { nameSimilarity, searchBigrams, SIMILAR_NAME_THRESHOLD } from './name-similarity.js';

describe('name similarity', () => {
  it('finds names that differ in a character or two similar, and different ones not', () => {
    expect(nameSimilarity('浦江镇助老服务社', '浦江镇助老服务队')).toBeGreaterThanOrEqual(SIMILAR_NAME_THRESHOLD);
    expect(nameSimilarity('浦江镇助老服务社', '浦江镇 助老服务社')).toBe(1);
    expect(nameSimilarity('浦江镇助老服务社', '七宝青少年足球俱乐部')).toBeLessThan(SIMILAR_NAME_THRESHOLD);
    expect(nameSimilarity('读书会', '读书社')).toBeGreaterThan(0);
    expect(nameSimilarity('', '')).toBe(0);
  });
  it('prefilters on at most 30 bigrams, without spaces or punctuation', () => {
    expect(searchBigrams('助老 服务')).toEqual(['助老', '老服', '服务']);
    expect(searchBigrams('x'.repeat(100) + 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ').length).toBeLessThanOrEqual(30);
  });
});
